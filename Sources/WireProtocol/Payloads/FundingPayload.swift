import WireFormat
import Trading

/// `funding.<symbol>`: a margin account paid or received funding on its position in a
/// perpetual symbol. `amount` is credited to the account's collateral; negative means it paid.
public struct FundingPayload: MessagePayload, Hashable {
    public var account: String
    public var symbol: String
    /// The funding time (a whole multiple of the interval), microseconds since the epoch.
    public var fundingTime: Int64
    /// Position base the payment is on; negative is short.
    public var base: WireDecimal
    /// The mark (mid) the notional was valued at.
    public var mark: WireDecimal
    /// The rate for the interval, basis points of notional.
    public var rateBps: Double
    /// Credited to the collateral (negative: debited).
    public var amount: WireDecimal
    /// The collateral asset.
    public var asset: String

    enum CodingKeys: String, CodingKey {
        case account, symbol, fundingTime = "funding_time", base, mark, rateBps = "rate_bps", amount, asset
    }

    /// The wire form of `payment`.
    public init(_ payment: FundingPayment) {
        account = payment.account
        symbol = payment.symbol
        fundingTime = payment.fundingTimeMicros
        base = payment.base.wire
        mark = payment.mark.wire
        rateBps = payment.rateBps
        amount = payment.amount.wire
        asset = payment.asset
    }

    /// The event type and topic prefix.
    public static let eventType = "funding"

    /// The topic of a funding payment in `symbol`.
    public static func topic(_ symbol: String) -> String { "funding.\(symbol)" }
}
