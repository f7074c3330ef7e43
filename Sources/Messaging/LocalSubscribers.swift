import Foundation
import Synchronization

/// The subscribers of a `LoopBus` that share its process (`all-agents`): each takes the messages
/// whose topic starts with one of its prefixes, yielded to its stream as the bus reads or is
/// handed them, with no socket in between. Once closed (the bus stopped, or its loop), every
/// stream has ended and a subscriber added later gets an ended stream.
final class LocalSubscribers: Sendable {
    private struct Subscriber: Sendable {
        let prefixes: TopicPrefixes
        let continuation: AsyncStream<BusMessage>.Continuation
        /// Whose drops the loop counts (`MessageLoop.owner` when it subscribed).
        let owner: String?
    }

    private struct State {
        var subscribers: [Subscriber] = []
        /// Every subscriber's prefixes together, for `covers`.
        var all = TopicPrefixes()
        var closed = false
    }

    private let state = Mutex(State())

    /// Adds a subscriber to `prefixes` fed through `continuation`; false (and the stream ended)
    /// when already closed.
    func add(prefixes: [Data], continuation: AsyncStream<BusMessage>.Continuation, owner: String?) -> Bool {
        let added = state.withLock { state in
            guard !state.closed else { return false }
            state.subscribers.append(Subscriber(prefixes: TopicPrefixes(prefixes), continuation: continuation, owner: owner))
            state.all.add(prefixes)
            return true
        }
        if !added { continuation.finish() }
        return added
    }

    /// Whether some subscriber's prefix matches `topic`.
    func covers(_ topic: String) -> Bool {
        state.withLock { $0.all.matches(topic) }
    }

    /// Hands `message` to every subscriber whose prefix matches its topic; one whose consumer is
    /// `buffered` messages behind loses it, counted as an inbound drop of its owner on `loop`.
    func deliver(_ message: BusMessage, loop: MessageLoop) {
        var topic = message.topic
        topic.withUTF8 { topic in deliver(topic: UnsafeRawBufferPointer(topic), loop: loop) { message } }
    }

    /// Hands frames read from a socket to the subscribers whose prefix matches the first frame,
    /// as a SUB socket would filter them. Frames that are not exactly a UTF-8 topic and a body
    /// are counted as a malformed drop of each such subscriber instead.
    func deliver(_ frames: Frames, loop: MessageLoop) {
        guard let first = frames.first else { return }
        first.withUnsafeBytes { topic in
            var message: BusMessage?
            deliver(topic: topic, loop: loop) {
                if let message { return message }
                guard frames.count == 2, let topic = String(data: first, encoding: .utf8) else { return nil }
                message = BusMessage(topic: topic, body: frames[1])
                return message
            }
        }
    }

    private func deliver(topic: UnsafeRawBufferPointer, loop: MessageLoop, message: () -> BusMessage?) {
        let subscribers = state.withLock { $0.subscribers }
        for subscriber in subscribers where subscriber.prefixes.matches(topic) {
            guard let message = message() else {
                loop.countMalformedDrop(owner: subscriber.owner)
                continue
            }
            if case .dropped = subscriber.continuation.yield(message) { loop.countInboundDrop(owner: subscriber.owner) }
        }
    }

    /// Ends every subscriber's stream; nothing is delivered or added afterwards.
    func close() {
        let ended = state.withLock { state in
            state.closed = true
            defer {
                state.subscribers.removeAll()
                state.all = TopicPrefixes()
            }
            return state.subscribers
        }
        for subscriber in ended { subscriber.continuation.finish() }
    }
}
