import WireFormat
import Trading

// Conversions between the trading library's values and their wire payloads, in one place so
// every agent maps them the same way.

extension FillPayload {
    /// The wire form of a venue fill.
    public init(_ fill: Fill) {
        self.init(orderId: fill.orderId, clientOrderId: fill.clientOrderId, account: fill.account, symbol: fill.symbol,
                  side: fill.side, price: fill.price, qty: fill.qty, fee: fill.fee)
    }
}

extension Fill {
    /// The venue fill a wire fill reports, stamped `timestampMicros` (the wire form has no time).
    public init(_ fill: FillPayload, at timestampMicros: Int64) {
        self.init(orderId: fill.orderId, clientOrderId: fill.clientOrderId, account: fill.account, symbol: fill.symbol,
                  side: fill.side, price: fill.price, qty: fill.qty, fee: fill.fee, timestampMicros: timestampMicros)
    }
}

extension OrderRequest {
    /// The venue request an `order.submit` asks for.
    public init(_ order: OrderSubmit) {
        self.init(clientOrderId: order.clientOrderId, account: order.account, symbol: order.symbol,
                  side: order.side, type: order.type, qty: order.qty, limitPrice: order.price)
    }
}

extension OrderReport {
    /// The wire form of what the venue did with an order.
    public init(_ result: OrderResult) {
        self.init(orderId: result.orderId, clientOrderId: result.clientOrderId, account: result.account, symbol: result.symbol,
                  side: result.side, type: result.type, status: result.status, qty: result.requestedQty,
                  filledQty: result.filledQty, avgPrice: result.averagePrice, fills: result.fills.map(FillPayload.init),
                  reason: result.rejection?.message, reasonCode: result.rejection?.code.rawValue)
    }
}

extension PositionPayload {
    /// The wire form of a position, marked at `mark` when known.
    public init(_ position: Position, mark: Double?) {
        self.init(account: position.account, symbol: position.symbol, base: position.base, quote: position.quote,
                  avgEntryPrice: position.averageEntryPrice, realizedPnl: position.realizedPnl,
                  unrealizedPnl: mark.map { position.unrealizedPnl(mark: $0) } ?? 0, fees: position.feesPaid, mark: mark)
    }

    /// Adds the pending exposure, effective inventory and limit.
    public mutating func include(_ state: InventoryState) {
        pendingBuy = state.pendingBuyQty
        pendingSell = state.pendingSellQty
        effectiveInventory = state.effectiveInventory
        maxInventory = state.maxInventory
        overLimit = state.isOverLimit
        hedgeSuggestion = state.hedgeSuggestion.map { "\($0.side.rawValue) \($0.qty): \($0.reason)" }
    }

    /// The trading library's view of this row.
    public var position: Position {
        Position(account: account, symbol: symbol, base: base, quote: quote, averageEntryPrice: avgEntryPrice,
                 realizedPnl: realizedPnl, feesPaid: fees)
    }
}

extension AnalysisReport {
    /// The wire form of the QuantAnalyst's reading of `symbol`.
    public init(symbol: String, _ report: QuantReport) {
        self.init(symbol: symbol, direction: report.direction, confidence: report.confidence, technicalScore: report.technicalScore,
                  trendStrength: report.trendStrength, sampleCount: report.sampleCount, fastEma: report.crossover?.fast,
                  slowEma: report.crossover?.slow, rsi: report.rsi, atr: report.atr, momentumZ: report.momentumZ,
                  volatility: report.volatility,
                  keyLevels: report.keyLevels.map { KeyLevelsPayload(support: $0.support, resistance: $0.resistance) },
                  lastPrice: report.lastPrice, thesis: report.thesis)
    }

    /// The view the risk rules take of this report.
    public var analysis: MarketAnalysis {
        MarketAnalysis(direction: direction, confidence: confidence, fastAverage: fastEma, slowAverage: slowEma,
                       momentumZ: momentumZ, volatility: volatility, sampleCount: sampleCount, reason: thesis)
    }
}

extension Execution {
    /// The execution a wire fill reports.
    public init(_ fill: FillPayload) { self.init(side: fill.side, qty: fill.qty, price: fill.price, fee: fill.fee) }
}
