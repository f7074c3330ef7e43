import Trading
import WireFormat
import WireProtocol

/// The RiskManager's view of each account, all of it from the MarketMaker: holdings from
/// `inventory.<symbol>` events and `inventory.get` snapshots, plus the stop and leverage of
/// the plans it approved (which the venue does not know).
public actor PortfolioBook {
    private var holdings: [String: [String: Holding]] = [:]
    private var memos: [String: [String: PlanMemo]] = [:]
    /// Memos whose position the venue has shown open.
    private var seenOpen: Set<PositionKey> = []
    private let desk: RiskDesk

    /// An empty book valued with `desk`'s rules.
    public init(desk: RiskDesk) { self.desk = desk }

    /// Takes in venue rows (an event or a snapshot). A plan memo is dropped once its position
    /// has been seen open and then flat or flipped, since its stop no longer applies; a row
    /// taken before the plan's order filled (still flat) leaves a fresh memo alone.
    public func apply(_ rows: [PositionPayload]) {
        for row in rows {
            holdings[row.account, default: [:]][row.symbol] = Holding(
                symbol: row.symbol, base: Quantity(wire: row.base), quote: Money(wire: row.quote),
                averageEntryPrice: Price(wire: row.avgEntryPrice), mark: row.mark.map(Price.init(wire:)),
                assets: row.baseAsset.flatMap { base in row.quoteAsset.map { AssetPair(base: base, quote: $0) } })
            guard let memo = memos[row.account]?[row.symbol] else { continue }
            let key = PositionKey(account: row.account, symbol: row.symbol)
            let base = Quantity(wire: row.base)
            if memo.side == .buy ? base >= desk.lotSize : -base >= desk.lotSize {
                seenOpen.insert(key)
            } else if seenOpen.contains(key) {
                memos[row.account]?[row.symbol] = nil
                seenOpen.remove(key)
            }
        }
    }

    /// Records the stop and leverage of an approved plan for when its position appears.
    public func remember(_ plan: TradePlan, account: String) {
        memos[account, default: [:]][plan.symbol] = PlanMemo(side: plan.side, stopPrice: plan.stopPrice, leverage: plan.leverage)
        seenOpen.remove(PositionKey(account: account, symbol: plan.symbol))
    }

    /// The account's holdings and plan memos.
    public func view(of account: String) -> (holdings: [Holding], memos: [String: PlanMemo]) {
        let rows = holdings[account] ?? [:]
        return (rows.keys.sorted().compactMap { rows[$0] }, memos[account] ?? [:])
    }

    /// One line per account for `hedgectl status`: capital, open positions, exposure, heat.
    public func notes() -> [String] {
        holdings.keys.sorted().compactMap { account in
            let (rows, memos) = view(of: account)
            guard let (portfolio, assumed) = try? desk.portfolio(holdings: rows, memos: memos, cashSymbol: ""),
                  portfolio.capital.isPositive else { return nil }
            let exposure = (portfolio.exposurePct ?? 0) * 100, heat = (portfolio.portfolioHeat ?? 0) * 100
            return "\(account): capital \(portfolio.capital.text(places: 2)), \(portfolio.positions.count) open, "
                + "exposure \(Self.fixed(exposure))%, heat \(Self.fixed(heat))%"
                + (assumed.isEmpty ? "" : ", assumed stops: \(assumed.joined(separator: " "))")
        }
    }

    private static func fixed(_ value: Double) -> String { "\((value * 100).rounded() / 100)" }
}
