/// The simulated venue: a deterministic, in-memory market for accounts, positions, quotes
/// and resting limit orders.
///
/// Accounts and symbols are numbered once at start-up and all per-(account, symbol) state
/// lives in flat arrays indexed by those numbers, so the order path looks each name up
/// once and otherwise touches only the idempotency record (and, for resting orders, the
/// book).
///
/// Every result submitted with a client order id is remembered for replay: in memory for the
/// life of the venue, or, after `keepClientOrders(inMemory:archive:)`, the recent ones in
/// memory and the rest in a durable archive.
public struct SimulatedVenue: Sendable {
    /// Fee and slippage schedule.
    public let config: VenueConfig
    /// `config`'s rates, exact.
    let takerFee: BasisPoints
    let makerFee: BasisPoints
    let slippage: BasisPoints
    /// Account names in configuration order.
    public let accountNames: [String]
    /// Listed symbols in configuration order.
    public let symbols: [String]
    /// Orders submitted so far, replays excluded; the last id issued is "O-\(ordersSubmitted)".
    public internal(set) var ordersSubmitted = 0

    let accountIndex: NameIndex
    let symbolIndex: NameIndex
    /// Account and symbol numbers in name order, for listings ordered by name.
    let accountsByName: [Int]
    let symbolsByName: [Int]
    /// Margin terms per account, nil for a spot account (every short-enabled account has them).
    let marginTerms: [MarginTerms?]
    /// The margin books: every asset some symbol is quoted in, in asset order. A margin
    /// account's positions in the symbols quoted in one of them are margined against its
    /// balance of that asset, apart from the other books.
    let collateralAssets: [Int]
    /// Trading rules per symbol, same order as `symbols`.
    let rules: [SymbolRules]
    /// The assets each symbol trades.
    let assets: AssetLayout
    /// Balances per asset, account-major: account × assets.names.count + asset. Always equal
    /// to `cash` plus the positions' base and quote in that asset (see `derivedHoldings()`).
    var holdings: [AssetAmount]
    /// Starting balances no position carries (assets that are no symbol's base), same slots
    /// as `holdings`.
    let cash: [AssetAmount]
    /// Positions, account-major: slot = account × symbols.count + symbol. A position's base
    /// and quote are what that symbol's trades moved (its base also the starting balance of
    /// the base asset when it is the first symbol with that base); balances are `holdings`.
    var positionSlots: [Position]
    /// Funds held for resting orders, same slots as `positionSlots`.
    var reservations: [Reservation]
    /// Latest quote per symbol as it came; nil until the first quote arrives.
    var quotes: [MarketQuote?]
    /// The same quotes as exact prices, which orders trade at.
    var touches: [Touch?]
    /// Resting limit orders per symbol.
    var books: [RestingBook]
    /// What is left of each symbol's depth levels; empty for a symbol without depth.
    var depthBooks: [DepthBook]
    /// Where each resting order sits, for cancels.
    var restingOrders: [String: (symbol: Int, side: Side, limitPrice: Price)] = [:]
    /// First result per client order id, for idempotent resubmission.
    var clientOrders = ClientOrderWindow()
    /// The latest settled funding time per symbol with funding terms: started by the first
    /// `settleFunding` after its first quote, or restored; nil before.
    var fundingClock: [Int64?]
    /// The trading records and balances changed since `startChanges()`, for a journal.
    public internal(set) var changes = SlotChanges()

