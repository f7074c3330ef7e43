import Foundation
import Trading
@testable import WireFormat
@testable import WireProtocol

/// Helpers comparing the hand-written envelope path (`FastEnvelopeCoding`) with the `Codable` one.
enum FastCodingSupport {
    static let codec = JSONEnvelopeCodec()

    /// Every header field and the payload, comparable.
    struct Snapshot<P: MessagePayload & Equatable>: Equatable {
        var v: Int, id: String, type: String, traceId: String, parentId: String?, source: String, ts: Int64, payload: P

        init(_ envelope: Envelope<P>) {
            v = envelope.v
            id = envelope.id
            type = envelope.type
            traceId = envelope.traceId
            parentId = envelope.parentId
            source = envelope.source
            ts = envelope.ts
            payload = envelope.payload
        }
    }

    /// What a decode yields: the envelope, or the error's code and message.
    enum Outcome<P: MessagePayload & Equatable>: Equatable {
        case value(Snapshot<P>)
        case failure(ProtocolError)
    }

    /// The codec as it runs (fast path first).
    static func decoded<P: MessagePayload & Equatable>(_ type: P.Type, _ data: Data) -> Outcome<P> {
        do throws(ProtocolError) {
            return .value(Snapshot(try codec.decode(type, from: data)))
        } catch {
            return .failure(error)
        }
    }

    /// The codec with only its `Codable` path, as it was before the fast path.
    static func decodedWithCodable<P: MessagePayload & Equatable>(_ type: P.Type, _ data: Data) -> Outcome<P> {
        do throws(ProtocolError) {
            let envelope = try codec.decodeWithCodable(type, from: data)
            try envelope.validate()
            return .value(Snapshot(envelope))
        } catch {
            return .failure(error)
        }
    }

    static func text(_ data: Data?) -> String? { data.map { String(decoding: $0, as: UTF8.self) } }
}

/// Random payload values for the fast path's types, replayable from a seed.
struct RandomPayloads {
    var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    private static let pieces: [String] = ["a", "Z", "0", "-", "_", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{1F}", "\u{7F}",
                                           "é", "€", "😀", "\u{2028}", "BTC-USD", "desk", "e\u{301}", "{", "}", "[", ":"]

    mutating func string() -> String {
        (0 ..< Int.random(in: 0 ... 12, using: &generator)).map { _ in Self.pieces.randomElement(using: &generator)! }.joined()
    }

    mutating func optionalString() -> String? { Bool.random(using: &generator) ? string() : nil }

    /// Any finite Double: random bit patterns, decimals, integers and tiny or huge magnitudes.
    mutating func double() -> Double {
        switch Int.random(in: 0 ... 3, using: &generator) {
        case 0:
            let bits = Double(bitPattern: generator.next())
            return bits.isFinite ? bits : 0.5
        case 1: return Double(Int64.random(in: -1_000_000_000 ... 1_000_000_000, using: &generator)) / 1000
        case 2: return Double.random(in: -1e6 ... 1e6, using: &generator).rounded(.towardZero)
        default: return Double.random(in: 0 ... 1, using: &generator) * pow(10, Double(Int.random(in: -300 ... 300, using: &generator)))
        }
    }

    mutating func optionalDouble() -> Double? { Bool.random(using: &generator) ? double() : nil }

    /// An exact wire number: any Int64 of units, small ones or typical prices and quantities.
    mutating func decimal() -> WireDecimal {
        switch Int.random(in: 0 ... 3, using: &generator) {
        case 0: return WireDecimal(units: Int64(bitPattern: generator.next()))
        case 1: return WireDecimal(units: Int64.random(in: -1_000 ... 1_000, using: &generator))
        case 2: return WireDecimal(units: Int64.random(in: 0 ... 10_000_000_000_000, using: &generator))
        default: return WireDecimal(units: Int64.random(in: 1 ... 100, using: &generator) * 100_000_000)
        }
    }

    mutating func optionalDecimal() -> WireDecimal? { Bool.random(using: &generator) ? decimal() : nil }

    mutating func pick<T: CaseIterable>(_ type: T.Type) -> T { T.allCases.randomElement(using: &generator)! }

    mutating func signal() -> SignalPayload {
        SignalPayload(symbol: string(), side: pick(Side.self), confidence: double(), note: optionalString())
    }

    mutating func submit() -> OrderSubmit {
        OrderSubmit(clientOrderId: string(), account: string(), symbol: string(), side: pick(Side.self), type: pick(OrderType.self),
                    qty: decimal(), price: optionalDecimal())
    }

    mutating func fill() -> FillPayload {
        FillPayload(orderId: string(), clientOrderId: string(), account: string(), symbol: string(), side: pick(Side.self),
                    price: decimal(), qty: decimal(), fee: decimal())
    }

    mutating func report() -> OrderReport {
        var report = OrderReport(orderId: string(), clientOrderId: string(), account: string(), symbol: string(), side: pick(Side.self),
                                 type: pick(OrderType.self), status: pick(OrderStatus.self), qty: decimal(), filledQty: decimal(),
                                 avgPrice: optionalDecimal(), fills: (0 ..< Int.random(in: 0 ... 3, using: &generator)).map { _ in fill() },
                                 reason: optionalString(), reasonCode: optionalString())
        if Bool.random(using: &generator) {
            report.venueEpoch = string()
            report.accountVersion = UInt64.random(in: 0 ... .max, using: &generator)
        }
        return report
    }

    mutating func envelope<P: MessagePayload>(_ payload: P) -> Envelope<P> {
        Envelope(id: string(), type: string(), traceId: string(), parentId: optionalString(), source: string(),
                 ts: Int64.random(in: .min ... .max, using: &generator), payload: payload)
    }
}

/// An opaque payload has no content, so any two are the same (lets header reads be compared).
extension OpaquePayload: Equatable {
    public static func == (lhs: OpaquePayload, rhs: OpaquePayload) -> Bool { true }
}
