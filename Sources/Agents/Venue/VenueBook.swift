import Configuration
import Foundation
import Ledger
import Trading
import WireFormat
import WireProtocol

/// What `VenueState` guards: the simulated venue, one market feed per symbol, the quoting state,
/// and the trace each resting order came from (so its later fills join that trace). Every
/// operation is appended to the journal while the state is held, so the journal sees them in
/// the order they happened; replies and events wait for the commit.
struct VenueBook {
    /// What an order request did.
    struct Outcome {
        var report: OrderReport
        /// False when the order was a repeat of an earlier client order id (nothing executed).
        var executed: Bool
        /// Done once the order, and everything the venue did before it, is durable: the reply
        /// and the order's events wait for it.
        var commit: JournalCommit
    }

    var venue: SimulatedVenue
    var feeds: [(symbol: String, feed: MarketFeed)]
    let limits: InventoryLimits
    /// Commits every venue operation, in order; nil runs without persistence.
    let journal: (any VenueJournal)?
    var overLimit: Set<PositionKey> = []
    var restingTraces: [String: TraceContext] = [:]
    /// Recent mids per symbol, for the quoting volatility estimate.
    var mids: [String: [Double]] = [:]
    var quoting: [String: QuotingState] = [:]
    /// Rows a followed replay file could not supply, not yet logged.
    var feedProblems: [String] = []
    /// This run's id, chosen at random when the venue starts, so that account versions counted
    /// by an earlier run are never taken for this run's.
    let epoch: String
    /// Each account's version in this epoch: how many committed operations changed its
    /// balances, positions or reservations.
    var accountVersions: [String: UInt64] = [:]
    /// Accounts changed since their last `account.<name>` event was taken.
    var changedAccounts: Set<String> = []
    /// Orders whose changes no published `account.<name>` event has named yet.
    var orderNames = AccountOrderNames()
    /// `account.<name>` snapshots taken before a later change to their accounts (see
    /// `beginChange`), oldest first, each with the commit that makes it durable.
    var earlyAccountSnapshots: [(account: String, snapshot: InventorySnapshot, commit: JournalCommit)] = []
    /// `account.<name>` snapshots to publish together once `commit` is done.
    typealias DueAccountSnapshots = (snapshots: [InventorySnapshot], commit: JournalCommit)
    /// Accounts whose figures a tick moved (by the mark of a symbol they hold, trade or rest
    /// orders in) since their last `account.<name>` event was taken.
    var remarkedAccounts: Set<String> = []
    /// The rows of the `account.<name>` snapshots taken so far, reused where nothing they
    /// show has moved.
    var accountRows = PositionRowMemo()

    /// Builds the venue from the topology (see `VenueState.init`).
    init(market: MarketSection, accounts: [AccountSection], journal: (any VenueJournal)?, at timestamp: Int64) throws {
        let config = VenueConfig(takerFeeBps: market.takerFeeBps, makerFeeBps: market.makerFeeBps, slippageBps: market.slippageBps)
        // A short-enabled account without max_leverage is fully collateralised (leverage 1).
        let accountConfigs = accounts.map { account in
            AccountConfig(name: account.name, balances: account.balances, allowShort: account.allowShort,
                          margin: (account.maxLeverage ?? (account.allowShort ? 1 : nil))
                              .map { MarginTerms(maxLeverage: $0, maintenanceBps: market.maintenanceMarginBps) })
        }
        var rules: [String: SymbolRules] = [:]
        var perSymbol: [String: Quantity] = [:]
        for symbol in market.symbols {
            let depth = symbol.venue.depth.map { depth in
                MarketDepth(levels: depth.levels, levelQty: depth.levelQty, stepBps: depth.stepBps, refillQty: depth.refillQty,
                            unfilled: depth.unfilled)
            }
            rules[symbol.symbol] = SymbolRules(tickSize: symbol.tick, lotSize: symbol.venue.lotSize, minQty: symbol.venue.minQty,
                                               quoteStep: symbol.venue.quoteStep, displayedSize: symbol.venue.displayedSize, depth: depth,
                                               assets: symbol.assets, funding: (symbol.venue.funding ?? market.funding)?.terms)
            perSymbol[symbol.symbol] = symbol.maxInventory
        }
        venue = try SimulatedVenue(config: config, accounts: accountConfigs, symbols: market.symbols.map(\.symbol), rules: rules)
        if let journal { try venue.restore(journal.recordedState()) }
        if let archive = journal?.clientOrderArchive, market.clientOrderMemory > 0 {
            try venue.keepClientOrders(inMemory: market.clientOrderMemory, archive: archive)
        }
        limits = try InventoryLimits(perSymbol: perSymbol)
        var feeds: [(String, MarketFeed)] = []
        for (index, symbol) in market.symbols.enumerated() {
            let feed: MarketFeed
            if let path = symbol.venue.replay, symbol.venue.replayFollow {
                feed = .following(ReplayFollower(path: path))
            } else if let path = symbol.venue.replay {
                feed = .replay(try TickReplay(csv: try String(contentsOfFile: path, encoding: .utf8)))
            } else {
                let config = PriceProcessConfig(startPrice: symbol.startPrice, drift: symbol.drift, volatility: symbol.volatility,
                                                tickSize: symbol.tickSize, spreadBps: symbol.spreadBps,
                                                stepSeconds: Double(market.tickMs) / 1_000)
                // Each symbol gets its own stream derived from the one seed, so adding a symbol
                // does not change the others' prices.
                feed = .simulated(try PriceProcess(config: config, seed: market.seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15))
            }
            feeds.append((symbol.symbol, feed))
            if let quoting = symbol.venue.quoting {
                self.quoting[symbol.symbol] = try QuotingState(symbol: symbol.symbol, section: quoting, tickSize: symbol.tick)
            }
        }
        self.feeds = feeds
        self.journal = journal
        epoch = Self.makeEpoch()
        // The first quote of each feed opens the market, so orders can fill before the first tick;
        // restored resting orders it crosses fill here, and are recorded like any other.
        for index in self.feeds.indices {
            if let quote = self.feeds[index].feed.next() {
                let mark = LedgerMark(&venue)
                let fills = venue.updateQuote(symbol: self.feeds[index].symbol, quote: quote, at: timestamp)
                _ = journal?.append(LedgerBatch(.quote(fills: fills), venue: venue, since: mark, at: timestamp))
            }
        }
    }

