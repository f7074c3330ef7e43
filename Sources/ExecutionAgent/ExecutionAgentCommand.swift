import AgentRuntime
import ArgumentParser
import Configuration
import Logging
import WireProtocol

/// `execution-agent`: turns approved trades into orders at the MarketMaker.
@main
struct ExecutionAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "execution-agent",
        abstract: "Answer execute requests by submitting the order to the MarketMaker and reporting what it did.")

    @OptionGroup var options: AgentOptions

    func run() async throws {
        let (topology, logger) = try options.start(as: AgentName.executionAgent.rawValue)
        try await AgentHost.run(.executionAgent, topology: topology, logger: logger) { node in
            let venue = try await node.client(for: .marketMaker)
            var wiring = AgentWiring()
            wiring.handlers.on(ExecuteRequest.self) { request in
                let trace = TraceContext.caused(by: request)
                let report = try await venue.request(request.payload.order, trace: trace).payload
                node.publish(report, type: EventType.order, topic: Topic.order(report.symbol), trace: trace)
                logger.info("execute \(report.account) \(report.side.rawValue) \(report.qty) \(report.symbol): \(report.orderId) \(report.status.rawValue)\(report.reason.map { " (\($0))" } ?? "")",
                            metadata: ["trace_id": "\(request.traceId)"])
                return report
            }
            return wiring
        }
    }
}
