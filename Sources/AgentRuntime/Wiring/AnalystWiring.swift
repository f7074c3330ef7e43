import Agents
import Configuration
import WireFormat
import WireProtocol

extension AgentWiring {
    /// The QuantAnalyst on `node`: answers `analyze` from the ticks it has recorded.
    public static func quantAnalyst(on node: AgentNode) async throws -> AgentWiring {
        let analyst = QuantAnalyst(settings: node.topology.analyst, publisher: node, logger: node.logger)
        let ticks = try await node.subscribe([Topic.market("")], decoded: true)
        var wiring = AgentWiring()
        wiring.handlers.on(AnalyzeRequest.self, immediately: { analyst.analyze($0) })
        wiring.services = [
            LoopService {
                for await message in ticks {
                    guard let tick = node.decode(MarketTick.self, message) else { continue }
                    analyst.record(symbol: tick.payload.symbol, price: tick.payload.last)
                }
            },
        ]
        return wiring
    }
}
