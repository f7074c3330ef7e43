import Synchronization
import Trading
import WireFormat
import WireProtocol

/// The RiskManager's view of each account, all of it from the MarketMaker: holdings, balances
/// and margin books from `account.<name>` events and `inventory.get` snapshots, each account at
/// the version the venue numbered it with, plus the stop and leverage of the plans it approved
/// (which the venue does not know).
///
/// A class whose state is behind a lock rather than an actor: every assessment reads it and
/// every account event writes it, and a call into an actor and back is two task switches.
public final class PortfolioBook: Sendable {
    /// What the book holds of one account, as an assessment reads it.
    public struct AccountView: Sendable {
        /// Its rows, one per symbol.
        public var holdings: [Holding]
        /// The stops and leverage of plans approved for it.
        public var memos: PlanMemos
        /// Its balances and margin books; nil when the venue sent none.
        public var account: AccountPayload?
    }

    /// An account's balances and margin books with the venue epoch its version counts in.
    struct Versioned {
        var epoch: String
        var account: AccountPayload
        var version: UInt64 { account.version ?? 0 }
    }

    /// Everything the lock guards.
    struct State {
        var holdings: [String: Rows] = [:]
        /// Accounts whose snapshot came with an epoch and a version; only these are ever read
        /// without asking the venue.
        var accounts: [String: Versioned] = [:]
        var memos: [String: MemoTable] = [:]
        /// Each account as its `account.<name>` events alone left it, to apply the next event
        /// to (`AccountEventChain`); kept apart from `inventory.get` answers, which are not
        /// events and are not what the next event counts its changes from.
        var chains: [String: AccountEventChain] = [:]
        /// Accounts whose latest event could not be applied (the event it follows never came
        /// here): until a whole listing comes, no event is waited for.
        var broken: Set<String> = []
        /// Accounts whose rows are their chain's, as its latest event left them: nothing but
        /// events has set them since. The next event's unlisted rows are then the same rows but
        /// for their quote, and only that is set in them.
        var rowsFollowChains: Set<String> = []
        /// The orders each account's events have named lately (`ShownOrders`).
        var shownOrders: [String: ShownOrders] = [:]

        /// The account's holdings, by symbol, and plan memos.
        func view(of account: String) -> (holdings: [Holding], memos: PlanMemos) {
            (holdings[account]?.ordered ?? [], memos[account]?.memos ?? PlanMemos())
        }

        func view(of account: String, with fallback: AccountPayload?) -> AccountView {
            let (rows, memos) = view(of: account)
            return AccountView(holdings: rows, memos: memos, account: accounts[account]?.account ?? fallback)
        }

        func current(_ account: String, epoch: String?, after version: UInt64?) -> AccountView? {
            guard let known = accounts[account] else { return nil }
            if let epoch, known.epoch != epoch { return nil }
            if let version, known.version < version { return nil }
            return view(of: account, with: known.account)
        }

        /// Whether the book holds `account` at `version` in `epoch` (true), holds it in that
        /// epoch at an earlier version (nil: its event is due), or cannot expect it (false).
        func holds(_ account: String, epoch: String, version: UInt64) -> Bool? {
            guard let known = accounts[account], known.epoch == epoch else { return false }
            if known.version >= version { return true }
            return broken.contains(account) ? false : nil
        }

        /// Takes in venue rows. A plan memo is dropped once its position has been seen open and
        /// then flat or flipped, since its stop no longer applies; a row taken before the plan's
        /// order filled (still flat) leaves a fresh memo alone.
        mutating func apply(_ rows: [PositionPayload], lotSize: Quantity) {
            // An event's rows come account by account: each account's tables are looked up once
            // per run of its rows, not once per row.
            var start = rows.startIndex
            while start < rows.endIndex {
                let account = rows[start].account
                var end = start + 1
                while end < rows.endIndex, rows[end].account == account { end += 1 }
                if !rowsFollowChains.isEmpty { rowsFollowChains.remove(account) }
                Self.put(rows[start..<end], into: &holdings[account, default: Rows()])
                if memos[account] != nil {
                    memos[account, default: MemoTable()].settle(after: rows[start..<end], lotSize: lotSize)
                }
                start = end
            }
        }

