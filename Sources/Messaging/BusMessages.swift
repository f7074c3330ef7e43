import Synchronization

/// A subscriber's bus messages in arrival order, for one consumer (`for await message in …`).
///
/// The bus feeds it from its loop thread: a message goes straight to a consumer waiting for one,
/// or waits in the stream, at most `capacity` of them; a newer one is then refused and the feeder
/// counts the drop. It ends once finished (the bus or the subscriber's loop stopped) and what it
/// holds is taken, or at once for a consumer whose task is cancelled.
///
/// Not an `AsyncStream`: called from other modules, the standard library's generic stream costs
/// thousands of instructions per element in unspecialized code and metadata look-ups, on every
/// signal, account event and tick an agent reads.
public final class BusMessages: AsyncSequence, Sendable {
    public typealias Element = BusMessage
    public typealias Failure = Never

    /// What became of a message offered to the stream.
    enum Offer: Equatable {
        /// The consumer has it or will.
        case taken
        /// `capacity` messages already wait: refused.
        case dropped
        /// The stream has ended: refused.
        case ended
    }

    private struct State {
        /// Messages not yet taken from `head` on; taken slots are emptied at once.
        var buffer: [BusMessage?] = []
        var head = 0
        /// The consumer, waiting (only while nothing is buffered).
        var waiter: UnsafeContinuation<BusMessage?, Never>?
        var finished = false
        var cancelled = false

        var waiting: Int { buffer.count - head }

        /// The next message, or `.some(nil)` once there will be none, or nil when the consumer
        /// must wait.
        mutating func take() -> BusMessage?? {
            if cancelled { return .some(nil) }
            guard head < buffer.count else { return finished ? .some(nil) : nil }
            let message = buffer[head]
            buffer[head] = nil
            head += 1
            if head == buffer.count {
                buffer.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 1_024, head * 2 >= buffer.count {
                buffer.removeFirst(head)
                head = 0
            }
            return message
        }
    }

    private let state = Mutex(State())
    /// Messages that may wait for the consumer.
    let capacity: Int

    /// An open stream holding at most `capacity` messages (at least one).
    init(capacity: Int) { self.capacity = Swift.max(1, capacity) }

    /// Hands `message` to the consumer, or keeps it for them.
    func offer(_ message: BusMessage) -> Offer {
        let (offer, waiter) = state.withLock { state -> (Offer, UnsafeContinuation<BusMessage?, Never>?) in
            if state.finished || state.cancelled { return (.ended, nil) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (.taken, waiter)
            }
            guard state.waiting < capacity else { return (.dropped, nil) }
            state.buffer.append(message)
            return (.taken, nil)
        }
        waiter?.resume(returning: message)
        return offer
    }

    /// Ends the stream: nothing more is taken, and the consumer gets what it holds, then nil.
    func finish() {
        end { $0.finished = true }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(messages: self) }

    /// Takes the stream's messages in order.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let messages: BusMessages

        public mutating func next() async -> BusMessage? { await messages.next(isolation: nil) }

        public mutating func next(isolation actor: isolated (any Actor)?) async -> BusMessage? {
            await messages.next(isolation: actor)
        }
    }

    private func next(isolation actor: isolated (any Actor)?) async -> BusMessage? {
        if let ready = state.withLock({ $0.take() }) { return ready }
        return await withTaskCancellationHandler {
            await withUnsafeContinuation(isolation: actor) { (waiter: UnsafeContinuation<BusMessage?, Never>) in
                let ready = state.withLock { state -> BusMessage?? in
                    if let ready = state.take() { return ready }
                    state.waiter = waiter
                    return nil
                }
                if let ready { waiter.resume(returning: ready) }
            }
        } onCancel: {
            end { state in
                state.cancelled = true
                state.buffer.removeAll()
                state.head = 0
            }
        }
    }

    /// Changes the state and gives a waiting consumer the end.
    private func end(_ change: (inout State) -> Void) {
        let waiter = state.withLock { state in
            change(&state)
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }
}
