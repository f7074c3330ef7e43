import AgentRuntime
import Agents
import ArgumentParser
import Configuration
import WireFormat
import WireProtocol

/// `quant-analyst`: indicators over the recent market, on request.
@main
struct QuantAnalystCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quant-analyst",
        abstract: "Answer analyze requests from a rolling window of market ticks: EMA crossover, RSI, ATR, volatility, momentum z-score, support/resistance.")

    @OptionGroup var options: AgentOptions
    @OptionGroup var replicas: ReplicaOptions

    func run() async throws {
        let (topology, logger) = try options.start(as: AgentName.quantAnalyst.rawValue)
        try await AgentHost.run(.quantAnalyst, replica: replicas.replica, topology: topology, logger: logger) { node in
            let analyst = QuantAnalyst(settings: topology.analyst, publisher: node, logger: logger)
            let ticks = try await node.subscribe([Topic.market("")])
            var wiring = AgentWiring()
            wiring.handlers.on(AnalyzeRequest.self) { await analyst.analyze($0) }
            wiring.services = [
                LoopService {
                    for await message in ticks {
                        guard let tick = node.decode(MarketTick.self, message) else { continue }
                        await analyst.record(symbol: tick.payload.symbol, price: tick.payload.last)
                    }
                },
            ]
            return wiring
        }
    }
}
