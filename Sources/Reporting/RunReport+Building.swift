import Tracing
import Trading
import WireFormat
import WireProtocol

extension RunReport {
    /// Builds the report from recorded envelopes (any order; they are sorted by time).
    /// `maxPoints` bounds each series so a long run still renders quickly.
    public init(records: [TraceRecord], maxPoints: Int = 1_500) {
        let ordered = records.sorted { $0.ts < $1.ts }
        var mids: [String: Double] = [:]
        var holdings: [String: [String: (base: Double, quote: Double)]] = [:]   // account → symbol → balances
        var prices: [String: [Point]] = [:], positions: [String: [Point]] = [:], equity: [String: [Point]] = [:]
        var fills: [FillRow] = [], rejections: [Rejection] = [], outcomes: [String: Int] = [:]
        func markEquity(at t: Int64) {
            for (account, symbols) in holdings where Set(symbols.keys).isSuperset(of: mids.keys) {
                var total = 0.0
                for (symbol, balance) in symbols {
                    guard let mid = mids[symbol] else { return }
                    total += balance.quote + balance.base * mid
                }
                equity[account, default: []].append(Point(t: t, v: total))
            }
        }
        for record in ordered {
            let p = record.payload
            switch record.type {
            case EventType.market:
                guard let symbol = p["symbol"]?.string, let bid = p["bid"]?.number, let ask = p["ask"]?.number else { continue }
                mids[symbol] = (bid + ask) / 2
                prices[symbol, default: []].append(Point(t: record.ts, v: (bid + ask) / 2))
                markEquity(at: record.ts)
            case EventType.inventory:
                guard case .array(let rows)? = p["positions"] else { continue }
                for row in rows {
                    guard let account = row["account"]?.string, let symbol = row["symbol"]?.string,
                          let base = row["base"]?.number, let quote = row["quote"]?.number else { continue }
                    holdings[account, default: [:]][symbol] = (base, quote)
                    positions["\(account) \(symbol)", default: []].append(Point(t: record.ts, v: base))
                }
                markEquity(at: record.ts)
            case EventType.fill:
                guard let account = p["account"]?.string, let symbol = p["symbol"]?.string, let side = p["side"]?.string.flatMap(Side.init),
                      let qty = p["qty"]?.number, let price = p["price"]?.number else { continue }
                fills.append(FillRow(ts: record.ts, account: account, symbol: symbol, side: side, qty: qty, price: price,
                                     fee: p["fee"]?.number ?? 0, orderId: p["order_id"]?.string ?? "", traceId: record.traceId))
            case EventType.decision:
                let outcome = p["outcome"]?.string ?? "?"
                outcomes[outcome, default: 0] += 1
                if outcome != "filled" {
                    rejections.append(Rejection(ts: record.ts, symbol: p["symbol"]?.string ?? "?", side: p["side"]?.string ?? "?",
                                                stage: p["stage"]?.string ?? "?", limit: p["risk"]?["limit"]?.string,
                                                reason: p["reason"]?.string ?? "", traceId: record.traceId))
                }
            default:
                continue
            }
        }
        func series(_ table: [String: [Point]]) -> [Series] {
            table.keys.sorted().map { Series(name: $0, points: Self.thin(table[$0]!, to: maxPoints)) }
        }
        startUs = ordered.first?.ts ?? 0
        endUs = ordered.last?.ts ?? 0
        self.prices = series(prices)
        self.positions = series(positions)
        self.equity = series(equity)
        self.fills = fills
        self.rejections = rejections
        self.outcomes = outcomes
        analytics = Self.analytics(fills: fills, startingEquity: equity.mapValues { $0.first?.v ?? 0 })
    }

    /// Every `stride`-th point, always keeping the last.
    static func thin(_ points: [Point], to limit: Int) -> [Point] {
        guard points.count > limit, limit > 1 else { return points }
        let stride = (points.count + limit - 2) / (limit - 1)
        var kept = Swift.stride(from: 0, to: points.count, by: stride).map { points[$0] }
        if kept.last != points.last { kept.append(points[points.count - 1]) }
        return kept
    }

    static func analytics(fills: [FillRow], startingEquity: [String: Double]) -> [Analytics] {
        let groups = Dictionary(grouping: fills) { "\($0.account)\u{1F}\($0.symbol)" }
        return groups.keys.sorted().compactMap { key in
            guard let rows = groups[key], let first = rows.first else { return nil }
            var matcher = FifoTradeMatcher(symbol: first.symbol)
            var trades: [ClosedTrade] = []
            for fill in rows {
                // The trace holds the wire's exact decimals; read as Doubles, the nearest 10⁻⁸ is that decimal again.
                guard let qty = try? Quantity(rounding: fill.qty, .toNearestOrAwayFromZero),
                      let price = try? Price(rounding: fill.price, .toNearestOrAwayFromZero),
                      let fee = try? Money(rounding: fill.fee, .toNearestOrAwayFromZero) else { continue }
                trades += (try? matcher.apply(side: fill.side, qty: qty, price: price, fee: fee, timeMicros: fill.ts)) ?? []
            }
            let capital = startingEquity[first.account].flatMap { $0 > 0 ? $0 : nil } ?? 1
            let report = PerformanceAnalytics.report(trades: trades, startingCapital: capital)
            return Analytics(account: first.account, symbol: first.symbol, closedTrades: report.tradeCount, openQty: matcher.netQty.double,
                             winRate: report.winRate, averageWin: report.averageWin, averageLoss: report.averageLoss,
                             profitFactor: report.profitFactor, netPnl: report.netPnl.double, fees: rows.reduce(0) { $0 + $1.fee },
                             maxDrawdown: report.maxDrawdown.double, maxDrawdownPct: report.maxDrawdownPct, sharpe: report.sharpeRatio,
                             averageHoldingSeconds: report.averageHoldingMicros.map { $0 / 1_000_000 })
        }
    }
}