    /// Creates a venue; rejects bad rates, duplicate or empty names, symbols whose assets are
    /// unknown (neither spelled by the name nor given in their rules), balances in assets no
    /// symbol trades, negative balances (allowed only for a short-enabled account's base
    /// asset that is no symbol's quote), and invalid rules or rules for unlisted symbols.
    /// Symbols without rules trade unrestricted.
    public init(
        config: VenueConfig, accounts: [AccountConfig], symbols: [String],
        rules: [String: SymbolRules] = [:]
    ) throws(TradingError) {
        self.config = try config.validated()
        (takerFee, makerFee, slippage) = try config.exactRates()
        var symbolIndex: [String: Int] = [:]
        for symbol in symbols {
            guard !symbol.isEmpty else { throw TradingError(.invalidConfig, "symbol must not be empty") }
            guard symbolIndex.updateValue(symbolIndex.count, forKey: symbol) == nil else {
                throw TradingError(.invalidConfig, "symbol \(symbol) is listed twice")
            }
        }
        let symbolNumbers = NameIndex(symbols, numbers: symbolIndex)
        let rulesBySymbol = try Self.rulesBySymbol(rules, symbols: symbols, index: symbolNumbers)
        let layout = try AssetLayout(symbols: symbols, explicit: rulesBySymbol.map(\.assets))
        var accountIndex: [String: Int] = [:]
        var positionSlots: [Position] = [], holdings: [AssetAmount] = [], cash: [AssetAmount] = []
        for account in accounts {
            let start = try account.startingBalances(in: layout)
            guard accountIndex.updateValue(accountIndex.count, forKey: account.name) == nil else {
                throw TradingError(.invalidConfig, "account \(account.name) is configured twice")
            }
            for (s, symbol) in symbols.enumerated() {
                let base = layout.bySymbol[s].base
                let carriesBase = layout.baseOf[base].first == s
                positionSlots.append(Position(account: account.name, symbol: symbol,
                                              base: carriesBase ? Quantity(same: start[base]) : 0))
            }
            for asset in layout.names.indices { cash.append(layout.baseOf[asset].isEmpty ? start[asset] : 0) }
            holdings.append(contentsOf: start)
        }
        self.accountNames = accounts.map(\.name)
        self.symbols = symbols
        self.accountIndex = NameIndex(accounts.map(\.name), numbers: accountIndex)
        self.symbolIndex = symbolNumbers
        self.accountsByName = accounts.indices.sorted { accounts[$0].name < accounts[$1].name }
        self.symbolsByName = symbols.indices.sorted { symbols[$0] < symbols[$1] }
        let terms = try accounts.map { account throws(TradingError) in try account.validatedMarginTerms() }
        let collateral = layout.names.indices.filter { !layout.quoteOf[$0].isEmpty }
        if let margined = accounts.first(where: { $0.allowShort }),
           let both = collateral.first(where: { !layout.baseOf[$0].isEmpty }) {
            throw TradingError(.invalidConfig, "short-enabled account \(margined.name) is margined per quote asset, but \(layout.names[both]) "
                + "is both a quote asset (of \(layout.quoteOf[both].map { symbols[$0] }.joined(separator: ", "))) and a base asset "
                + "(of \(layout.baseOf[both].map { symbols[$0] }.joined(separator: ", "))); cross-collateral books are not supported; "
                + "remove allow_short from the account, or list no symbol quoted in an asset that another symbol trades as its base")
        }
        self.marginTerms = terms
        self.collateralAssets = collateral
        self.rules = rulesBySymbol
        self.assets = layout
        self.holdings = holdings
        self.cash = cash
        self.positionSlots = positionSlots
        self.reservations = Array(repeating: Reservation(), count: positionSlots.count)
        self.quotes = Array(repeating: nil, count: symbols.count)
        self.touches = Array(repeating: nil, count: symbols.count)
        self.books = Array(repeating: RestingBook(), count: symbols.count)
        self.depthBooks = self.rules.map { $0.depth.map(DepthBook.init) ?? DepthBook() }
        self.fundingClock = Array(repeating: nil, count: symbols.count)
    }

    func slot(account: Int, symbol: Int) -> Int { account * symbols.count + symbol }

    func holdingSlot(account: Int, asset: Int) -> Int { account * assets.names.count + asset }

    private static func rulesBySymbol(
        _ rules: [String: SymbolRules], symbols: [String], index: NameIndex
    ) throws(TradingError) -> [SymbolRules] {
        var bySymbol = Array(repeating: SymbolRules(), count: symbols.count)
        for (symbol, rule) in rules.sorted(by: { $0.key < $1.key }) {
            guard let s = index[symbol] else {
                throw TradingError(.invalidConfig, "rules given for unlisted symbol \(symbol)")
            }
            bySymbol[s] = try rule.validated(symbol: symbol)
        }
        return bySymbol
    }

    /// Pre-sizes the idempotency memory for `orders` more submissions with client order
    /// ids, so a long run does not pause to rehash a table of millions of ids.
    public mutating func reserveCapacity(orders: Int) {
        guard orders > 0 else { return }
        clientOrders.reserveCapacity(orders)
    }

    /// Keeps at most `limit` client order ids' results in memory from now on (the most
    /// recent), and answers a retry of an older id from `archive`, which must hold every
    /// result remembered so far (the MarketMaker's ledger). An archive that cannot be read
    /// refuses the order (`client_order_lookup_failed`) rather than risk running it twice.
    public mutating func keepClientOrders(inMemory limit: Int, archive: any ClientOrderArchive) throws(TradingError) {
        guard limit >= 2 else {
            throw TradingError(.invalidConfig, "client order ids kept in memory must be at least 2, got \(limit)")
        }
        try clientOrders.bound(to: limit, archive: archive, accounts: accountIndex)
    }
}
