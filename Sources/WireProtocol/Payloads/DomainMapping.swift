import WireFormat
import Trading

// Conversions between the trading library's values and their wire payloads, in one place so
// every agent maps them the same way.

extension FillPayload {
    /// The wire form of a venue fill.
    public init(_ fill: Fill) {
        self.init(orderId: fill.orderId, clientOrderId: fill.clientOrderId, account: fill.account, symbol: fill.symbol,
                  side: fill.side, price: fill.price.wire, qty: fill.qty.wire, fee: fill.fee.wire)
    }
}

extension Fill {
    /// The venue fill a wire fill reports, stamped `timestampMicros` (the wire form has no time).
    public init(_ fill: FillPayload, at timestampMicros: Int64) {
        self.init(orderId: fill.orderId, clientOrderId: fill.clientOrderId, account: fill.account, symbol: fill.symbol,
                  side: fill.side, price: Price(wire: fill.price), qty: Quantity(wire: fill.qty), fee: Money(wire: fill.fee),
                  timestampMicros: timestampMicros)
    }
}

extension OrderRequest {
    /// The venue request an `order.submit` asks for.
    public init(_ order: OrderSubmit) {
        self.init(clientOrderId: order.clientOrderId, account: order.account, symbol: order.symbol,
                  side: order.side, type: order.type, qty: Quantity(wire: order.qty), limitPrice: order.price.map(Price.init(wire:)))
    }
}

extension AccountPayload {
    /// The wire form of an account's balances and margin books (`margins`: one per quote
    /// asset, empty for a spot account; `margin`: the one book of a single-quote venue).
    public init(account: String, holdings: [AssetHolding], margin: MarginState? = nil, margins: [MarginState] = []) {
        self.init(account: account, balances: holdings.map { holding in
            AssetBalancePayload(asset: holding.asset, amount: holding.amount.wire, reserved: holding.reserved.wire,
                                available: holding.available.wire)
        }, margin: margin.map(MarginPayload.init), margins: margins.isEmpty ? nil : margins.map(MarginPayload.init))
    }
}

extension OrderReport {
    /// The wire form of what the venue did with an order.
    public init(_ result: OrderResult) {
        self.init(orderId: result.orderId, clientOrderId: result.clientOrderId, account: result.account, symbol: result.symbol,
                  side: result.side, type: result.type, status: result.status, qty: result.requestedQty.wire,
                  filledQty: result.filledQty.wire, avgPrice: result.averagePrice?.wire, fills: result.fills.map(FillPayload.init),
                  reason: result.rejection?.message, reasonCode: result.rejection?.code.rawValue)
    }
}

extension PositionPayload {
    /// The wire form of a position, marked at `mark` when known. A flat position's unrealised
    /// PnL is zero, as its product gives, without working it out.
    public init(_ position: Position, mark: Price?) {
        let unrealized = position.base.isZero ? 0 : mark.flatMap { position.unrealizedPnl(mark: $0) } ?? 0
        self.init(account: position.account, symbol: position.symbol, base: position.base.wire, quote: position.quote.wire,
                  avgEntryPrice: position.averageEntryPrice.wire, realizedPnl: position.realizedPnl.wire,
                  unrealizedPnl: unrealized.wire, fees: position.feesPaid.wire, mark: mark?.wire)
    }

    /// The row of a venue position (whose base and quote are the account's balances of the
    /// symbol's two assets) naming those assets.
    public init(_ position: Position, pair: AssetPair, mark: Price?) {
        self.init(position, mark: mark)
        baseAsset = pair.base
        quoteAsset = pair.quote
    }

    /// Adds the pending exposure, effective inventory and limit.
    public mutating func include(_ state: InventoryState) {
        pendingBuy = state.pendingBuyQty.wire
        pendingSell = state.pendingSellQty.wire
        effectiveInventory = state.effectiveInventory.wire
        maxInventory = state.maxInventory?.wire
        overLimit = state.isOverLimit
        hedgeSuggestion = state.hedgeSuggestion.map { "\($0.side.rawValue) \($0.qty): \($0.reason)" }
    }

    /// The trading library's view of this row.
    public var position: Position {
        Position(account: account, symbol: symbol, base: Quantity(wire: base), quote: Money(wire: quote),
                 averageEntryPrice: Price(wire: avgEntryPrice), realizedPnl: Money(wire: realizedPnl), feesPaid: Money(wire: fees))
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
    public init(_ fill: FillPayload) {
        self.init(side: fill.side, qty: Quantity(wire: fill.qty), price: Price(wire: fill.price), fee: Money(wire: fill.fee))
    }
}
