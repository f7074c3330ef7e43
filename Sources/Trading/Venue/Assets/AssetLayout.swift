/// The asset numbers of one listed symbol.
struct SymbolAssets: Sendable, Hashable {
    /// Number of the base asset.
    var base: Int
    /// Number of the quote asset.
    var quote: Int
}

/// The venue's assets, numbered once at start-up like its accounts and symbols: which two
/// assets each symbol trades, and which symbols trade each asset as base or as quote (what
/// a funds check sums reservations over).
struct AssetLayout: Sendable {
    /// Asset names, in the order the symbols first name them (base before quote).
    let names: [String]
    /// Assets of each symbol, same order as the venue's symbols.
    let bySymbol: [SymbolAssets]
    /// Per asset: the symbols whose base it is.
    let baseOf: [[Int]]
    /// Per asset: the symbols whose quote it is.
    let quoteOf: [[Int]]
    /// Per symbol: whether it is the only symbol on its quote asset, and on its base asset,
    /// so a funds check can read that symbol's reservation without summing over others.
    let soleOnQuote: [Bool]
    let soleOnBase: [Bool]
    private let numbers: [String: Int]

    /// Lays out `symbols`, taking each one's assets from `explicit` or else from its name;
    /// refuses a symbol whose name spells no pair and a pair with an empty or repeated asset.
    init(symbols: [String], explicit: [AssetPair?]) throws(TradingError) {
        var names: [String] = [], numbers: [String: Int] = [:], bySymbol: [SymbolAssets] = []
        func number(_ asset: String) -> Int {
            if let known = numbers[asset] { return known }
            numbers[asset] = names.count
            names.append(asset)
            return names.count - 1
        }
        for (symbol, given) in zip(symbols, explicit) {
            guard let pair = given ?? AssetPair(symbol: symbol) else {
                throw TradingError(.invalidConfig, "symbol \(symbol) does not spell its assets as BASE-QUOTE; "
                    + "give its base and quote assets explicitly")
            }
            guard !pair.base.isEmpty, !pair.quote.isEmpty, pair.base != pair.quote else {
                throw TradingError(.invalidConfig, "symbol \(symbol) needs two different non-empty assets, got base "
                    + "\"\(pair.base)\" and quote \"\(pair.quote)\"")
            }
            bySymbol.append(SymbolAssets(base: number(pair.base), quote: number(pair.quote)))
        }
        var baseOf = Array(repeating: [Int](), count: names.count)
        var quoteOf = Array(repeating: [Int](), count: names.count)
        for (symbol, assets) in bySymbol.enumerated() {
            baseOf[assets.base].append(symbol)
            quoteOf[assets.quote].append(symbol)
        }
        self.names = names
        self.numbers = numbers
        self.bySymbol = bySymbol
        self.baseOf = baseOf
        self.quoteOf = quoteOf
        soleOnQuote = bySymbol.map { quoteOf[$0.quote].count == 1 }
        soleOnBase = bySymbol.map { baseOf[$0.base].count == 1 }
    }

    /// The number of `asset`, nil if no symbol trades it.
    subscript(asset: String) -> Int? { numbers[asset] }

    /// The pair `symbol` trades, by name.
    func pair(of symbol: Int) -> AssetPair {
        AssetPair(base: names[bySymbol[symbol].base], quote: names[bySymbol[symbol].quote])
    }
}
