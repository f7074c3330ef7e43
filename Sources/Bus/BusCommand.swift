import AgentRuntime
import ArgumentParser
import Configuration
import Foundation
import Logging
import Messaging
import ServiceLifecycle
import Synchronization
import WireFormat
import WireProtocol

/// `bus`: the pub/sub hub every agent publishes into and subscribes from (the default
/// subcommand), and `bus broker`, the request broker in front of a replicated agent.
@main
struct BusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bus",
        abstract: "Forward HedgeBus traffic: the pub/sub hub (default), or with `broker` the requests of a replicated agent.",
        subcommands: [BusServe.self, BrokerCommand.self], defaultSubcommand: BusServe.self)
}

/// `bus serve` (the default): the pub/sub hub.
struct BusServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Forward HedgeBus pub/sub traffic: publishers → XSUB (bus.publish), XPUB (bus.subscribe) → subscribers, with an optional capture tap (bus.capture).")

    @OptionGroup var options: AgentOptions

    func run() async throws {
        let (topology, logger) = try options.start(as: busName, process: .bus)
        let endpoints = BusProxy.Endpoints(publish: topology.bus.publishBindAddress, subscribe: topology.bus.subscribeBindAddress,
                                           capture: topology.bus.captureBindAddress)
        let security = try Self.security(topology)
        let proxy = try BusProxy(endpoints: endpoints, heartbeatInterval: .milliseconds(topology.heartbeatMs), security: security,
                                 heartbeat: BusHeartbeat().frames)
        let capture = endpoints.capture.map { ", capture ← \($0)" } ?? ""
        let curve = security == nil ? "" : " (CURVE: only keys listed in security.clients.bus; publications and subscriptions checked by identity)"
        logger.info("bus: publishers → \(endpoints.publish), subscribers ← \(endpoints.subscribe)\(capture)\(curve)")
        let group = ServiceGroup(configuration: .init(services: [.init(service: BusService(proxy: proxy, logger: logger))],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let error as ZMQError where error.code == .addressInUse {
            logger.critical("bus cannot bind: \(error). Is another topology running (./topology/launch.sh status)? Stop it or change bus.publish/bus.subscribe (or their _bind addresses) in the topology.")
            throw ExitCode(2)
        }
    }
}

extension BusServe {
    /// The bus's keys, accepted clients and access rules when the topology turns CURVE on.
    static func security(_ topology: Topology) throws -> BusSecurity? {
        guard let credentials = try TopologyCredentials.load(topology: topology, identity: busName) else { return nil }
        let rules = AccessRules(topology: topology)
        return BusSecurity(keys: credentials.keys, zap: try credentials.ownZapPolicy(),
                           mayPublish: { rules.mayPublish($0, topic: $1) },
                           maySubscribe: { rules.maySubscribe($0, prefix: $1) })
    }
}

/// Runs the proxy until a termination signal.
struct BusService: Service {
    let proxy: BusProxy
    let logger: Logger

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await proxy.run()
        } onGracefulShutdown: {
            proxy.stop()
        }
        let stats = proxy.stats
        logger.info("bus stopped after forwarding \(stats.forwarded) messages and \(stats.subscriptions) subscription changes; refused \(stats.refusedPublications) publications, \(stats.refusedSubscriptions) subscriptions, \(stats.refusedHandshakes) handshakes")
    }
}
