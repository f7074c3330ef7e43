import ArgumentParser
import Configuration
import Foundation
import Messaging
import WireFormat
import WireProtocol

/// `hedgectl inventory`: the MarketMaker's balances and PnL per account and symbol.
struct InventoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "Ask the MarketMaker for every account's balances per asset, margin, and base, quote, average entry and PnL per symbol.")

    @OptionGroup var options: CtlOptions
    @Option(help: "Only this symbol.") var symbol: String?
    @Option(help: "Only this account.") var account: String?
    @Flag(help: "Print the snapshot as JSON.") var json = false

    func run() async throws {
        let topology = try options.loadTopology()
        let policy = RequestPolicy(attemptTimeout: options.timeoutDuration, attempts: 1)
        let snapshot = try await withMessageLoop { loop in
            let client = try await RequestClient.connect(loop: loop, peer: AgentName.marketMaker.rawValue,
                                                         endpoint: try topology.endpoint(of: .marketMaker).endpoint,
                                                         source: "hedgectl", policy: policy,
                                                         curve: try options.curve(to: AgentName.marketMaker.rawValue, on: topology))
            do {
                return try await client.request(InventoryQuery(symbol: symbol, account: account), trace: .root()).payload
            } catch let error as ProtocolError {
                throw CtlFailure("inventory: \(error.message)")
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(snapshot), as: UTF8.self))
            return
        }
        // Exact values, as the venue holds them.
        let d = { (value: WireDecimal?) -> String in value?.description ?? "-" }
        printTable(["ACCOUNT", "SYMBOL", "BASE", "QUOTE", "AVG ENTRY", "REALIZED", "UNREALIZED", "FEES", "MARK",
                    "PENDING BUY", "PENDING SELL", "EFFECTIVE", "LIMIT"],
                   snapshot.positions.map { row -> [String] in
                       let limit = row.maxInventory.map { $0.description + (row.overLimit == true ? " OVER" : "") } ?? "-"
                       return [row.account, row.symbol, d(row.base), d(row.quote), d(row.avgEntryPrice), d(row.realizedPnl),
                               d(row.unrealizedPnl), d(row.fees), d(row.mark), d(row.pendingBuy), d(row.pendingSell),
                               d(row.effectiveInventory), limit]
                   })
        let accounts = snapshot.accounts ?? []
        print("")
        printTable(["ACCOUNT", "BALANCES (AVAILABLE)", "EQUITY", "MARGIN USED", "AVAILABLE MARGIN", "MAINTENANCE", "LIQUIDATION PRICE"],
                   accounts.flatMap { account -> [[String]] in
                       let balances = account.balances.map { "\($0.asset) \($0.amount) (\($0.available))" }.joined(separator: ", ")
                       guard !account.books.isEmpty else { return [[account.account, balances, "-", "-", "-", "-", "-"]] }
                       // One row per margin book (quote asset); the balances on the first.
                       return account.books.enumerated().map { index, margin in
                           let liquidation = margin.liquidationPrices.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                           return [index == 0 ? account.account : "", index == 0 ? balances : "", "\(margin.equity) \(margin.collateralAsset)",
                                   d(margin.marginUsed), d(margin.availableMargin), d(margin.maintenanceMargin),
                                   liquidation.isEmpty ? "-" : liquidation.joined(separator: ", ")]
                       }
                   })
        for row in snapshot.positions {
            if let hedge = row.hedgeSuggestion { print("\(row.account) \(row.symbol) is over its limit; suggested hedge: \(hedge)") }
        }
    }
}
