import Configuration
import Foundation
import HedgeBusTesting
import Messaging
import Testing
import Trading
import WireFormat
import WireProtocol

/// `hedgectl report` shows each margin account's equity, margin used, available margin and
/// liquidation price from the running MarketMaker, in text, JSON and the HTML page, and says
/// plainly when the MarketMaker cannot be reached.
@Suite("hedgectl report with margin figures", .serialized, .timeLimit(.minutes(3)))
struct ReportMarginTests {
    @Test func theReportShowsTheVenuesMarginFiguresOrSaysWhyNot() async throws {
        let script = try ReplayScript(opening: ["BTC-USD": 100])
        defer { script.remove() }
        let sections = """
            "market": { "tick_ms": 20, "taker_fee_bps": 10, "symbols": [ \(script.symbolEntry("BTC-USD")) ] },
            "accounts": [ { "name": "desk", "allow_short": true, "max_leverage": 2, "balances": { "USD": 1000 } },
                          { "name": "spot", "balances": { "USD": 1000 } } ],
            "director": { "account": "desk", "step_timeout_ms": 6000 }
            """
        try await RunningTopology.run(extra: sections) { running in
            let topology = running.topology
            let loop = try MessageLoop(name: "report-margin-test")
            let recorder = try await BusRecorder.start(loop: loop, topology: topology)
            try await recorder.awaitEveryHeartbeat(timeout: .seconds(20))
            let venue = try await RequestClient.connect(loop: loop, peer: "market-maker", endpoint: try topology.endpoint(of: .marketMaker).endpoint, source: "test")
            let short = try await venue.request(OrderSubmit(clientOrderId: "short", account: "desk", symbol: "BTC-USD", side: .sell,
                                                            type: .market, qty: 5), trace: .root()).payload
            #expect(short.status == .filled, "\(short.reason ?? "")")
            // USD 1,000 + 499.95 − fee 0.49995 = 1,499.45005; at mid 100 equity 999.45005, margin used 250.
            let inventory = try await venue.request(InventoryQuery(account: "desk"), trace: .root()).payload
            let margin = try #require(inventory.accounts?.first?.margin)
            #expect(Money(wire: margin.equity) == 999.45005 && Money(wire: margin.marginUsed) == 250)
            let liquidation = try #require(margin.liquidationPrices["BTC-USD"])
            await loop.shutdown()

            let directory = running.processes.logDirectory
            let recording = try SchemaValidation.write(recorder.messages.map(\.body), named: "report.jsonl", in: directory)
            let html = "\(directory)/report.html"
            let report = try running.processes.start("hedgectl", ["report", "--from", recording, "--html", html, "--topology", running.fixture.path])
            #expect(await running.processes.exitStatus(report, within: .seconds(30)) == 0, "\(running.processes.log(report))")
            let page = try String(contentsOfFile: html, encoding: .utf8)
            for figure in [margin.equity, margin.marginUsed, margin.availableMargin, liquidation] {
                #expect(page.contains(figure.description), "the page lacks \(figure)")
            }
            #expect(page.contains("<h2>Margin</h2>") && page.contains("spot accounts without margin: spot"))

            let text = try running.processes.start("hedgectl", ["report", "--from", recording, "--topology", running.fixture.path])
            #expect(await running.processes.exitStatus(text, within: .seconds(30)) == 0)
            let row = running.processes.log(text).split(separator: "\n").last { $0.hasPrefix("desk ") }
            #expect(row.map { $0.contains("\(margin.equity) USD") && $0.contains(margin.availableMargin.description)
                && $0.contains("BTC-USD \(liquidation)") } == true, "\(running.processes.log(text))")

            // The same topology with the MarketMaker's endpoint on a port nobody listens on.
            let endpoint = try topology.endpoint(of: .marketMaker).endpoint
            let fixture = try String(contentsOfFile: running.fixture.path, encoding: .utf8)
            let elsewhere = "\(directory)/unreachable.json"
            try fixture.replacingOccurrences(of: endpoint, with: "tcp://127.0.0.1:\(FreePort.next())")
                .write(toFile: elsewhere, atomically: true, encoding: .utf8)
            let unreachable = try running.processes.start("hedgectl", ["report", "--from", recording, "--topology", elsewhere, "--timeout", "0.5"])
            #expect(await running.processes.exitStatus(unreachable, within: .seconds(30)) == 0)
            let said = running.processes.log(unreachable)
            #expect(said.contains("margin: not shown, the MarketMaker's inventory.get was not reachable") && !said.contains("\(margin.equity) USD"), "\(said)")
        }
    }
}
