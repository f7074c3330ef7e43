/// One account's holding in one symbol as the venue reports it: the input the RiskManager
/// builds its portfolio from, so its view is the venue's, not its own bookkeeping.
public struct Holding: Sendable, Hashable, Codable {
    /// Symbol held, e.g. "BTC-USD".
    public var symbol: String
    /// Base units held; negative is a short.
    public var base: Quantity
    /// The account's balance of the symbol's quote asset (shared by every symbol quoted in it).
    public var quote: Money
    /// Weighted average entry of the open position; 0 when flat.
    public var averageEntryPrice: Price
    /// The venue's current mid, when it has one.
    public var mark: Price?
    /// The assets `base` and `quote` are balances of; nil when the venue did not say, and
    /// then each holding's quote counts as a balance of its own.
    public var assets: AssetPair?

    /// Creates a holding.
    public init(symbol: String, base: Quantity, quote: Money, averageEntryPrice: Price, mark: Price?, assets: AssetPair? = nil) {
        self.symbol = symbol
        self.base = base
        self.quote = quote
        self.averageEntryPrice = averageEntryPrice
        self.mark = mark
        self.assets = assets
    }
}

/// What the RiskManager keeps of a plan it approved once the position exists: the side, the
/// stop and the leverage, which the venue does not know.
public struct PlanMemo: Sendable, Hashable, Codable {
    /// `.buy` for a long, `.sell` for a short.
    public var side: Side
    /// The plan's protective stop.
    public var stopPrice: Price
    /// The plan's leverage.
    public var leverage: Int

    /// Creates a memo.
    public init(side: Side, stopPrice: Price, leverage: Int) {
        self.side = side
        self.stopPrice = stopPrice
        self.leverage = leverage
    }
}

/// The RiskManager's decision rules around `TradePlanner`: a confidence floor, spot
/// accounts that may not open shorts, the portfolio built from the venue's holdings, and
/// order sizes in whole lots.
public struct RiskDesk: Sendable, Hashable {
    /// Sizes and vets the trade.
    public var planner: TradePlanner
    /// Signals below this confidence are refused before sizing.
    public var minConfidence: Double
    /// Smallest quantity step; order sizes are rounded down to whole lots exactly.
    public var lotSize: Quantity
    /// Stop distance, as a fraction of entry, assumed for a held position without a plan
    /// on record (a position opened before this RiskManager started), and used for a new
    /// one when the stop rule needs an ATR the analysis does not have yet.
    public var assumedStopPct: Double
    /// Cash kept back for the fill's fee, spread and slippage: the planner may spend
    /// cash / (1 + feeAllowanceBps / 10,000) rounded down to 10⁻⁸, so a trade sized by cash
    /// still clears the venue's quote check.
    public var feeAllowanceBps: Double

    /// Creates a desk.
    public init(planner: TradePlanner, minConfidence: Double, lotSize: Quantity = Quantity(raw: 1), assumedStopPct: Double = 0.02,
                feeAllowanceBps: Double = 25) {
        self.planner = planner
        self.minConfidence = minConfidence
        self.lotSize = lotSize
        self.assumedStopPct = assumedStopPct
        self.feeAllowanceBps = feeAllowanceBps
    }