    /// Appends what `operation` changed to the journal and counts a new version of every account
    /// it changed; the commit is done once it is durable.
    @discardableResult
    mutating func persist(_ operation: VenueOperation, since mark: LedgerMark, at timestamp: Int64) -> JournalCommit {
        let batch = LedgerBatch(operation, venue: venue, since: mark, at: timestamp)
        countVersions(of: batch)
        guard let journal else { return .done }
        return journal.append(batch)
    }

    /// Done once everything the venue has done so far is durable: a reader of the venue's
    /// state waits for it before answering, so nobody acts on a state a crash could undo.
    func barrier() -> JournalCommit {
        journal?.barrier() ?? .done
    }

    /// Executes (or replays) an order.
    mutating func submit(_ order: OrderSubmit, trace: TraceContext, at timestamp: Int64) -> Outcome {
        execute(OrderRequest(order), trace: trace, at: timestamp)
    }

    mutating func execute(_ request: OrderRequest, trace: TraceContext, at timestamp: Int64) -> Outcome {
        let mark = beginChange(for: request.account)
        let result = venue.submit(request, at: timestamp)
        let commit = persist(.submit(request, result), since: mark, at: timestamp)
        // A repeated client order id replays the first result without taking an order id.
        let executed = venue.ordersSubmitted > mark.ordersSubmitted
        // Partially filled may also mean the rest was cancelled (depth); only a resting order keeps a trace.
        if executed, venue.restingOrder(id: result.orderId) != nil {
            restingTraces[result.orderId] = trace
        }
        return Outcome(report: versioned(OrderReport(result)), executed: executed, commit: commit)
    }

    /// Positions matching the optional filters and the matching accounts' balances per
    /// asset, with the commit that makes them durable.
    func durablePositions(symbol: String? = nil, account: String? = nil) -> ([PositionPayload], [AccountPayload], JournalCommit) {
        (positions(symbol: symbol, account: account), accounts(account: account), barrier())
    }

    /// Every account's position in `symbol` (what an `inventory.<symbol>` event carries: no
    /// balances) and its inventory view, from one listing, with the commit that makes them durable.
    func durableInventory(of symbol: String) -> (positions: [PositionPayload], states: [InventoryState], commit: JournalCommit) {
        var positions: [PositionPayload] = [], states: [InventoryState] = []
        let count = venue.positionViewCount(symbol: symbol)
        positions.reserveCapacity(count)
        states.reserveCapacity(count)
        venue.forEachPositionView(symbol: symbol, limits: limits) { view in
            positions.append(Self.payload(view))
            states.append(view.inventory)
        }
        return (positions, states, barrier())
    }

    /// The balances per asset of `account`, or of every account.
    func accounts(account: String? = nil) -> [AccountPayload] {
        venue.accountNames.filter { account == nil || $0 == account }.compactMap { name in
            venue.assetHoldings(account: name).map {
                let books = venue.marginBooks(account: name)
                var payload = AccountPayload(account: name, holdings: $0, margin: books.margin, margins: books.margins)
                payload.version = accountVersions[name] ?? 0
                return payload
            }
        }
    }

    /// Positions matching the optional filters, marked at the current mid.
    func positions(symbol: String? = nil, account: String? = nil) -> [PositionPayload] {
        var rows: [PositionPayload] = []
        rows.reserveCapacity(venue.positionViewCount(symbol: symbol, account: account))
        venue.forEachPositionView(symbol: symbol, account: account, limits: limits) { rows.append(Self.payload($0)) }
        return rows
    }

    /// A listed position as a payload, with its inventory view.
    static func payload(_ view: PositionView) -> PositionPayload {
        var row = PositionPayload(view.position, pair: view.pair, mark: view.mark)
        row.include(view.inventory)
        return row
    }

    /// Which of `states` (inventory views of one symbol, as `durableInventory` lists them) just
    /// went over their limit; those back within it are forgotten. A state reads only its own
    /// account's slot in the symbol and the symbol's mark, so a fill changes the states of its
    /// symbol alone.
    mutating func newlyOverLimit(_ states: [InventoryState]) -> [InventoryState] {
        var fresh: [InventoryState] = []
        // Nothing to forget while nothing is over its limit: no key is hashed then.
        for state in states where state.isOverLimit || !overLimit.isEmpty {
            let key = PositionKey(account: state.account, symbol: state.symbol)
            if state.isOverLimit {
                if overLimit.insert(key).inserted { fresh.append(state) }
            } else {
                overLimit.remove(key)
            }
        }
        return fresh
    }
}
