import Agents
import Foundation
import Synchronization
import WireFormat
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
        /// The name of the Swift type the agent published the payload as.
        public var payloadType: String

        /// The event decoded as `P`.
        public func decoded<P: MessagePayload>(as _: P.Type) throws -> Envelope<P> { try JSONEnvelopeCodec().decode(P.self, from: body) }
    }

    private let source: String
    private let log = Mutex<(events: [Event], waiters: [(ticket: UUID, type: String, count: Int, done: CheckedContinuation<[Event], Never>)])>(([], []))

    /// A publisher whose envelopes name `source`.
    public init(source: String) { self.source = source }

    @discardableResult
    public func publish<P: MessagePayload>(_ payload: P, type: String, topic: String, trace: TraceContext) -> Envelope<P> {
        let envelope = Envelope.make(type: type, source: source, trace: trace, payload: payload)
        // Every payload type encodes; a failure here is a bug the test should see.
        let body = try! JSONEnvelopeCodec().encode(envelope)
        let ready = log.withLock { state -> [(CheckedContinuation<[Event], Never>, [Event])] in
            state.events.append(Event(type: type, topic: topic, body: body, payloadType: String(describing: P.self)))
            var ready: [(CheckedContinuation<[Event], Never>, [Event])] = []
            state.waiters.removeAll { waiter in
                let matching = state.events.filter { $0.type == waiter.type }
                guard matching.count >= waiter.count else { return false }
                ready.append((waiter.done, matching))
                return true
            }
            return ready
        }
        for (done, events) in ready { done.resume(returning: events) }
        return envelope
    }

    /// Every event published so far, oldest first.
    public var events: [Event] { log.withLock { $0.events } }

    /// Waits until at least `count` events of `type` have been published and returns them all,
    /// oldest first. When the waiting task is cancelled (a test's time limit), returns at once
    /// with what there is, so the test fails on its expectations instead of hanging.
    public func waitFor(_ count: Int, of type: String) async -> [Event] {
        let ticket = UUID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { done in
                let matching: [Event]? = log.withLock { state in
                    let matching = state.events.filter { $0.type == type }
                    if matching.count >= count || Task.isCancelled { return matching }
                    state.waiters.append((ticket, type, count, done))
                    return nil
                }
                if let matching { done.resume(returning: matching) }
            }
        } onCancel: {
            let waiting = log.withLock { state -> (CheckedContinuation<[Event], Never>, [Event])? in
                guard let index = state.waiters.firstIndex(where: { $0.ticket == ticket }) else { return nil }
                let waiter = state.waiters.remove(at: index)
                return (waiter.done, state.events.filter { $0.type == type })
            }
            if let (done, events) = waiting { done.resume(returning: events) }
        }
    }

    /// The payloads of the events of `type`, decoded as `P`, oldest first.
    public func payloads<P: MessagePayload>(_ type: String, as _: P.Type) throws -> [P] {
        try events.filter { $0.type == type }.map { try $0.decoded(as: P.self).payload }
    }
}
