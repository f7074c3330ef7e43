/// One funding payment the venue settled: what one margin account paid or received for its
/// position in one symbol at one funding time.
public struct FundingPayment: Sendable, Hashable, Codable {
    /// Account that paid or received.
    public var account: String
    /// Symbol of the position.
    public var symbol: String
    /// The funding time: a whole multiple of the interval, in microseconds since the epoch.
    public var fundingTimeMicros: Int64
    /// The venue time the payment was settled at (the tick that crossed `fundingTimeMicros`).
    public var timestampMicros: Int64
    /// Position base the payment was computed on; negative is short.
    public var base: Quantity
    /// Mark (mid) the notional was valued at.
    public var mark: Price
    /// Rate in basis points for the interval.
    public var rateBps: Double
    /// Quote credited to the account's collateral; negative when the account paid.
    public var amount: Money
    /// Collateral asset the amount is in.
    public var asset: String

    /// Creates a payment.
    public init(account: String, symbol: String, fundingTimeMicros: Int64, timestampMicros: Int64,
                base: Quantity, mark: Price, rateBps: Double, amount: Money, asset: String) {
        self.account = account
        self.symbol = symbol
        self.fundingTimeMicros = fundingTimeMicros
        self.timestampMicros = timestampMicros
        self.base = base
        self.mark = mark
        self.rateBps = rateBps
        self.amount = amount
        self.asset = asset
    }
}
