/// The maximum inventory: the largest effective inventory, in base units either way,
/// an account may carry in a symbol before the inventory counts as over its limit.
public struct InventoryLimits: Sendable, Hashable {
    /// Limit for symbols without their own; nil leaves them unlimited.
    public private(set) var defaultMax: Quantity?
    /// Limits by symbol, overriding `defaultMax`.
    public private(set) var perSymbol: [String: Quantity]

    /// No limits: inventory is reported but never over a limit.
    public init() {
        defaultMax = nil
        perSymbol = [:]
    }

    /// Creates limits; every limit must be positive. A sensible limit is about
    /// 1 % of capital for a zero-inventory strategy, 3–10 base order sizes for a skewed one.
    public init(defaultMax: Quantity? = nil, perSymbol: [String: Quantity] = [:]) throws(TradingError) {
        if let defaultMax { try Self.check(defaultMax, "default") }
        for (symbol, limit) in perSymbol.sorted(by: { $0.key < $1.key }) { try Self.check(limit, symbol) }
        self.defaultMax = defaultMax
        self.perSymbol = perSymbol
    }

    /// The limit that applies to `symbol`, nil if none does.
    public func maxInventory(for symbol: String) -> Quantity? {
        perSymbol[symbol] ?? defaultMax
    }

    private static func check(_ limit: Quantity, _ name: String) throws(TradingError) {
        guard limit.isPositive else {
            throw TradingError(.invalidConfig, "max inventory (\(name)) must be positive, got \(limit)")
        }
    }
}
