import Agents
import Foundation
import Synchronization
import WireProtocol

/// Records every event an agent publishes, encoded as on the wire.
public final class RecordingPublisher: EventPublishing {
    /// One published event.
    public struct Event: Sendable {
        /// Envelope type (`decision`, `exit`, `risk`, …).
        public var type: String
        /// Bus topic.
        public var topic: String
        /// The envelope as encoded on the wire.
        public var body: Data

        /// The event decoded as `P`.
        public func decoded<P: MessagePayload>(as _: P.Type) throws -> Envelope<P> { try JSONEnvelopeCodec().decode(P.self, from: body) }
    }

    private let source: String
    private let log = Mutex<[Event]>([])

    /// A publisher whose envelopes name `source`.
    public init(source: String) { self.source = source }

    @discardableResult
    public func publish<P: MessagePayload>(_ payload: P, type: String, topic: String, trace: TraceContext) -> Envelope<P> {
        let envelope = Envelope.make(type: type, source: source, trace: trace, payload: payload)
        // Every payload type encodes; a failure here is a bug the test should see.
        let body = try! JSONEnvelopeCodec().encode(envelope)
        log.withLock { $0.append(Event(type: type, topic: topic, body: body)) }
        return envelope
    }

    /// Every event published so far, oldest first.
    public var events: [Event] { log.withLock { $0 } }

    /// The payloads of the events of `type`, decoded as `P`, oldest first.
    public func payloads<P: MessagePayload>(_ type: String, as _: P.Type) throws -> [P] {
        try events.filter { $0.type == type }.map { try $0.decoded(as: P.self).payload }
    }
}
