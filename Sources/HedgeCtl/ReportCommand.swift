import ArgumentParser
import Foundation
import Reporting
import Tracing

/// `hedgectl report`: a run's fills, rejections and analytics, as text, JSON or an HTML page.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Summarise a recorded run: analytics per account and symbol, fills, rejections; --html writes a page with charts.",
        discussion: """
            Reads a recording made with `hedgectl trace --record FILE` (the demo writes run/trace.jsonl).
            The HTML page is self-contained (no network): equity, position and price charts, the fills
            table, the rejections and the analytics.
            """)

    @Option(help: "The JSON Lines recording to report on.") var from: String
    @Option(help: "Write a self-contained HTML report to this file.") var html: String?
    @Flag(help: "Print the report as JSON.") var json = false

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: from) else { throw CtlFailure("cannot read recording '\(from)'") }
        let (entries, skipped) = TraceRecord.read(jsonLines: data)
        if skipped > 0 { FileHandle.standardError.write(Data("skipped \(skipped) line(s) of \(from) that are not envelopes\n".utf8)) }
        guard !entries.isEmpty else { throw CtlFailure("'\(from)' holds no envelopes; record a run with hedgectl trace --record FILE") }
        let report = RunReport(records: entries.map(\.record))
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
            if !report.rejections.isEmpty {
                emit("")
                printTable(["SYMBOL", "SIDE", "STAGE", "LIMIT", "REASON"],
                           report.rejections.map { [$0.symbol, $0.side, $0.stage, $0.limit ?? "-", $0.reason] })
            }
        }
    }
}
