import Tracing
import Trading
import WireFormat
import WireProtocol

/// Everything a run's report shows, derived from a recording of the bus: price, position and
/// equity series, the fills, the rejections, and per-account trading analytics.
public struct RunReport: Sendable, Codable {
    /// One point of a series: Unix microseconds and a value.
    public struct Point: Sendable, Codable, Hashable {
        public var t: Int64
        public var v: Double
    }

    /// A named line on a chart.
    public struct Series: Sendable, Codable, Hashable {
        public var name: String
        public var points: [Point]
    }

    /// One execution.
    public struct FillRow: Sendable, Codable, Hashable {
        public var ts: Int64
        public var account: String
        public var symbol: String
        public var side: Side
        public var qty: Double
        public var price: Double
        public var fee: Double
        public var orderId: String
        public var traceId: String
    }

    /// A signal the pipeline refused, with who refused it and why.
    public struct Rejection: Sendable, Codable, Hashable {
        public var ts: Int64
        public var symbol: String
        public var side: String
        public var stage: String
        public var limit: String?
        public var reason: String
        public var traceId: String
    }

    /// Closed-trade statistics for one account and symbol (FIFO matching of its fills).
    public struct Analytics: Sendable, Codable, Hashable {
        public var account: String
        public var symbol: String
        public var closedTrades: Int
        public var openQty: Double
        public var winRate: Double?
        public var averageWin: Double?
        public var averageLoss: Double?
        public var profitFactor: Double?
        public var netPnl: Double
        public var fees: Double
        public var maxDrawdown: Double
        public var maxDrawdownPct: Double?
        public var sharpe: Double?
        public var averageHoldingSeconds: Double?
    }

    public var startUs: Int64
    public var endUs: Int64
    /// Mid price per symbol.
    public var prices: [Series]
    /// Base held per account and symbol.
    public var positions: [Series]
    /// Quote + Σ base × mid per account, in quote currency.
    public var equity: [Series]
    public var fills: [FillRow]
    public var rejections: [Rejection]
    public var analytics: [Analytics]
    /// Decisions by outcome.
    public var outcomes: [String: Int]
    /// Margin per account from the MarketMaker when the report was made; nil when not asked.
    public var margin: MarginReport?
}

extension RunReport.Series {
    /// The series as change from its first value: absolute, or in percent of it.
    public func relativeToStart(percent: Bool) -> RunReport.Series {
        guard let first = points.first?.v else { return self }
        let moved = points.map { point in
            RunReport.Point(t: point.t, v: percent ? (first == 0 ? 0 : (point.v - first) / first * 100) : point.v - first)
        }
        return RunReport.Series(name: name, points: moved)
    }
}
