import Configuration
import Logging
import Trading
import WireFormat
import WireProtocol

/// The QuantAnalyst's logic: a rolling window of last-trade prices per symbol, and on request a
/// reading of it (EMA crossover, RSI, ATR, volatility, momentum z-score, support/resistance),
/// also published as an `analysis` event.
public final class QuantAnalyst: Sendable {
    let history: PriceHistory
    let builder: QuantReportBuilder
    let publisher: any EventPublishing
    let logger: Logger

    /// An analyst with the topology's `settings`.
    public init(settings: AnalystSection, publisher: any EventPublishing, logger: Logger) {
        history = PriceHistory(capacity: settings.window)
        builder = QuantReportBuilder(fastPeriod: settings.fastPeriod, slowPeriod: settings.slowPeriod, rsiPeriod: settings.rsiPeriod,
                                     atrPeriod: settings.atrPeriod, levelWindow: settings.slowPeriod, ticksPerBar: settings.ticksPerBar)
        self.publisher = publisher
        self.logger = logger
    }

    /// Takes a market tick's last-trade price.
    public func record(symbol: String, price: Double) { history.record(symbol: symbol, price: price) }

    /// Answers an `analyze` request from the prices seen so far. The reading depends on the
    /// prices alone, made once per new price (`PriceHistory`), so the report says it holds until
    /// the symbol's next tick.
    public func analyze(_ request: Envelope<AnalyzeRequest>) -> AnalysisReport {
        let symbol = request.payload.symbol
        var report = AnalysisReport(symbol: symbol, history.reading(of: symbol, by: builder))
        report.holdsUntilTick = true
        publisher.publish(report, type: EventType.analysis, topic: Topic.analysis(symbol), trace: .caused(by: request))
        logger.info(composed: "analyze \(symbol) for \(request.payload.side.rawValue): \(report.direction.rawValue) \(report.confidence) (\(report.sampleCount) samples)",
                    traceId: request.traceId)
        return report
    }
}
