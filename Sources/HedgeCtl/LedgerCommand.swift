import ArgumentParser
import Foundation
import Ledger

/// `hedgectl ledger`: the MarketMaker's durable record of fills and rejections.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Show or export the MarketMaker's ledger: every fill and rejected order with the balances after it.",
        discussion: """
            Reads the SQLite file directly (read-only, safe while the MarketMaker runs).
            --csv prints the inventory-log columns (timestamp, event_type, price, amount, base_inventory,
            quote_inventory, total_value) followed by account, symbol, side, order ids, fee and reason.
            """)

    @Option(help: "The ledger file (the MarketMaker's --ledger).") var ledger: String = "run/ledger.sqlite"
    @Flag(help: "Print CSV instead of a table.") var csv = false
    @Option(help: "Show only the last N events in the table.") var last: Int = 50

    func run() async throws {
        guard FileManager.default.fileExists(atPath: ledger) else {
            throw CtlFailure("no ledger at '\(ledger)'; the MarketMaker writes run/ledger.sqlite once started by ./topology/launch.sh up (or pass --ledger FILE)")
        }
        let store: LedgerStore
        do { store = try LedgerStore(path: ledger, readOnly: true) } catch { throw CtlFailure("cannot open '\(ledger)': \(error)") }
        if csv {
            var text = ""
            try store.writeCSV(to: &text)
            StandardStreams.out(Data(text.utf8))
            return
        }
        let events = try store.events()
        let f = { (value: CustomStringConvertible?) in value?.description ?? "-" }
        emit("\(events.count) event(s): \(events.filter { $0.kind == .fill }.count) fill(s), \(events.filter { $0.kind == .reject }.count) rejection(s)")
        printTable(["TIME", "EVENT", "ACCOUNT", "SYMBOL", "SIDE", "QTY", "PRICE", "FEE", "BASE AFTER", "QUOTE AFTER", "ORDER", "REASON"],
                   events.suffix(max(0, last)).map { event in
                       [TracePrinter.clock(event.timestampMicros), event.kind.rawValue, event.account, event.symbol, event.side.rawValue,
                        f(event.qty), f(event.price), f(event.fee), f(event.base), f(event.quote), event.orderId,
                        event.reason ?? ""]
                   })
    }
}