        private static func put(_ rows: ArraySlice<PositionPayload>, into table: inout Rows) {
            var hint = 0
            for row in rows { hint = table.put(holding(row), hint: hint) }
        }

        private static func holding(_ row: PositionPayload) -> Holding {
            Holding(symbol: row.symbol, base: Quantity(wire: row.base), quote: Money(wire: row.quote),
                    averageEntryPrice: Price(wire: row.avgEntryPrice), mark: row.mark.map(Price.init(wire:)),
                    assets: row.baseAsset.flatMap { base in row.quoteAsset.map { AssetPair(base: base, quote: $0) } })
        }

        /// Takes in a snapshot, as `PortfolioBook.apply(_:)` describes, under the book's lock.
        mutating func take(_ snapshot: InventorySnapshot, lotSize: Quantity, waits: AccountVersionWaits) {
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
                // Under the book's lock: a waiter registers under it too, so none is missed.
                waits.holds(account.account, epoch: epoch, version: version)
            }
            apply(stale.isEmpty ? snapshot.positions : snapshot.positions.filter { !stale.contains($0.account) }, lotSize: lotSize)
        }

        /// Takes in an account as an event that listed `listed` (its changed rows, in symbol
        /// order) left its `chain`: what `take` does with the chain's whole listing. Where the
        /// account's rows follow the chain, only the listed rows are made anew and the others
        /// get their new quote; otherwise every row is taken.
        mutating func take(_ chain: AccountEventChain, listed: [PositionPayload], lotSize: Quantity, waits: AccountVersionWaits) {
            let name = chain.account.account
            if let epoch = chain.epoch, let version = chain.account.version, let known = accounts[name], known.epoch == epoch,
               known.version > version {
                // A late event: the book holds a newer version from the venue; its rows stay.
                rowsFollowChains.remove(name)
                return
            }
            guard rowsFollowChains.contains(name), let epoch = chain.epoch, let version = chain.account.version else {
                take(InventorySnapshot(positions: chain.rows, accounts: [chain.account], venueEpoch: chain.epoch), lotSize: lotSize, waits: waits)
                rowsFollowChains.insert(name)
                return
            }
            accounts[name] = Versioned(epoch: epoch, account: chain.account)
            waits.holds(name, epoch: epoch, version: version)
            var table = holdings.removeValue(forKey: name) ?? Rows()
            var nextListed = listed.startIndex, hint = 0
            // By index: a row is read where it is, its symbol and quote, rather than copied whole.
            for at in chain.rows.indices {
                if nextListed < listed.endIndex, listed[nextListed].symbol == chain.rows[at].symbol {
                    nextListed += 1
                } else if let next = table.requote(chain.rows[at].symbol, to: Money(wire: chain.rows[at].quote), hint: hint) {
                    hint = next
                    continue
                }
                hint = table.put(Self.holding(chain.rows[at]), hint: hint)
            }
            // Listed rows out of symbol order were passed over: every row is taken instead.
            if nextListed < listed.endIndex { Self.put(chain.rows[...], into: &table) }
            holdings[name] = table
            if memos[name] != nil {
                memos[name, default: MemoTable()].settle(after: chain.rows[...], lotSize: lotSize)
            }
        }
    }

    let state = Mutex(State())
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
        state.withLock { $0.take(snapshot, lotSize: desk.lotSize, waits: waits) }
    }

    /// Takes in an `account.<name>` event: a whole listing as `apply(_:)` does, and one that
    /// lists what changed since the account's previous event (`since_sequence`) applied to the
    /// account as the events before it left it. Rows of an account the event does not list
    /// are left out. The orders the event names are remembered with its version, and
    /// assessments waiting for one of them are let go (`awaitOrder`). An event that follows one
    /// this book never got
    /// is not applied: assessments that wait for it are let go at once (they ask the venue),
    /// and none waits for an event of the account until its next whole listing.
    public func applyEvent(_ event: InventorySnapshot) {
        guard let accounts = event.accounts, !accounts.isEmpty else {
            apply(event)
            return
        }
        var abandoned: [String] = []
        state.withLock { state in
            for account in accounts {
                // Only the account's own rows: one of another account has no place in its chain.
                let own = { (row: PositionPayload) in row.account == account.account }
                let rows = event.positions.allSatisfy(own) ? event.positions : event.positions.filter(own)
                if AccountEventChain.apply(account, rows: rows, epoch: event.venueEpoch, to: &state.chains[account.account]),
                   let chain = state.chains[account.account] {
                    if !state.broken.isEmpty { state.broken.remove(account.account) }
                    state.take(chain, listed: account.sinceSequence == nil ? chain.rows : rows, lotSize: desk.lotSize, waits: waits)
                    if let orders = account.orders, let epoch = chain.epoch, let version = chain.account.version {
                        state.noteShown(orders, account: account.account, version: version, epoch: epoch, waits: waits)
                    }
                } else {
                    state.broken.insert(account.account)
                    abandoned.append(account.account)
                }
            }
        }
        for account in abandoned { waits.abandon(account) }
    }

    /// The account as the book holds it, when the book holds it at `version` or later in
    /// `epoch` (either nil: any); nil when the venue must be asked.
    public func current(_ account: String, epoch: String?, after version: UInt64?) -> AccountView? {
        state.withLock { $0.current(account, epoch: epoch, after: version) }
    }

    /// Waits for the event that brings `account` to `version` in `epoch`, when the book holds the
    /// account in that epoch at an earlier version (the event is then due: the venue publishes
    /// it before answering the order the version counts). `expire` is handed the waiter's id at
    /// once, for a timer to end the wait. True once the book holds the version; false at once
    /// when no such event is due, or when the wait was expired or the epoch changed first.
    public func awaitVersion(_ account: String, epoch: String?, after version: UInt64?,
                             expire: @Sendable (_ end: @escaping @Sendable () -> Void) -> Void) async -> Bool {
        guard let epoch, let version else { return false }
        if let settled = state.withLock({ $0.holds(account, epoch: epoch, version: version) }) { return settled }
        return await withCheckedContinuation { continuation in
            // Looked at again and registered under the lock `apply` holds: no event can be
            // taken in between.
            let registered = state.withLock { state -> Int? in
                if let settled = state.holds(account, epoch: epoch, version: version) {
                    continuation.resume(returning: settled)
                    return nil
                }
                return waits.add(account: account, epoch: epoch, version: version, continuation)
            }
            if let id = registered { expire { [waits] in waits.expire(id) } }
        }
    }

    /// The account as the book holds it, with `fallback` for its balances when the book keeps
    /// none (a venue that does not version its accounts).
    public func view(of account: String, with fallback: AccountPayload?) -> AccountView {
        state.withLock { $0.view(of: account, with: fallback) }
    }

    /// Records the stop and leverage of an approved plan for when its position appears.
    public func remember(_ plan: TradePlan, account: String) {
        state.withLock { state in
            state.memos[account, default: MemoTable()].remember(PlanMemo(side: plan.side, stopPrice: plan.stopPrice, leverage: plan.leverage),
                                                                for: plan.symbol)
        }
    }

    /// One line per account for `hedgectl status`: capital, open positions, exposure, heat.
    public func notes() -> [String] {
        let views = state.withLock { state in state.holdings.keys.sorted().map { ($0, state.view(of: $0)) } }
        return views.compactMap { account, view in
            guard let (portfolio, assumed) = try? desk.portfolio(holdings: view.holdings, memos: view.memos, cashSymbol: ""),
                  portfolio.capital.isPositive else { return nil }
            let exposure = (portfolio.exposurePct ?? 0) * 100, heat = (portfolio.portfolioHeat ?? 0) * 100
            return "\(account): capital \(portfolio.capital.text(places: 2)), \(portfolio.positions.count) open, "
                + "exposure \(Self.fixed(exposure))%, heat \(Self.fixed(heat))%"
                + (assumed.isEmpty ? "" : ", assumed stops: \(assumed.joined(separator: " "))")
        }
    }

    private static func fixed(_ value: Double) -> String { "\((value * 100).rounded() / 100)" }
}
