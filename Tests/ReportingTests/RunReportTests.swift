import Foundation
import HedgeBusTesting
@testable import Reporting
import Testing
@testable import Tracing
import WireFormat
import WireProtocol

/// A small run: two ticks, an inventory before and after a round trip, two fills, one rejection.
func recordedRun() -> [TraceRecord] {
    var records: [TraceRecord] = []
    func add(_ type: String, _ ts: Int64, trace: String = "0af7651916cd43dd8448eb211c80319c", _ payload: [String: JSONValue]) {
        records.append(Envelope(id: "\(type)-\(ts)", type: type, traceId: trace, parentId: nil, source: "test", ts: ts, payload: .object(payload)))
    }
    func inventory(_ ts: Int64, base: Double, quote: Double) {
        add(EventType.inventory, ts, ["positions": .array([.object(["account": .string("desk"), "symbol": .string("X"),
                                                                    "base": .number(base), "quote": .number(quote)])])])
    }
    add(EventType.market, 1_000_000, ["symbol": .string("X"), "bid": .number(99), "ask": .number(101), "last": .number(100)])
    inventory(1_100_000, base: 0, quote: 1_000)
    add(EventType.fill, 1_200_000, ["account": .string("desk"), "symbol": .string("X"), "side": .string("buy"), "qty": .number(2),
                                    "price": .number(100), "fee": .number(0.5), "order_id": .string("O-1")])
    inventory(1_200_001, base: 2, quote: 799.5)
    add(EventType.market, 2_000_000, ["symbol": .string("X"), "bid": .number(109), "ask": .number(111), "last": .number(110)])
    add(EventType.fill, 2_100_000, ["account": .string("desk"), "symbol": .string("X"), "side": .string("sell"), "qty": .number(2),
                                    "price": .number(110), "fee": .number(0.5), "order_id": .string("O-2")])
    inventory(2_100_001, base: 0, quote: 1_019)
    add(EventType.decision, 2_200_000, trace: "1af7651916cd43dd8448eb211c80319c",
        ["symbol": .string("X"), "side": .string("buy"), "outcome": .string("rejected"), "stage": .string("assess"),
         "reason": .string("risk: <script>alert(1)</script>"), "risk": .object(["limit": .string("minConfidence")])])
    add(EventType.decision, 2_300_000, ["symbol": .string("X"), "side": .string("sell"), "outcome": .string("filled"), "stage": .string("done"), "reason": .string("sold")])
    return records.shuffled()
}

@Suite("Run report")
struct RunReportTests {
    @Test func seriesFillsRejectionsAndAnalyticsComeFromTheRecording() throws {
        let report = RunReport(records: recordedRun())
        #expect(report.prices.map(\.name) == ["X"])
        #expect(report.prices[0].points.map(\.v) == [100, 110])
        #expect(report.positions[0].points.map(\.v) == [0, 2, 0])
        // Equity = quote + base × mid at each tick or inventory change once both are known:
        // 1000 (1.1 s), 799.5 + 2×100 = 999.5 (1.2 s), 799.5 + 2×110 = 1019.5 (2.0 s), 1019 (2.1 s).
        #expect(report.equity[0].points.map(\.v) == [1_000, 999.5, 1_019.5, 1_019])
        #expect(report.fills.map(\.orderId) == ["O-1", "O-2"])
        #expect(report.rejections.count == 1)
        #expect(report.rejections.first?.limit == "minConfidence")
        #expect(report.outcomes == ["rejected": 1, "filled": 1])
        let analytics = try #require(report.analytics.first)
        // One closed trade: (110 − 100) × 2 − fees 1.0 = 19.
        #expect(analytics.closedTrades == 1)
        #expect(abs(analytics.netPnl - 19) < 1e-9)
        #expect(analytics.winRate == 1)
        #expect(analytics.openQty == 0)
    }

    @Test func longSeriesAreThinnedKeepingTheLastPoint() {
        let points = (0..<10_001).map { RunReport.Point(t: Int64($0), v: Double($0)) }
        let thinned = RunReport.thin(points, to: 100)
        #expect(thinned.count <= 101)
        #expect(thinned.first == points.first)
        #expect(thinned.last == points.last)
    }

    @Test func htmlEscapesTextAndEmbedsTheChartData() throws {
        let page = try HTMLReport.render(RunReport(records: recordedRun()))
        #expect(page.contains("risk: &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!page.contains("<script>alert(1)"))
        #expect(page.contains(#"<canvas id="equity""#))
        #expect(page.contains("<td>O-2</td>"))
        #expect(!page.contains("http://") && !page.contains("https://"), "the page must not need the network")
    }
}

@Suite("Run report in a browser", .timeLimit(.minutes(2)))
struct ReportInBrowserTests {
    /// Renders the page in headless Chromium and reads back the DOM after its script ran: every
    /// chart must have drawn exactly the points the report holds.
    @Test func chartsAreDrawnInHeadlessChromium() async throws {
        let report = RunReport(records: recordedRun())
        let page = try HTMLReport.render(report)
        let path = NSTemporaryDirectory() + "hedgebus-report-\(UUID().uuidString.prefix(8)).html"
        try Data(page.utf8).write(to: URL(fileURLWithPath: path))
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: FileManager.default.isExecutableFile) else {
            throw TestFailure("Debian's chromium is not installed; ./scripts/test installs it")
        }
        let processes = ProcessGroup()
        let browser = try processes.start(path: chromium, ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                                           "--user-data-dir=\(processes.logDirectory)/profile", "--dump-dom", "file://\(path)"])
        let status = await processes.exitStatus(browser, within: .seconds(90))
        await processes.stop()
        let dom = processes.log(browser)
        #expect(status == 0, "chromium failed:\n\(dom.suffix(2_000))")
        for (id, series) in [("equity", report.equity), ("positions", report.positions), ("prices", report.prices)] {
            let points = series.reduce(0) { $0 + $1.points.count }
            let tag = try #require(dom.range(of: #"<canvas id="\#(id)""#).map { dom[$0.lowerBound...].prefix { $0 != ">" } }, "no \(id) canvas")
            #expect(tag.contains(#"data-drawn="true""#), "\(id) was not drawn: \(tag)")
            #expect(tag.contains(#"data-points="\#(points)""#), "\(id) drew the wrong number of points: \(tag)")
            #expect(points > 0)
        }
    }
}