    /// The portfolio `holdings` make: capital = Σ(quote + base × mark) counting each asset's
    /// balance once (holdings that share USD add it once), cash = the quote balance of
    /// `symbol`, and one open position per non-zero base, with the stop and
    /// leverage of its plan when `memos` has one on the same side, otherwise a stop
    /// `assumedStopPct` from entry (rounded away from entry, as `StopRule.percent` places
    /// it) at `assumedLeverage` (1x, or the venue's max leverage for a margin account);
    /// those symbols are returned in `assumed`. Exact: each base × mark rounds down (towards
    /// −∞, so a long counts for no more and a short for no less than it is); throws when a
    /// sum leaves the range.
    public func portfolio(
        holdings: [Holding], memos: PlanMemos, cashSymbol symbol: String, assumedLeverage: Int = 1
    ) throws(FixedPointError) -> (snapshot: PortfolioSnapshot, assumed: [String]) {
        var capital = Money.zero
        // Arrays get room for every holding when their first element comes, not before: a
        // flat account makes no position and names no assets.
        var positions: [OpenTrade] = []
        var assumed: [String] = []
        var counted = DistinctNames(capacity: holdings.count + 1)
        // Holdings mostly share their quote asset: one that is the previous holding's was counted then.
        var previousQuote: String?
        // Holdings come in symbol order, as memos are kept: each memo is looked for after the last.
        var nextMemo = 0
        // No closure over `holding` in the loop: one made each holding a copy of its own.
        for holding in holdings {
            let mark = holding.mark.flatMap { $0.isPositive ? $0 : nil }
            let entry = holding.averageEntryPrice.isPositive ? holding.averageEntryPrice : mark
            // A holding whose assets the venue did not name counts in full.
            var quoteFirstSeen = true, baseFirstSeen = true
            if let assets = holding.assets {
                quoteFirstSeen = assets.quote != previousQuote && counted.insert(assets.quote)
                previousQuote = assets.quote
                baseFirstSeen = counted.insert(assets.base)
            }
            if quoteFirstSeen { capital = try capital.adding(holding.quote) }
            if baseFirstSeen, let price = mark ?? entry {
                capital = try capital.adding(try price.notional(holding.base, .down))
            }
            guard !holding.base.isZero, let entry else { continue }
            let side: Side = holding.base.isPositive ? .buy : .sell
            let qty = holding.base.magnitude
            if positions.isEmpty { positions.reserveCapacity(holdings.count) }
            if let memo = memos.memo(for: holding.symbol, after: &nextMemo), memo.side == side {
                positions.append(OpenTrade(symbol: holding.symbol, side: side, qty: qty, entryPrice: entry,
                                           stopPrice: memo.stopPrice, leverage: memo.leverage))
            } else {
                guard let stop = StopRule.percent(assumedStopPct).stopPrice(side: side, entry: entry, atr: nil) else {
                    throw FixedPointError("no stop \(assumedStopPct) from \(entry) for the held \(holding.symbol)")
                }
                if assumed.isEmpty { assumed.reserveCapacity(holdings.count) }
                assumed.append(holding.symbol)
                positions.append(OpenTrade(symbol: holding.symbol, side: side, qty: qty, entryPrice: entry,
                                           stopPrice: stop, leverage: max(1, assumedLeverage)))
            }
        }
        let cash = holdings.first { $0.symbol == symbol }?.quote ?? .zero
        return (PortfolioSnapshot(capital: capital, cash: cash, positions: positions), assumed)
    }

    /// Decides on a `side` trade in `symbol` with signal `confidence`, priced at `entry`
    /// with the analysis's `atr`, for an account holding `holdings`. The approved plan's
    /// quantity is in whole lots, and so is every target but the last, which takes the
    /// rest; its stop and targets are on the symbol's `tick` grid.
    public func assess(
        symbol: String, side: Side, confidence: Double, entry: Price?, atr: Double?, allowShort: Bool,
        holdings: [Holding], memos: PlanMemos, assumedLeverage: Int = 1, tick: Price = Price(raw: 1)
    ) -> TradePlanDecision {
        assessment(symbol: symbol, side: side, confidence: confidence, entry: entry, atr: atr, allowShort: allowShort,
                   holdings: holdings, memos: memos, assumedLeverage: assumedLeverage, tick: tick).decision
    }

