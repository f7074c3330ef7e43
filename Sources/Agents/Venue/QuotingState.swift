import Configuration
import Trading
import WireFormat
import WireProtocol

/// One symbol's two-sided quoting: its ladder, optional size skew, and the orders
/// it has resting now.
struct QuotingState: Sendable {
    let symbol: String
    let section: QuotingSection
    let ladder: QuoteLadder
    let sizeSkew: InventorySizeSkew?
    var refreshes = 0
    var startedUs: Int64?
    var liveOrderIds: [String] = []

    init(symbol: String, section: QuotingSection, tickSize: Price) throws(TradingError) {
        self.symbol = symbol
        self.section = section
        let pricing: QuotePricing = section.mode == "avellaneda_stoikov"
            ? .avellanedaStoikov(try AvellanedaStoikov(riskAversion: section.riskAversion, orderBookLiquidity: section.orderBookLiquidity,
                                                        horizon: section.horizon))
            : .symmetric
        ladder = try QuoteLadder(spread: section.spread, maxOrders: section.maxOrders, quantity: section.quantity,
                                 targetPosition: section.targetPosition, maxPosition: section.maxPosition,
                                 positionThreshold: section.positionThreshold, inventorySkew: section.inventorySkew,
                                 stopLoss: section.stopLoss, takeProfit: section.takeProfit, tickSize: tickSize, pricing: pricing)
        sizeSkew = try section.inventoryTargetBasePct.map { pct throws(TradingError) in
            try InventorySizeSkew(inventoryTargetBasePct: pct, inventoryRangeMultiplier: section.inventoryRangeMultiplier)
        }
    }
}

/// What one quote refresh did, for events and logs.
struct QuoteRefresh: Sendable {
    var symbol: String
    var account: String
    var cancelled: [OrderReport] = []
    var placed: [OrderReport] = []
    /// The plan's prices, or why there is none.
    var bids: [QuoteLevel] = []
    var asks: [QuoteLevel] = []
    var flatten: FlattenOrder?
    var problem: String?
    /// Quoting has ended (duration reached); its orders were cancelled.
    var stopped = false

    /// Every fill the refresh caused (marketable quotes, a flatten order).
    var fills: [FillPayload] { placed.flatMap(\.fills) }
}
