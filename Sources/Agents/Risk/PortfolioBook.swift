import Trading
import WireFormat
import WireProtocol

/// The RiskManager's view of each account, all of it from the MarketMaker: holdings, balances
/// and margin books from `account.<name>` events and `inventory.get` snapshots, each account at
/// the version the venue numbered it with, plus the stop and leverage of the plans it approved
/// (which the venue does not know).
public actor PortfolioBook {
    /// What the book holds of one account, as an assessment reads it.
    public struct AccountView: Sendable {
        /// Its rows, one per symbol.
        public var holdings: [Holding]
        /// The stops and leverage of plans approved for it.
        public var memos: [String: PlanMemo]
        /// Its balances and margin books; nil when the venue sent none.
        public var account: AccountPayload?
    }

    /// An account's balances and margin books with the venue epoch its version counts in.
    private struct Versioned {
        var epoch: String
        var account: AccountPayload
        var version: UInt64 { account.version ?? 0 }
    }

    private var holdings: [String: [String: Holding]] = [:]
    /// Accounts whose snapshot came with an epoch and a version; only these are ever read
    /// without asking the venue.
    private var accounts: [String: Versioned] = [:]
    private var memos: [String: [String: PlanMemo]] = [:]
    /// Memos whose position the venue has shown open.
    private var seenOpen: Set<PositionKey> = []
    private let desk: RiskDesk
    /// Assessments waiting for an account event on its way.
    let waits = AccountVersionWaits()

    /// An empty book valued with `desk`'s rules.
    public init(desk: RiskDesk) { self.desk = desk }

    /// Takes in an `account.<name>` event or an `inventory.get` answer: each account's balances
    /// and its rows, except for an account the book already holds at a newer version of the
    /// same epoch (a late event, or an answer overtaken by an event). An account sent without
    /// a version is not kept, so it is read from the venue again next time.
    public func apply(_ snapshot: InventorySnapshot) {
        var stale: Set<String> = []
        for account in snapshot.accounts ?? [] {
            guard let epoch = snapshot.venueEpoch, let version = account.version else {
                accounts[account.account] = nil
                continue
            }
            if let known = accounts[account.account], known.epoch == epoch, known.version > version {
                stale.insert(account.account)
                continue
            }
            accounts[account.account] = Versioned(epoch: epoch, account: account)
            waits.holds(account.account, epoch: epoch, version: version)
        }
        apply(stale.isEmpty ? snapshot.positions : snapshot.positions.filter { !stale.contains($0.account) })
    }

    /// The account as the book holds it, when the book holds it at `version` or later in
    /// `epoch` (either nil: any); nil when the venue must be asked.
    public func current(_ account: String, epoch: String?, after version: UInt64?) -> AccountView? {
        guard let known = accounts[account] else { return nil }
        if let epoch, known.epoch != epoch { return nil }
        if let version, known.version < version { return nil }
        return view(of: account, with: known.account)
    }

    /// Waits for the event that brings `account` to `version` in `epoch`, when the book holds the
    /// account in that epoch at an earlier version (the event is then due: the venue publishes
    /// it before answering the order the version counts). `expire` is handed the waiter's id at
    /// once, for a timer to end the wait. True once the book holds the version; false at once
    /// when no such event is due, or when the wait was expired or the epoch changed first.
    public func awaitVersion(_ account: String, epoch: String?, after version: UInt64?,
                             expire: @Sendable (_ end: @escaping @Sendable () -> Void) -> Void) async -> Bool {
        guard let epoch, let version, let known = accounts[account], known.epoch == epoch else { return false }
        if known.version >= version { return true }
        return await withCheckedContinuation { continuation in
            // Registered inside the actor's turn: no event can be taken in between.
            let id = waits.add(account: account, epoch: epoch, version: version, continuation)
            expire { [waits] in waits.expire(id) }
        }
    }

    /// The account as the book holds it, with `fallback` for its balances when the book keeps
    /// none (a venue that does not version its accounts).
    public func view(of account: String, with fallback: AccountPayload?) -> AccountView {
        let (rows, memos) = view(of: account)
        return AccountView(holdings: rows, memos: memos, account: accounts[account]?.account ?? fallback)
    }

    /// Takes in venue rows. A plan memo is dropped once its position
    /// has been seen open and then flat or flipped, since its stop no longer applies; a row
    /// taken before the plan's order filled (still flat) leaves a fresh memo alone.
    func apply(_ rows: [PositionPayload]) {
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
