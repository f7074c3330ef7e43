import AgentRuntime
import ArgumentParser
import Configuration
import Logging
import Messaging
import ServiceLifecycle

/// `bus broker --agent NAME`: the request broker of a replicated agent, binding the agent's
/// endpoint for its clients and its `backend` for its replicas.
struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Spread the requests to a replicated agent (replicas above 1 in the topology) over its replicas: clients → agents.NAME.endpoint (ROUTER), DEALER (agents.NAME.backend) → replicas.")

    @OptionGroup var options: AgentOptions

    @Option(name: .long, help: "The replicated agent to broker (quant-analyst or execution-agent).")
    var agent: String

    func run() async throws {
        guard let name = AgentName(rawValue: agent) else {
            throw ValidationError("--agent '\(agent)' is not an agent of HedgeBus (\(AgentName.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let (topology, logger) = try options.start(as: brokerName(name), process: .agent(name))
        let entry = try topology.endpoint(of: name)
        guard entry.isReplicated, let backend = entry.backendBindAddress else {
            throw ValidationError("agents.\(name.rawValue) has no replicas in the topology, so it needs no broker (set replicas above 1 and a backend)")
        }
        // With CURVE on, the broker stands in for the agent with the agent's own keys.
        let credentials = try TopologyCredentials.load(topology: topology, identity: name.rawValue)
        let security = try credentials?.brokerSecurity()
        let broker = try RequestBroker(frontend: entry.bindAddress, backend: backend, security: security)
        logger.info("broker of \(name.rawValue): clients → \(entry.bindAddress), \(entry.replicaCount) replicas ← \(backend)\(security == nil ? "" : ", CURVE on both sides")")
        // Its heartbeats go out on a message loop of their own; the forwarding has its own thread.
        let loop = try MessageLoop(name: brokerName(name))
        let publisher = try await BusPublisher.connect(loop: loop, endpoint: topology.bus.publish, curve: try credentials?.client(of: busName))
        let heartbeats = BrokerHeartbeats(broker: broker, name: brokerName(name), endpoint: entry.endpoint, publisher: publisher,
                                          interval: .milliseconds(topology.heartbeatMs))
        let group = ServiceGroup(configuration: .init(services: [.init(service: BrokerService(broker: broker, logger: logger)), .init(service: heartbeats)],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let error as ZMQError where error.code == .addressInUse {
            logger.critical("the broker of \(name.rawValue) cannot bind: \(error). Is another topology running (./topology/launch.sh status)? Stop it or change agents.\(name.rawValue).endpoint/backend (or their bind/backend_bind) in the topology.")
            await loop.shutdown()
            throw ExitCode(2)
        }
        await loop.shutdown()
    }
}

/// Runs the broker until a termination signal.
struct BrokerService: Service {
    let broker: RequestBroker
    let logger: Logger

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await broker.run()
        } onGracefulShutdown: {
            broker.stop()
        }
        let stats = broker.stats
        logger.info("broker stopped after passing \(stats.requests) requests and \(stats.replies) replies; \(stats.unrouted) found no replica; refused \(stats.refusedHandshakes) handshake(s); \(stats.connections.closed) client connection(s) closed")
    }
}
