import WireFormat
import WireProtocol

/// Each margin account's figures as the MarketMaker's `inventory.get` gave them when the
/// report was made (equity, margin used, available margin, maintenance margin, liquidation
/// prices), or why they could not be asked for. Values are the venue's exact decimals.
public struct MarginReport: Sendable, Codable, Hashable {
    /// One margin account.
    public struct Row: Sendable, Codable, Hashable {
        public var account: String
        public var collateralAsset: String
        public var equity: String
        public var marginUsed: String
        public var availableMargin: String
        public var maintenanceMargin: String
        /// Per open position, the mark at which the account would be liquidated.
        public var liquidationPrices: [String: String]
    }

    /// The margin accounts' books (one per quote asset), in the venue's order; empty when it has none.
    public var rows: [Row]
    /// Accounts without margin terms (spot), which have no such figures.
    public var spotAccounts: [String]
    /// Why the MarketMaker could not be asked; nil when it answered.
    public var unavailable: String?

    /// The figures of `accounts` (an `inventory.get` answer's `accounts`).
    public init(accounts: [AccountPayload]) {
        rows = accounts.flatMap { account in
            account.books.map { margin in
                Row(account: account.account, collateralAsset: margin.collateralAsset, equity: margin.equity.description,
                    marginUsed: margin.marginUsed.description, availableMargin: margin.availableMargin.description,
                    maintenanceMargin: margin.maintenanceMargin.description,
                    liquidationPrices: margin.liquidationPrices.mapValues(\.description))
            }
        }
        spotAccounts = accounts.filter(\.books.isEmpty).map(\.account)
        unavailable = nil
    }

    /// No figures: the MarketMaker could not be asked, for `reason`.
    public init(unavailable reason: String) {
        rows = []
        spotAccounts = []
        unavailable = reason
    }

    /// The table's columns.
    public static let header = ["ACCOUNT", "EQUITY", "MARGIN USED", "AVAILABLE MARGIN", "MAINTENANCE", "LIQUIDATION PRICE"]

    /// The table's rows, one per margin account and book.
    public var tableRows: [[String]] {
        rows.map { row in
            let liquidation = row.liquidationPrices.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            return [row.account, "\(row.equity) \(row.collateralAsset)", row.marginUsed, row.availableMargin, row.maintenanceMargin,
                    liquidation.isEmpty ? "-" : liquidation.joined(separator: ", ")]
        }
    }

    /// One line saying what the table holds, or why there is none.
    public var summary: String {
        if let unavailable { return "margin: not shown, the MarketMaker's inventory.get was not reachable (\(unavailable))" }
        if rows.isEmpty { return "margin: no margin account at the venue (spot accounts only)" }
        let spot = spotAccounts.isEmpty ? "" : " (spot accounts without margin: \(spotAccounts.joined(separator: ", ")))"
        return "margin per account, from the MarketMaker's inventory.get now\(spot):"
    }
}
