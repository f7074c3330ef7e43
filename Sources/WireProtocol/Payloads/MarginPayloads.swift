import WireFormat
import Trading

/// A margin account's figures marked at the current mids, in its collateral asset.
public struct MarginPayload: MessagePayload, Hashable {
    public var collateralAsset: String
    public var maxLeverage: Int
    /// Collateral plus unrealized PnL at the marks.
    public var equity: WireDecimal
    /// Initial margin of the positions and resting orders (|notional| / max_leverage).
    public var marginUsed: WireDecimal
    /// equity − margin used.
    public var availableMargin: WireDecimal
    /// Below this equity the venue liquidates.
    public var maintenanceMargin: WireDecimal
    /// Per open position, the mark at which the account would be liquidated.
    public var liquidationPrices: [String: WireDecimal]

    enum CodingKeys: String, CodingKey {
        case collateralAsset = "collateral_asset", maxLeverage = "max_leverage", equity, marginUsed = "margin_used"
        case availableMargin = "available_margin", maintenanceMargin = "maintenance_margin", liquidationPrices = "liquidation_prices"
    }

    /// The wire form of `state`.
    public init(_ state: MarginState) {
        collateralAsset = state.collateralAsset
        maxLeverage = state.maxLeverage
        equity = state.equity.wire
        marginUsed = state.marginUsed.wire
        availableMargin = state.availableMargin.wire
        maintenanceMargin = state.maintenanceMargin.wire
        liquidationPrices = state.liquidationPrices.mapValues(\.wire)
    }
}

/// `liquidation.<symbol>`: the venue closed a margin account's position because its equity
/// fell below its maintenance margin. Published on a trace of its own.
public struct LiquidationPayload: MessagePayload, Hashable {
    public var account: String
    public var symbol: String
    /// The reduce-only market order and its fills.
    public var order: OrderReport
    /// The account's figures just before the order.
    public var margin: MarginPayload

    /// Creates an event.
    public init(account: String, symbol: String, order: OrderReport, margin: MarginPayload) {
        self.account = account
        self.symbol = symbol
        self.order = order
        self.margin = margin
    }

    /// The event type and topic prefix.
    public static let eventType = "liquidation"

    /// The topic of a liquidation in `symbol`.
    public static func topic(_ symbol: String) -> String { "liquidation.\(symbol)" }
}
