import Configuration
import Foundation
import Messaging
import Synchronization
import WireFormat
import WireProtocol

/// Builds the bus's own `heartbeat.bus` messages, reporting how much it has forwarded.
public final class BusHeartbeat: Sendable {
    private let seq = Mutex(0)
    private let startedUs = WallClock.micros()
    private let codec = JSONEnvelopeCodec()

    /// Makes one.
    public init() {}

    /// The next `heartbeat.bus` message, reporting `stats`.
    public func frames(_ stats: BusProxy.Stats) -> Frames? {
        let next = seq.withLock { $0 += 1; return $0 }
        let refused = stats.refusedPublications + stats.refusedSubscriptions + stats.refusedHandshakes
        let notes = (refused == 0 ? [] : ["refused \(stats.refusedPublications) publication(s), \(stats.refusedSubscriptions) subscription(s), \(stats.refusedHandshakes) unlisted key(s)"])
            + (stats.connections.note.map { [$0] } ?? [])
        let beat = HeartbeatPayload(agent: busName, pid: ProcessInfo.processInfo.processIdentifier, seq: next,
                                    uptimeMs: (WallClock.micros() - startedUs) / 1_000, endpoint: nil,
                                    handled: stats.forwarded, errors: refused + stats.connections.handshakeProtocolErrors,
                                    notes: notes.isEmpty ? nil : notes)
        let envelope = Envelope.make(type: EventType.heartbeat, source: busName, trace: .root(), payload: beat)
        guard let body = try? codec.encode(envelope) else { return nil }
        return [Data(utf8Of: Topic.heartbeat(busName)), body]
    }
}
