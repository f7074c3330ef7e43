import AgentRuntime
import ArgumentParser
import Configuration
import Logging
import Trading
import WireProtocol

/// `quant-analyst`: indicators over the recent market, on request.
@main
struct QuantAnalystCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quant-analyst",
        abstract: "Answer analyze requests from a rolling window of market ticks: EMA crossover, RSI, ATR, volatility, momentum z-score, support/resistance.")

    @OptionGroup var options: AgentOptions

    func run() async throws {
        let (topology, logger) = try options.start(as: AgentName.quantAnalyst.rawValue)
        let settings = topology.analyst
        let builder = QuantReportBuilder(fastPeriod: settings.fastPeriod, slowPeriod: settings.slowPeriod, rsiPeriod: settings.rsiPeriod,
                                         atrPeriod: settings.atrPeriod, levelWindow: settings.slowPeriod, ticksPerBar: settings.ticksPerBar)
        let history = PriceHistory(capacity: settings.window)
        try await AgentHost.run(.quantAnalyst, topology: topology, logger: logger) { node in
            let ticks = try await node.subscribe([Topic.market("")])
            var wiring = AgentWiring()
            wiring.tasks.append {
                for await message in ticks {
                    guard let tick = node.decode(MarketTick.self, message) else { continue }
                    await history.record(symbol: tick.payload.symbol, price: tick.payload.last)
                }
            }
            wiring.handlers.on(AnalyzeRequest.self) { request in
                let symbol = request.payload.symbol
                let prices = await history.series(for: symbol)
                let report = AnalysisReport(symbol: symbol, builder.build(prices: prices))
                node.publish(report, type: EventType.analysis, topic: Topic.analysis(symbol), trace: .caused(by: request))
                logger.info("analyze \(symbol) for \(request.payload.side.rawValue): \(report.direction.rawValue) \(report.confidence) (\(report.sampleCount) samples)",
                            metadata: ["trace_id": "\(request.traceId)"])
                return report
            }
            return wiring
        }
    }
}
