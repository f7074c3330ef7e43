import Foundation
import Messaging
import ServiceLifecycle
import WireFormat
import WireProtocol

/// Publishes `heartbeat.<agent>-broker` every `heartbeat_ms` with the broker's counters: the
/// requests it passed, and in its notes those no replica took, the handshakes it refused and the
/// client connections that closed (among them those libzmq dropped for an oversized message), so
/// `hedgectl status` shows them in the broker's row.
struct BrokerHeartbeats: Service {
    let broker: RequestBroker
    /// `<agent>-broker`.
    let name: String
    /// The agent's endpoint, which the broker binds.
    let endpoint: String
    let publisher: BusPublisher
    let interval: Duration

    func run() async {
        await cancelWhenGracefulShutdown { await beat() }
    }

    private func beat() async {
        let pid = ProcessInfo.processInfo.processIdentifier
        let startedUs = WallClock.micros()
        var seq = 0
        while !Task.isCancelled {
            seq += 1
            let stats = broker.stats
            var notes: [String] = []
            if stats.unrouted > 0 { notes.append("\(stats.unrouted) request(s) found no replica") }
            if stats.refusedHandshakes > 0 { notes.append("refused \(stats.refusedHandshakes) unlisted key(s)") }
            if let connections = stats.connections.note { notes.append(connections) }
            let beat = HeartbeatPayload(agent: name, pid: pid, seq: seq, uptimeMs: (WallClock.micros() - startedUs) / 1_000,
                                        endpoint: endpoint, handled: stats.requests,
                                        errors: stats.refusedHandshakes + stats.connections.handshakeProtocolErrors,
                                        notes: notes.isEmpty ? nil : notes)
            try? publisher.publish(Envelope.make(type: EventType.heartbeat, source: name, trace: .root(), payload: beat), topic: Topic.heartbeat(name))
            try? await Task.sleep(for: interval)
        }
    }
}