    /// `assess`'s decision with the valuation of the account it was made on, so a caller that
    /// reports the capital and the assumed stops beside an approved plan does not value the
    /// account a second time.
    public func assessment(
        symbol: String, side: Side, confidence: Double, entry: Price?, atr: Double?, allowShort: Bool,
        holdings: [Holding], memos: PlanMemos, assumedLeverage: Int = 1, tick: Price = Price(raw: 1)
    ) -> RiskAssessment {
        guard confidence.isFinite, confidence >= minConfidence else {
            return RiskAssessment(.rejected(TradeRejection(
                limit: .minConfidence, observed: confidence, allowed: minConfidence,
                message: "signal confidence \(NumberText.fixed(confidence, 2)) is below minConfidence \(NumberText.fixed(minConfidence, 2))")))
        }
        guard let entry, entry.isPositive else {
            return RiskAssessment(.rejected(TradeRejection(limit: .marketData, message: "no usable price for \(symbol) yet")))
        }
        let held = holdings.first { $0.symbol == symbol }?.base ?? 0
        if side == .sell, !allowShort, held < lotSize {
            return RiskAssessment(.rejected(TradeRejection(
                limit: .allowShort, observed: held.double,
                message: "the account is spot (allow_short is off) and holds \(held) \(symbol): a sell would open a short")))
        }
        var portfolio: PortfolioSnapshot
        let assumed: [String]
        do {
            (portfolio, assumed) = try self.portfolio(holdings: holdings, memos: memos, cashSymbol: symbol, assumedLeverage: assumedLeverage)
            portfolio.cash = try portfolio.cash.scaled(by: Self.bpsScale, over: Self.bpsScale + feeAllowance(), .down)
        } catch {
            return RiskAssessment(.rejected(TradeRejection(limit: .input, message: "the account cannot be valued: \(error)")))
        }
        let proposal = TradeProposal(symbol: symbol, side: side, entryPrice: entry, atr: atr, confidence: confidence,
                                     lot: lotSize, tick: tick)
        var planner = self.planner
        var stopNote = ""
        if case .atr = planner.limits.stopRule, atr == nil {
            planner.limits.stopRule = .percent(assumedStopPct)
            stopNote = "; no ATR yet, so the stop is \(NumberText.percent(assumedStopPct)) from entry"
        }
        let valuation = RiskAssessment.Valuation(capital: portfolio.capital, assumedStops: assumed)
        let decision = planner.plan(proposal, portfolio: portfolio)
        guard var plan = decision.plan else { return RiskAssessment(decision, valuation: valuation) }
        plan.summary += stopNote
        return RiskAssessment(.approved(plan), valuation: valuation)
    }

    /// 1 as basis points scaled by 10⁸: 10,000 × 10⁸.
    private static let bpsScale: Int64 = 1_000_000_000_000

    /// feeAllowanceBps in units of 10⁻⁸ bp (negative counts as 0).
    private func feeAllowance() throws(FixedPointError) -> Int64 {
        guard let bps = ExactFraction(max(0, feeAllowanceBps)), bps.raw <= Int64.max - Self.bpsScale else {
            throw FixedPointError("fee allowance \(feeAllowanceBps) bp is out of range")
        }
        return bps.raw
    }
}

/// A `RiskDesk` decision and, once the desk got as far as valuing the account, what it found.
public struct RiskAssessment: Sendable {
    /// The account's value as the decision saw it.
    public struct Valuation: Sendable, Hashable {
        /// Σ(quote + base × mark), each asset counted once.
        public var capital: Money
        /// Symbols held without a plan of this desk's, valued with an assumed stop.
        public var assumedStops: [String]

        /// A valuation of `capital` with stops assumed for `assumedStops`.
        public init(capital: Money, assumedStops: [String]) {
            self.capital = capital
            self.assumedStops = assumedStops
        }
    }

    /// Approved with a plan, or rejected naming the limit.
    public var decision: TradePlanDecision
    /// Nil when the decision came before the valuation (confidence, price, short checks) or the
    /// account could not be valued; always set for an approved plan.
    public var valuation: Valuation?

    /// A decision with the valuation it was made on, if any.
    public init(_ decision: TradePlanDecision, valuation: Valuation? = nil) {
        self.decision = decision
        self.valuation = valuation
    }
}
