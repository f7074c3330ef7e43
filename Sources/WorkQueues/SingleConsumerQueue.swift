import Synchronization

/// Elements handed over from any thread to one consumer task, in order (`for await element in
/// queue`, or `next()`).
///
/// An `offer` queues the element and wakes the consumer if it waits; at most `capacity`
/// elements wait (not yet taken by the consumer), and a newer one is refused. Once finished the
/// queue takes nothing more and the consumer gets what it holds, then nil; a consumer whose task
/// is cancelled gets nil at once and the queue ends.
///
/// Why not `AsyncStream`: the standard library runs a stream's storage as unspecialized generic
/// code, several thousand instructions and metadata look-ups per element, on every signal, order
/// and bus message an agent handles. This queue is inlinable, so each element type gets code of
/// its own, and its work per element is a lock, an append and, when the consumer waits, a resume.
public final class SingleConsumerQueue<Element: Sendable>: AsyncSequence, Sendable {
    public typealias Failure = Never

    /// What became of an offered element.
    public enum Offer: Sendable, Equatable {
        /// Queued behind `ahead` elements the consumer has not taken yet.
        case queued(ahead: Int)
        /// `capacity` elements already wait: refused.
        case full
        /// The queue has ended (finished, or its consumer cancelled): refused.
        case ended
    }

    @usableFromInline
    struct State {
        /// Elements not yet taken, from `head` on; a taken slot is emptied at once.
        @usableFromInline var buffer: [Element?] = []
        @usableFromInline var head = 0
        /// The consumer, waiting (only while nothing waits in `buffer`).
        @usableFromInline var waiter: UnsafeContinuation<Void, Never>?
        @usableFromInline var finished = false
        @usableFromInline var cancelled = false

        @inlinable init() {}

        @inlinable var waiting: Int { buffer.count - head }

        /// The next element, or `.some(nil)` once there will be none, or nil when the consumer
        /// must wait.
        @inlinable
        mutating func take() -> Element?? {
            if cancelled { return .some(nil) }
            guard head < buffer.count else { return finished ? .some(nil) : nil }
            let element = buffer[head]
            buffer[head] = nil
            head += 1
            if head == buffer.count {
                // Emptied: keep a small buffer for the next elements, give back a burst's.
                buffer.removeAll(keepingCapacity: buffer.capacity <= 1_024)
                head = 0
            } else if head >= 1_024, head * 2 >= buffer.count {
                buffer.removeFirst(head)
                head = 0
            }
            return element
        }
    }

    @usableFromInline let state = Mutex(State())
    /// Elements that may wait for the consumer.
    public let capacity: Int

    /// An open queue holding at most `capacity` elements (at least one).
    @inlinable
    public init(capacity: Int = .max) { self.capacity = Swift.max(1, capacity) }

    /// Queues `element` and wakes the consumer if it waits.
    @inlinable
    public func offer(_ element: Element) -> Offer {
        let (offer, waiter) = state.withLock { state -> (Offer, UnsafeContinuation<Void, Never>?) in
            if state.finished || state.cancelled { return (.ended, nil) }
            let ahead = state.waiting
            guard ahead < capacity else { return (.full, nil) }
            state.buffer.append(element)
            defer { state.waiter = nil }
            return (.queued(ahead: ahead), state.waiter)
        }
        waiter?.resume()
        return offer
    }

    /// Ends the queue: nothing more is queued, and the consumer gets what it holds, then nil.
    @inlinable
    public func finish() { wakeConsumer { $0.finished = true } }

    /// The next element, without waiting, if one waits and `accepts` it; nil otherwise (and
    /// once the consumer's task was cancelled). For a consumer that looks one element ahead
    /// while it works on the one before: the element taken no longer counts against `capacity`.
    @inlinable
    public func take(ifNext accepts: (Element) -> Bool) -> Element? {
        state.withLock { state -> Element? in
            guard !state.cancelled, state.head < state.buffer.count, let next = state.buffer[state.head], accepts(next) else { return nil }
            return state.take().flatMap { $0 }
        }
    }

    /// The next element, waiting for one; nil once the queue has ended and is empty, or when
    /// the consumer's task is cancelled.
    @inlinable
    public func next(isolation actor: isolated (any Actor)? = #isolation) async -> Element? {
        while true {
            if let taken = state.withLock({ $0.take() }) { return taken }
            await withTaskCancellationHandler {
                await withUnsafeContinuation(isolation: actor) { (waiter: UnsafeContinuation<Void, Never>) in
                    let ready = state.withLock { state -> Bool in
                        guard state.waiting == 0, !state.finished, !state.cancelled else { return true }
                        state.waiter = waiter
                        return false
                    }
                    if ready { waiter.resume() }
                }
            } onCancel: {
                wakeConsumer { state in
                    state.cancelled = true
                    state.buffer.removeAll()
                    state.head = 0
                }
            }
        }
    }

    /// Changes the state and resumes a waiting consumer, which then looks again.
    @inlinable
    func wakeConsumer(_ change: (inout State) -> Void) {
        let waiter = state.withLock { state in
            change(&state)
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    @inlinable
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(queue: self) }

    /// Takes the queue's elements in order.
    public struct AsyncIterator: AsyncIteratorProtocol {
        @usableFromInline let queue: SingleConsumerQueue

        @inlinable init(queue: SingleConsumerQueue) { self.queue = queue }

        @inlinable
        public mutating func next() async -> Element? { await queue.next(isolation: nil) }

        @inlinable
        public mutating func next(isolation actor: isolated (any Actor)?) async -> Element? {
            await queue.next(isolation: actor)
        }
    }
}
