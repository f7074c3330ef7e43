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

    /// Creates the figures.
    public init(collateralAsset: String, maxLeverage: Int, equity: WireDecimal, marginUsed: WireDecimal, availableMargin: WireDecimal,
                maintenanceMargin: WireDecimal, liquidationPrices: [String: WireDecimal]) {
        self.collateralAsset = collateralAsset
        self.maxLeverage = maxLeverage
        self.equity = equity
        self.marginUsed = marginUsed
        self.availableMargin = availableMargin
        self.maintenanceMargin = maintenanceMargin
        self.liquidationPrices = liquidationPrices
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
    /// The figures of the account's margin book (the symbol's quote asset) just before it.
    public var margin: MarginPayload
    /// The account's resting orders on the symbol the venue cancelled first, oldest first.
    public var cancelled: [CancelledOrderPayload]

    /// Creates an event.
    public init(account: String, symbol: String, order: OrderReport, margin: MarginPayload, cancelled: [CancelledOrderPayload]) {
        self.account = account
        self.symbol = symbol
        self.order = order
        self.margin = margin
        self.cancelled = cancelled
    }

    /// The wire form of `liquidation`.
    public init(_ liquidation: Liquidation) {
        self.init(account: liquidation.result.account, symbol: liquidation.result.symbol, order: OrderReport(liquidation.result),
                  margin: MarginPayload(liquidation.before), cancelled: liquidation.cancelled.map(CancelledOrderPayload.init))
    }

    /// The event type and topic prefix.
    public static let eventType = "liquidation"

    /// The topic of a liquidation in `symbol`.
    public static func topic(_ symbol: String) -> String { "liquidation.\(symbol)" }
}

/// A resting order a liquidation cancelled: which it was and what of it was still open.
public struct CancelledOrderPayload: MessagePayload, Hashable {
    public var orderId: String
    public var clientOrderId: String
    public var side: Side
    /// The limit price it rested at.
    public var price: WireDecimal
    /// What was still unfilled when it was cancelled, in base units.
    public var remainingQty: WireDecimal

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id", clientOrderId = "client_order_id", side, price, remainingQty = "remaining_qty"
    }

    /// Creates an entry.
    public init(orderId: String, clientOrderId: String, side: Side, price: WireDecimal, remainingQty: WireDecimal) {
        self.orderId = orderId
        self.clientOrderId = clientOrderId
        self.side = side
        self.price = price
        self.remainingQty = remainingQty
    }

    /// The wire form of the venue's cancel `result`: its remaining quantity is what was
    /// requested less what had filled.
    public init(_ result: OrderResult) {
        self.init(orderId: result.orderId, clientOrderId: result.clientOrderId, side: result.side,
                  price: (result.limitPrice ?? 0).wire, remainingQty: (result.requestedQty - result.filledQty).wire)
    }
}
