import Foundation
import Ledger
import Trading
import WireFormat

/// The ledger's order columns written by hand-written forms, on the ledger's writer thread for
/// every order: the text `Codable` writes through Foundation's `JSONEncoder` (members sorted by
/// name, numbers as the nearest `Double`), so ledgers written either way read the same. A value
/// holding a `/` in any string is left to `Codable`: Foundation writes it as `\/`, which the
/// wire writer does not.
public struct LedgerOrderForms: LedgerOrderWriting {
    /// The forms.
    public init() {}

    public func json(of request: OrderRequest) -> String? { Self.text(of: RequestForm(request: request)) }

    public func json(of result: OrderResult) -> String? { Self.text(of: ResultForm(result: result)) }

    private static func text(of form: some WrittenForm) -> String? { form.writtenFastJSONText() }
}

extension JSONObjectWriter {
    /// A string as Foundation's default `JSONEncoder` writes it; one holding a `/` declines.
    /// Looked for with `memchr` over the string's bytes: `utf8.contains` stepped through them one
    /// by one through the generic iterator, 3,700 instructions per fill batch in the ledger probe.
    fileprivate mutating func slashless(_ name: StaticString, _ value: String) throws(FastPathDeclined) {
        var text = value
        let slash = text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
            return memchr(base, Int32(UInt8(ascii: "/")), bytes.count) != nil
        }
        guard !slash else { throw FastPathDeclined() }
        string(name, value)
    }
}

private struct RequestForm: WrittenForm {
    let request: OrderRequest

    func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        try object.slashless("account", request.account)
        try object.slashless("clientOrderId", request.clientOrderId)
        if let limit = request.limitPrice { try object.double("limitPrice", limit.double) }
        try object.double("qty", request.qty.double)
        object.rawValue("side", request.side)
        try object.slashless("symbol", request.symbol)
        object.rawValue("type", request.type)
        object.close()
    }
}

private struct ResultForm: WrittenForm {
    let result: OrderResult

    func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        try object.slashless("account", result.account)
        if let average = result.averagePrice { try object.double("averagePrice", average.double) }
        try object.slashless("clientOrderId", result.clientOrderId)
        try object.double("filledQty", result.filledQty.double)
        try object.array("fills", result.fills.map(FillForm.init))
        if let limit = result.limitPrice { try object.double("limitPrice", limit.double) }
        try object.slashless("orderId", result.orderId)
        if let rejection = result.rejection { try object.value("rejection", RejectionForm(error: rejection)) }
        try object.double("requestedQty", result.requestedQty.double)
        object.rawValue("side", result.side)
        object.rawValue("status", result.status)
        try object.slashless("symbol", result.symbol)
        object.rawValue("type", result.type)
        object.close()
    }
}

private struct FillForm: WrittenForm {
    let fill: Fill

    func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        try object.slashless("account", fill.account)
        try object.slashless("clientOrderId", fill.clientOrderId)
        try object.double("fee", fill.fee.double)
        try object.slashless("orderId", fill.orderId)
        try object.double("price", fill.price.double)
        try object.double("qty", fill.qty.double)
        object.rawValue("side", fill.side)
        try object.slashless("symbol", fill.symbol)
        object.integer("timestampMicros", fill.timestampMicros)
        object.close()
    }
}

private struct RejectionForm: WrittenForm {
    let error: TradingError

    func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        try object.slashless("code", error.code.rawValue)
        try object.slashless("message", error.message)
        object.close()
    }
}
