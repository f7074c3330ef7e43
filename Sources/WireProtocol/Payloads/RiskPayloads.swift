import Foundation
import WireFormat
import Trading

/// `assess` (RiskManager): may this trade go ahead, and how big?
public struct AssessRequest: RequestPayload, Hashable {
    public static var requestType: String { "assess" }
    public typealias Reply = RiskVerdict

    public var symbol: String
    public var side: Side
    public var account: String
    public var signalConfidence: Double
    public var analysis: AnalysisReport {
        didSet { writtenAnalysis = WrittenMember() }
    }
    /// The highest account version the director has seen in the venue's order reports: the
    /// assessment must see the account at this version or later (read-your-writes). Nil when
    /// the director has seen none.
    public var afterVersion: UInt64?
    /// The venue run `after_version` counts in; nil with it.
    public var venueEpoch: String?
    /// The client order id of an order the director has sent and not yet heard back about (the
    /// order of the signal before this one in its symbol's lane): the assessment must see the
    /// account with that order in, from the first `account.<name>` event that names it
    /// (`AccountPayload.orders`), as well as at `after_version`. A RiskManager that sees no such
    /// event in time answers with an error, and the director asks again once it has the order's
    /// report. Nil: no order to wait for.
    public var afterOrder: String?
    /// `analysis` as its hand-written form wrote it, once `writeAnalysis()` has: encoding the
    /// request appends these bytes rather than writing the analysis again. Dropped when
    /// `analysis` changes; not part of the request's value.
    public private(set) var writtenAnalysis = WrittenMember()

    enum CodingKeys: String, CodingKey {
        case symbol, side, account, signalConfidence = "signal_confidence", analysis
        case afterVersion = "after_version", venueEpoch = "venue_epoch", afterOrder = "after_order"
    }

    /// Creates a request.
    public init(symbol: String, side: Side, account: String, signalConfidence: Double, analysis: AnalysisReport,
                afterVersion: UInt64? = nil, venueEpoch: String? = nil, afterOrder: String? = nil) {
        self.symbol = symbol
        self.side = side
        self.account = account
        self.signalConfidence = signalConfidence
        self.analysis = analysis
        self.afterVersion = afterVersion
        self.venueEpoch = venueEpoch
        self.afterOrder = afterOrder
    }

    public func validate() throws(ProtocolError) {
        try Check.name(symbol, "payload.symbol")
        try Check.name(account, "payload.account")
        if let afterOrder { try Check.name(afterOrder, "payload.after_order") }
        try Check.unit(signalConfidence, "payload.signal_confidence")
        try analysis.validate()
    }

    /// Writes `analysis` with its hand-written form and keeps the bytes with the request
    /// (`writtenAnalysis`), for a sender that writes the same analysis elsewhere too (the
    /// director, in the order's record); returns them. With `received`, the bytes the analysis
    /// was read from (`Envelope.receivedPayload` of its reply), those are kept instead of writing
    /// it again. Nil where the form declines: the request is then encoded as before.
    public mutating func writeAnalysis(received: Data? = nil) -> Data? {
        guard let json = received ?? analysis.writtenFastJSON() else { return nil }
        writtenAnalysis = WrittenMember(json: json)
        return json
    }
}

/// `assess.ok` and `risk.<symbol>`: approval with size, or rejection naming the limit.
public struct RiskVerdict: MessagePayload, Hashable {
    public var symbol: String
    public var side: Side
    public var approved: Bool
    /// Base units to trade (0 when rejected).
    public var qty: WireDecimal
    /// The price the size was computed at.
    public var price: WireDecimal
    /// qty × price, in quote currency.
    public var notional: WireDecimal
    public var reason: String
    /// The limit that rejected the trade, when one did.
    public var limit: String?
    /// The value measured against that limit (a fraction of capital, a count), when numeric.
    public var observed: Double?
    /// The most the limit allows, when numeric.
    public var allowed: Double?
    /// Stop, targets, leverage and the portfolio after the trade, when approved.
    public var plan: RiskPlanPayload?
    /// The account version (in the request's `venue_epoch`) the trade was judged at, when the
    /// account came from the venue's events: a director that asked ahead (`after_order`) uses
    /// the verdict only when this is at least every version it has seen since. Nil otherwise.
    public var accountVersion: UInt64?

    enum CodingKeys: String, CodingKey {
        case symbol, side, approved, qty, price, notional, reason, limit, observed, allowed, plan
        case accountVersion = "account_version"
    }

    /// Creates a verdict.
    public init(symbol: String, side: Side, approved: Bool, qty: WireDecimal, price: WireDecimal, notional: WireDecimal, reason: String,
                limit: String?, observed: Double? = nil, allowed: Double? = nil, plan: RiskPlanPayload? = nil,
                accountVersion: UInt64? = nil) {
        self.symbol = symbol
        self.side = side
        self.approved = approved
        self.qty = qty
        self.price = price
        self.notional = notional
        self.reason = reason
        self.limit = limit
        self.observed = observed
        self.allowed = allowed
        self.plan = plan
        self.accountVersion = accountVersion
    }

    public func validate() throws(ProtocolError) {
        try Check.nonNegative(qty, "payload.qty")
        try Check.nonNegative(price, "payload.price")
        if approved { try Check.positive(qty, "payload.qty") }
        try plan?.validate()
    }
}
