import Foundation
import Trading

/// Renders a `RunReport` as one self-contained HTML page: no network, no external files. Charts
/// are drawn by an inline script from the embedded data; each canvas records that it was drawn
/// (`data-drawn`, `data-points`) so a headless browser can check it.
public enum HTMLReport {
    /// The page for `report`, titled `title`.
    public static func render(_ report: RunReport, title: String = "HedgeBus run report") throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Changes from the start put accounts and symbols of very different size on one axis.
        let charts = ChartData(prices: report.prices.map { $0.relativeToStart(percent: true) }, positions: report.positions,
                               equity: report.equity.map { $0.relativeToStart(percent: false) })
        // "</" inside a script block would end it early; JSON allows escaping the slash.
        let data = String(decoding: try encoder.encode(charts), as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>\(HTMLReportAssets.style)</style></head>
            <body>
            <h1>\(escape(title))</h1>
            <p class="meta">\(escape(span(report)))</p>
            \(summary(report))
            <h2>Equity change by account since the start (quote currency)</h2><canvas id="equity" width="960" height="260"></canvas>
            <h2>Position by account and symbol (base units)</h2><canvas id="positions" width="960" height="220"></canvas>
            <h2>Market mid by symbol, % change since the start</h2><canvas id="prices" width="960" height="220"></canvas>
            \(marginSection(report.margin))
            <h2>Analytics (closed trades, FIFO)</h2>\(analyticsTable(report.analytics))
            <h2>Fills</h2>\(fillsTable(report.fills))
            <h2>Rejections</h2>\(rejectionsTable(report.rejections))
            <script type="application/json" id="report-data">\(data)</script>
            <script>\(HTMLReportAssets.script)</script>
            </body></html>
            """
    }

    struct ChartData: Encodable {
        let prices: [RunReport.Series]
        let positions: [RunReport.Series]
        let equity: [RunReport.Series]
    }

    /// "N s of recorded bus traffic".
    public static func span(_ report: RunReport) -> String {
        let seconds = Double(report.endUs - report.startUs) / 1_000_000
        return String(format: "%.1f s of recorded bus traffic", seconds)
    }

    static func summary(_ report: RunReport) -> String {
        let decided = report.outcomes.values.reduce(0, +)
        let parts = report.outcomes.keys.sorted().map { "\(report.outcomes[$0]!) \($0)" }.joined(separator: ", ")
        return "<p class=\"summary\">\(decided) decision(s): \(escape(parts.isEmpty ? "none" : parts)) · \(report.fills.count) fill(s) · \(report.rejections.count) rejection(s)</p>"
    }

    /// Equity, margin used, available margin and liquidation prices per account, or why they
    /// are missing; nothing when the MarketMaker was not asked.
    static func marginSection(_ margin: MarginReport?) -> String {
        guard let margin else { return "" }
        let note = "<p class=\"meta\">\(escape(margin.summary))</p>"
        guard margin.unavailable == nil, !margin.rows.isEmpty else { return "<h2>Margin</h2>\(note)" }
        return "<h2>Margin</h2>\(note)" + table(MarginReport.header.map { $0.capitalized }, margin.tableRows)
    }

    static func analyticsTable(_ rows: [RunReport.Analytics]) -> String {
        table(["Account", "Symbol", "Closed trades", "Open qty", "Win rate", "Avg win", "Avg loss", "Profit factor",
               "Net PnL", "Fees", "Max drawdown", "Sharpe (per trade)", "Avg holding"],
              rows.map { a in
                  [a.account, a.symbol, "\(a.closedTrades)", number(a.openQty, 6), a.winRate.map { percent($0) } ?? "–",
                   a.averageWin.map { number($0, 2) } ?? "–", a.averageLoss.map { number($0, 2) } ?? "–",
                   a.profitFactor.map { number($0, 2) } ?? "–", number(a.netPnl, 2), number(a.fees, 2),
                   number(a.maxDrawdown, 2) + (a.maxDrawdownPct.map { " (\(percent($0)))" } ?? ""),
                   a.sharpe.map { number($0, 2) } ?? "–", a.averageHoldingSeconds.map { number($0, 1) + " s" } ?? "–"]
              })
    }

    static func fillsTable(_ fills: [RunReport.FillRow]) -> String {
        table(["Time", "Account", "Symbol", "Side", "Qty", "Price", "Fee", "Order", "Trace"],
              fills.map { [clock($0.ts), $0.account, $0.symbol, $0.side.rawValue, number($0.qty, 8), number($0.price, 2),
                           number($0.fee, 4), $0.orderId, String($0.traceId.prefix(8))] })
    }

    static func rejectionsTable(_ rows: [RunReport.Rejection]) -> String {
        table(["Time", "Symbol", "Side", "Stage", "Limit", "Reason", "Trace"],
              rows.map { [clock($0.ts), $0.symbol, $0.side, $0.stage, $0.limit ?? "–", $0.reason, String($0.traceId.prefix(8))] })
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        guard !rows.isEmpty else { return "<p class=\"empty\">none</p>" }
        let head = header.map { "<th>\(escape($0))</th>" }.joined()
        let body = rows.map { "<tr>" + $0.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }.joined(separator: "\n")
        return "<table><thead><tr>\(head)</tr></thead><tbody>\n\(body)\n</tbody></table>"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func number(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    static func clock(_ micros: Int64) -> String {
        let seconds = micros / 1_000_000
        return String(format: "%02d:%02d:%02d.%03d UTC", (seconds / 3_600) % 24, (seconds / 60) % 60, seconds % 60, Int(micros % 1_000_000) / 1_000)
    }
}
