import Configuration
import HedgeBusTesting
import Logging
import Testing
import WireFormat
@testable import AgentRuntime
@testable import Messaging

/// One agent node on a bus of its own (a `BusProxy` on the test topology's free ports) and a
/// loop for the test's subscribers: `body` runs with them, and everything started is stopped
/// afterwards, whatever the outcome (an error `body` throws is recorded as the test's issue).
enum NodeOnBus {
    static func run(agent: String, codec: any EnvelopeCodec = JSONEnvelopeCodec(),
                    _ body: (AgentNode, Topology, MessageLoop) async throws -> Void) async throws {
        let topology = try TestTopology.make().topology
        let proxy = try BusProxy(endpoints: BusProxy.Endpoints(publish: topology.bus.publish, subscribe: topology.bus.subscribe, capture: nil),
                                 heartbeatInterval: .seconds(60)) { _ in nil }
        let running = Task { try await proxy.run() }
        let node = try await AgentNode.start(name: agent, topology: topology,
                                             logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), codec: codec)
        let subscriberLoop = try MessageLoop(name: "subscriber")
        do {
            try await body(node, topology, subscriberLoop)
        } catch {
            Issue.record(error)
        }
        await subscriberLoop.shutdown()
        await node.loop.shutdown()
        proxy.stop()
        try await running.value
    }
}
