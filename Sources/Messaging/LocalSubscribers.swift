import Foundation
import Synchronization
import WireFormat

/// The subscribers of a `LoopBus` that share its process (`all-agents`): each takes the messages
/// whose topic starts with one of its prefixes, yielded to its stream as the bus reads or is
/// handed them, with no socket in between. Once closed (the bus stopped, or its loop), every
/// stream has ended and a subscriber added later gets an ended stream.
final class LocalSubscribers: Sendable {
    private struct Subscriber: Sendable {
        let prefixes: TopicPrefixes
        let messages: BusMessages
        /// Whose drops the loop counts (`MessageLoop.owner` when it subscribed).
        let owner: String?
        /// Whether it reads a message published in the process from its envelope
        /// (`BusMessage.envelope`) rather than its body.
        let takesEnvelopes: Bool
    }

    private struct State {
        var subscribers: [Subscriber] = []
        /// Every subscriber's prefixes together, for `covers`.
        var all = TopicPrefixes()
        var closed = false
    }

    private let state = Mutex(State())
    /// How many times the subscribers changed, counted once each change can be matched against.
    private let changes = Atomic<UInt64>(0)

    /// How many times the subscribers have changed: while it stays the same, so does every
    /// answer of `covers` (`TopicInterest`).
    var changeCount: UInt64 { changes.load(ordering: .acquiring) }

    /// Adds a subscriber to `prefixes` fed through `messages`; false (and the stream ended)
    /// when already closed.
    func add(prefixes: [Data], messages: BusMessages, owner: String?, takesEnvelopes: Bool) -> Bool {
        let added = state.withLock { state in
            guard !state.closed else { return false }
            state.subscribers.append(Subscriber(prefixes: TopicPrefixes(prefixes), messages: messages, owner: owner,
                                                takesEnvelopes: takesEnvelopes))
            state.all.add(prefixes)
            return true
        }
        if added { changes.add(1, ordering: .releasing) } else { messages.finish() }
        return added
    }

    /// Whether some subscriber's prefix matches `topic`.
    func covers(_ topic: String) -> Bool {
        state.withLock { $0.all.matches(topic) }
    }

    /// Hands `envelope`, published in the process under `topic`, to every subscriber whose
    /// prefix matches: as built to those that take envelopes, as bytes to those that read
    /// bodies. `encode` makes the bytes, once, before anything is handed over, when one of those
    /// subscribers reads bodies or `bytesWanted` (someone outside the process takes them); they
    /// are returned, nil when nobody needed them. Whom it hands the message to is decided once,
    /// so a subscriber added meanwhile cannot get a message without the bytes it reads. One whose
    /// consumer is `buffered` messages behind loses it, counted as an inbound drop of its owner
    /// on `loop`.
    func deliver(_ envelope: any Sendable, topic: String, loop: MessageLoop, bytesWanted: Bool,
                 encode: () throws(ProtocolError) -> Data) throws(ProtocolError) -> Data? {
        let subscribers = state.withLock { $0.subscribers }
        var name = topic
        let read = name.withUTF8 { name in
            subscribers.contains { !$0.takesEnvelopes && $0.prefixes.matches(UnsafeRawBufferPointer(name)) }
        }
        let body = read || bytesWanted ? try encode() : nil
        let built = BusMessage(topic: topic, body: body ?? Data(), envelope: envelope)
        let bytes = BusMessage(topic: topic, body: body ?? Data())
        name.withUTF8 { name in
            deliver(to: subscribers, topic: UnsafeRawBufferPointer(name), loop: loop) { takesEnvelopes in takesEnvelopes ? built : bytes }
        }
        return body
    }

    /// Hands frames read from a socket to the subscribers whose prefix matches the first frame,
    /// as a SUB socket would filter them. Frames that are not exactly a UTF-8 topic and a body
    /// are counted as a malformed drop of each such subscriber instead.
    func deliver(_ frames: Frames, loop: MessageLoop) {
        guard let first = frames.first else { return }
        let subscribers = state.withLock { $0.subscribers }
        first.withUnsafeBytes { topic in
            var message: BusMessage?
            deliver(to: subscribers, topic: topic, loop: loop) { _ in
                if let message { return message }
                guard frames.count == 2, let topic = String(data: first, encoding: .utf8) else { return nil }
                message = BusMessage(topic: topic, body: frames[1])
                return message
            }
        }
    }

    /// Yields to each of `subscribers` whose prefix matches `topic` the message `message` makes
    /// for it (given whether it takes envelopes), or counts a malformed drop when that is nil.
    private func deliver(to subscribers: [Subscriber], topic: UnsafeRawBufferPointer, loop: MessageLoop, message: (Bool) -> BusMessage?) {
        for subscriber in subscribers where subscriber.prefixes.matches(topic) {
            guard let message = message(subscriber.takesEnvelopes) else {
                loop.countMalformedDrop(owner: subscriber.owner)
                continue
            }
            if subscriber.messages.offer(message) == .full { loop.countInboundDrop(owner: subscriber.owner) }
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
        changes.add(1, ordering: .releasing)
        for subscriber in ended { subscriber.messages.finish() }
    }
}
