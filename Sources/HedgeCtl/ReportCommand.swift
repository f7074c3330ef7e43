import ArgumentParser
import Foundation
import Reporting
import Tracing

/// `hedgectl report`: the TradingDirector's analytics database (closed trades, portfolio
/// snapshots), or with `--from` a recorded run's fills, rejections and analytics as text,
/// JSON or an HTML page.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Trading performance: the TradingDirector's closed trades and portfolio snapshots, or a recorded run with --from.",
        discussion: """
            Two sources:

            Without --from, reads the TradingDirector's analytics database (--db, default \
            run/analytics.sqlite; read-only, safe while the topology runs): the statistics of the closed \
            trades (win rate, profit factor, net PnL, drawdown, Sharpe per trade, holding time), the trades \
            by exit reason, the last --last closed trades and the latest portfolio snapshot. The equity \
            curve starts at the first snapshot's capital (--capital when there is none yet). A file holding \
            several accounts needs --account. --json prints the summary, every trade with net_pnl and \
            return_pct, and the last --last snapshots as one object.

            With --from FILE, reads a recording made with `hedgectl trace --record FILE` (the demo writes \
            run/trace.jsonl): analytics per account and symbol, fills and rejections. --html writes a \
            self-contained page (no network) with equity, position and price charts, the fills table, the \
            rejections and the analytics; it needs a recording.

            Both also show each margin account's equity, margin used, available margin, maintenance \
            margin and liquidation prices, asked of the MarketMaker of --topology (inventory.get) when the \
            report is made; when it does not answer within --timeout the report says so and goes on.
            """)

    @OptionGroup var options: CtlOptions

    @Option(help: "A JSON Lines recording to report on instead of the analytics database.") var from: String?
    @Option(help: "The analytics database (default run/analytics.sqlite).") var db: String?
    @Option(help: "Report on this account of the analytics database (needed when it holds several).") var account: String?
    @Option(help: "Starting capital of the equity curve while the analytics database has no snapshot yet.") var capital: Double?
    @Option(help: "Closed trades shown in the table, snapshots in the JSON, from the analytics database.") var last: Int = 20
    @Option(help: "Write a self-contained HTML report of the --from recording to this file.") var html: String?
    @Flag(help: "Print the report as JSON.") var json = false

    func validate() throws {
        if from != nil, db != nil || account != nil || capital != nil {
            throw ValidationError("--db, --account and --capital read the analytics database; they cannot be combined with --from")
        }
        if from == nil, html != nil {
            throw ValidationError("--html needs a recording: pass --from FILE (record one with hedgectl trace --record FILE); the analytics database has text and --json output")
        }
        if let capital, !(capital.isFinite && capital > 0) { throw ValidationError("--capital must be a positive amount") }
        guard last >= 0 else { throw ValidationError("--last must not be negative") }
    }

    func run() async throws {
        let margin = await options.marginReport()
        if let from {
            try reportRecording(from, margin: margin)
        } else {
            try AnalyticsReport(path: db ?? "run/analytics.sqlite", account: account, capital: capital, last: last, margin: margin)
                .run(json: json)
        }
    }

    /// The margin table, or the line saying why there is none.
    static func printMargin(_ margin: MarginReport) {
        emit("")
        emit(margin.summary)
        guard !margin.rows.isEmpty else { return }
        printTable(MarginReport.header, margin.tableRows)
        fflush(nil)
    }

    /// The report of a `hedgectl trace --record` recording.
    private func reportRecording(_ from: String, margin: MarginReport) throws {
        guard let data = FileManager.default.contents(atPath: from) else { throw CtlFailure("cannot read recording '\(from)'") }
        let (entries, skipped) = TraceRecord.read(jsonLines: data)
        if skipped > 0 { StandardStreams.error("skipped \(skipped) line(s) of \(from) that are not envelopes\n") }
        guard !entries.isEmpty else { throw CtlFailure("'\(from)' holds no envelopes; record a run with hedgectl trace --record FILE") }
        var report = RunReport(records: entries.map(\.record))
        report.margin = margin
        if let html {
            let page = try HTMLReport.render(report)
            guard FileManager.default.createFile(atPath: html, contents: Data(page.utf8)) else { throw CtlFailure("cannot write '\(html)'") }
            emit("wrote \(html) (\(page.utf8.count / 1024) KiB): open it in a browser")
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            emit(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else if html == nil {
            emit(HTMLReport.span(report) + ": " + report.outcomes.keys.sorted().map { "\(report.outcomes[$0]!) \($0)" }.joined(separator: ", ")
                 + ", \(report.fills.count) fill(s)")
            let f = { (value: Double?, digits: Int) in value.map { String(format: "%.\(digits)f", $0) } ?? "-" }
            printTable(["ACCOUNT", "SYMBOL", "CLOSED", "OPEN QTY", "WIN RATE", "PROFIT FACTOR", "NET PNL", "FEES", "MAX DD", "SHARPE"],
                       report.analytics.map { a in
                           [a.account, a.symbol, "\(a.closedTrades)", f(a.openQty, 6), a.winRate.map { String(format: "%.0f%%", $0 * 100) } ?? "-",
                            f(a.profitFactor, 2), f(a.netPnl, 2), f(a.fees, 2), f(a.maxDrawdown, 2), f(a.sharpe, 2)]
                       })
            fflush(nil) // printTable goes through stdout's buffer, emit does not.
            if !report.rejections.isEmpty {
                emit("")
                printTable(["SYMBOL", "SIDE", "STAGE", "LIMIT", "REASON"],
                           report.rejections.map { [$0.symbol, $0.side, $0.stage, $0.limit ?? "-", $0.reason] })
                fflush(nil)
            }
            Self.printMargin(margin)
        }
    }
}
