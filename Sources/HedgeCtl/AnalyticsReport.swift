import Foundation
import Ledger
import Reporting
import Trading

/// `hedgectl report` without `--from`: the TradingDirector's analytics database (closed
/// trades and portfolio snapshots), as text tables or one JSON object.
struct AnalyticsReport {
    /// The analytics file, opened read-only.
    let path: String
    /// Account to report on; nil when the file holds only one.
    let account: String?
    /// Starting capital used when there is no snapshot yet.
    let capital: Double?
    /// Trades listed in the table, snapshots in the JSON.
    let last: Int
    /// Margin per account from the MarketMaker, or why it is missing.
    let margin: MarginReport

    func run(json: Bool) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CtlFailure("no analytics at \(path): start the topology (./topology/launch.sh up) and trade, or pass --db")
        }
        let store: AnalyticsStore
        do {
            store = try AnalyticsStore(path: path, readOnly: true)
        } catch let error as LedgerError {
            throw CtlFailure(error.message) // Names the file already.
        } catch {
            throw CtlFailure("cannot open \(path): \(error)")
        }
        let accounts = try store.accounts()
        if let account, !accounts.isEmpty, !accounts.contains(account) {
            throw CtlFailure("no analytics for account \(account) in \(path); it holds \(accounts.joined(separator: ", "))")
        }
        if account == nil, accounts.count > 1 {
            throw CtlFailure("\(path) holds analytics of \(accounts.count) accounts (\(accounts.joined(separator: ", "))): pass --account NAME")
        }
        let selected = account ?? accounts.first
        let trades = try store.trades(account: selected)
        let snapshots = try store.snapshots(account: selected)
        let summary = AnalyticsSummary(trades: trades, snapshots: snapshots, startingCapital: capital)
        if json {
            let document = Document(database: path, account: selected, summary: summary, trades: trades.map(TradeRow.init),
                                    snapshots: Array(snapshots.suffix(max(0, last))), margin: margin)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            // PerformanceReport's own keys are camelCase; this makes the whole object snake_case.
            encoder.keyEncodingStrategy = .convertToSnakeCase
            emit(String(decoding: try encoder.encode(document), as: UTF8.self))
        } else {
            printText(account: selected, trades: trades, summary: summary)
            ReportCommand.printMargin(margin)
        }
    }

    /// The --json object.
    struct Document: Encodable {
        let database: String
        let account: String?
        let summary: AnalyticsSummary
        let trades: [TradeRow]
        let snapshots: [AnalyticsSnapshot]
        let margin: MarginReport
    }

    /// A trade as stored, plus its derived net PnL and return.
    struct TradeRow: Encodable {
        let record: AnalyticsTrade

        enum Derived: String, CodingKey {
            case netPnl = "net_pnl"
            case returnPct = "return_pct"
        }

        func encode(to encoder: any Encoder) throws {
            try record.encode(to: encoder)
            var derived = encoder.container(keyedBy: Derived.self)
            try derived.encode(record.netPnl, forKey: .netPnl)
            try derived.encodeIfPresent(record.returnPct.isFinite ? record.returnPct : nil, forKey: .returnPct)
        }
    }

    func printText(account: String?, trades: [AnalyticsTrade], summary: AnalyticsSummary) {
        let p = summary.performance
        let times = trades.flatMap { [$0.trade.entryTimeMicros, $0.trade.exitTimeMicros] }
            + [summary.firstSnapshot?.timeMicros, summary.latestSnapshot?.timeMicros].compactMap { $0 }
        guard let start = times.min(), let end = times.max() else {
            emit("\(path): no closed trades or portfolio snapshots yet\(account.map { " for \($0)" } ?? "")")
            return
        }
        emit("\(account ?? "all accounts") in \(path): \(p.tradeCount) closed trade(s), \(summary.snapshotCount) snapshot(s), "
             + "\(Self.dateTime(start)) to \(Self.dateTime(end)) (\(Self.duration(Double(end - start))))"
             + (p.invalidTradeCount > 0 ? "; \(p.invalidTradeCount) unusable trade(s) left out" : ""))
        if summary.startingCapital == nil {
            emit("no snapshot yet: net PnL is cumulative from 0 and MAX DD % needs --capital")
        }
        emit("")
        table(["TRADES", "WIN RATE", "AVG WIN", "AVG LOSS", "PROFIT FACTOR", "NET PNL", "FEES", "MAX DD", "MAX DD %", "SHARPE", "AVG HOLD"],
                   [["\(p.tradeCount)", Self.percent(p.winRate, 1), Self.money(p.averageWin), Self.money(p.averageLoss),
                     Self.fixed(p.profitFactor, 2), Self.money(p.netPnl.double), Self.money(p.totalFees.double), Self.money(p.maxDrawdown.double),
                     Self.percent(p.maxDrawdownPct, 2), Self.fixed(p.sharpeRatio, 2), p.averageHoldingMicros.map(Self.duration) ?? "-"]])
        if !summary.byExitReason.isEmpty {
            emit("")
            table(["EXIT REASON", "TRADES", "WINS", "NET PNL"],
                       summary.byExitReason.map { ["\($0.reason)", "\($0.tradeCount)", "\($0.winCount)", Self.money($0.netPnl)] })
        }
        if !trades.isEmpty {
            let shown = trades.suffix(max(0, last))
            emit("")
            emit(shown.count < trades.count ? "closed trades, last \(shown.count) of \(trades.count):" : "closed trades:")
            table(["EXIT TIME", "SYMBOL", "SIDE", "QTY", "ENTRY", "EXIT", "NET PNL", "RETURN", "REASON", "SIGNAL"],
                       shown.map { r in
                           let t = r.trade
                           return [Self.dateTime(t.exitTimeMicros), t.symbol, t.side.rawValue, t.qty.description, t.entryPrice.description,
                                   t.exitPrice.description, r.netPnl.text(places: 2), Self.percent(r.returnPct, 2), r.exitReason, r.openingSignalId]
                       })
        }
        emit("")
        guard let s = summary.latestSnapshot, let first = summary.firstSnapshot else {
            emit("no portfolio snapshot yet")
            return
        }
        emit("portfolio at \(Self.dateTime(s.timeMicros)), latest of \(summary.snapshotCount) snapshot(s) since \(Self.dateTime(first.timeMicros)); "
             + "equity high \(Self.money(summary.equityHigh?.double)), low \(Self.money(summary.equityLow?.double)):")
        table(["CAPITAL", "CASH", "EXPOSURE", "EXPOSURE %", "REALIZED", "UNREALIZED", "OPEN POSITIONS", "HEAT"],
                   [[Self.money(s.capital.double), Self.money(s.cash.double), Self.money(s.exposure.double), Self.percent(s.exposurePct, 1),
                     Self.money(s.realizedPnl.double), Self.money(s.unrealizedPnl.double), "\(s.openPositions)", Self.percent(s.portfolioHeat, 2)]])
    }

    /// `printTable`, flushed: it prints through stdout's buffer, `emit` does not, and
    /// unflushed tables would come out after the lines written after them.
    func table(_ header: [String], _ rows: [[String]]) {
        printTable(header, rows)
        fflush(nil)
    }

    // MARK: Formatting; undefined values print "-".

    static func fixed(_ value: Double?, _ digits: Int) -> String {
        guard let value, value.isFinite else { return "-" }
        return String(format: "%.\(digits)f", value)
    }

    static func money(_ value: Double?) -> String { fixed(value, 2) }

    static func percent(_ fraction: Double?, _ digits: Int) -> String {
        guard let fraction, fraction.isFinite else { return "-" }
        return String(format: "%.\(digits)f%%", fraction * 100)
    }

    /// Two decimals, or eight below 1 so sub-unit prices keep their digits.
    static func price(_ value: Double) -> String { fixed(value, abs(value) >= 1 ? 2 : 8) }

    /// Up to eight decimals, trailing zeros dropped.
    static func units(_ value: Double) -> String {
        var text = fixed(value, 8)
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// Local date and time to the second, e.g. "2025-03-01 14:05:09".
    static func dateTime(_ micros: Int64) -> String {
        var seconds = time_t(micros / 1_000_000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    /// A length of time in its two largest units, e.g. "42.5s", "3m 07s", "2h 05m", "1d 04h".
    static func duration(_ micros: Double) -> String {
        guard micros.isFinite else { return "-" }
        if micros < 0 { return "-" + duration(-micros) }
        let seconds = micros / 1_000_000
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let whole = Int(seconds)
        if whole < 3_600 { return String(format: "%dm %02ds", whole / 60, whole % 60) }
        if whole < 86_400 { return String(format: "%dh %02dm", whole / 3_600, whole % 3_600 / 60) }
        return String(format: "%dd %02dh", whole / 86_400, whole % 86_400 / 3_600)
    }
}
