import Foundation
import Synchronization
import WireFormat

/// Replies awaited by a `RequestClient`. Replies are handed over on the message loop's thread,
/// which resumes the waiting task directly. A reply may arrive before its requester starts
/// waiting; a late reply (after the request ended) is dropped and counted.
///
/// Each request has a slot of its own from `register` to `forget`, reached through its
/// `Ticket`: waiting, the loop's report of the send and a failed send touch the slot directly,
/// and only a reply (and `register`/`forget`) looks the request up by its id, as a packed
/// `RequestKey`. Slots are reused.
///
/// Each wait has a deadline, and the client arms a loop timer for one only when no armed timer
/// comes earlier, rather than one per request: requests sent one after another arm about one
/// timer per attempt timeout instead of a heap entry (and a closure) each in the loop.
final class PendingReplies: Sendable {
    /// How one wait ended.
    enum Outcome: Sendable {
        /// The reply.
        case reply(ReceivedReply)
        /// libzmq refused the request (no connection yet, or a full queue).
        case notSent(ZMQError)
        /// The attempt's deadline passed.
        case timedOut
        /// The waiting task was cancelled.
        case cancelled
    }

    /// A registered request's slot, held by its requester until it calls `forget`.
    struct Ticket: Sendable {
        fileprivate let index: Int
    }

    /// Where a slot's request stands. Kept apart from the slot's payloads, so that reading it
    /// and the token copies nothing (as matching on an enum with a reply in it did).
    private enum Phase {
        case free
        /// No wait in place; `arrived` holds a reply that came meanwhile, if one did.
        case registered
        /// A wait is in place: `waiter`, `token`, `deadline` and `sent` describe it.
        case waiting
    }

    private struct Entry {
        /// The request's id; nil while the slot is free.
        var key: RequestKey?
        var phase: Phase
        var arrived: ReceivedReply?
        var waiter: UnsafeContinuation<Outcome, Never>?
        /// The wait's token. Tokens are never reused, so a stale report cannot reach a later wait
        /// in the same slot.
        var token: UInt64 = 0
        var deadline: Int64?
        /// Whether libzmq took the request: only then does its deadline end the wait as
        /// `.timedOut` (before, the send still queued on the loop decides how it ends).
        var sent = false

        init(key: RequestKey?, phase: Phase) {
            self.key = key
            self.phase = phase
        }

        /// Ends the wait in place, if any, and returns its continuation; the request stays
        /// registered.
        mutating func takeWaiter() -> UnsafeContinuation<Outcome, Never>? {
            guard phase == .waiting else { return nil }
            phase = .registered
            return waiter.take()
        }
    }

    private struct State {
        /// The slot of each registered id.
        var byKey: [RequestKey: Int] = [:]
        var entries: [Entry] = []
        /// Slots free for the next `register`.
        var free: [Int] = []
        var nextToken: UInt64 = 0
        /// The due times (`LoopClock` nanoseconds) of the deadline timers armed and not yet
        /// fired (one or two, as a rule).
        var armed: [Int64] = []
    }

    private let slots = Mutex(State())
    let lateReplies = Mutex(0)

    /// Registers a request with a fresh id, whose replies are kept from now on. (Were the id
    /// registered already, replies would keep going to the first registration, and this one's
    /// waits would end only by their deadlines.)
    func register(_ id: String) -> Ticket {
        let key = RequestKey(id)
        return slots.withLock { state in
            let index: Int
            if let reused = state.free.popLast() {
                index = reused
                state.entries[index].key = key
                state.entries[index].phase = .registered
            } else {
                index = state.entries.count
                state.entries.append(Entry(key: key, phase: .registered))
            }
            if let first = state.byKey.updateValue(index, forKey: key) { state.byKey[key] = first }
            return Ticket(index: index)
        }
    }

    /// Ends the request: its slot is freed, and a wait still in it ends as `.cancelled`.
    func forget(_ ticket: Ticket) {
        let index = ticket.index
        let waiter = slots.withLock { state -> UnsafeContinuation<Outcome, Never>? in
            let waiter = state.entries[index].takeWaiter()
            state.entries[index].phase = .free
            state.entries[index].arrived = nil
            if let key = state.entries[index].key, let place = state.byKey.index(forKey: key), state.byKey.values[place] == index {
                state.byKey.remove(at: place)
            }
            state.entries[index].key = nil
            state.free.append(index)
            return waiter
        }
        waiter?.resume(returning: .cancelled)
    }

    /// Hands an inbound reply to whoever waits for the request of `key` (any attempt of it).
    func deliver(_ reply: ReceivedReply, to key: RequestKey) {
        let (waiter, late) = slots.withLock { state -> (UnsafeContinuation<Outcome, Never>?, Bool) in
            guard let index = state.byKey[key] else { return (nil, true) }
            if state.entries[index].phase == .registered {
                // The first reply to come is kept (a retry may be answered twice).
                if state.entries[index].arrived == nil { state.entries[index].arrived = reply }
                return (nil, false)
            }
            return (state.entries[index].takeWaiter(), false)
        }
        if let waiter { waiter.resume(returning: .reply(reply)) }
        if late { lateReplies.withLock { $0 += 1 } }
    }

    /// Waits for the reply to the request of `ticket` until `deadline` (`LoopClock` nanoseconds).
    /// `start` runs once the waiter is in place (so no reply can slip past) with a token and
    /// whether a deadline timer must be armed at `deadline` (none is armed as early); it sends
    /// the request and arranges for `resolve(ticket, token:, …)` to end the wait on failure, and
    /// for `expire(timerDue:now:)` to run when the armed timer fires. A reply that arrived
    /// earlier returns at once. The continuation is unchecked: every path that resumes it first takes it
    /// out of its slot under the lock, so it is resumed once, and a checked one would allocate
    /// and free a canary on every request (docs/PERFORMANCE.md, change 60).
    func wait(for ticket: Ticket, deadline: Int64, start: (_ token: UInt64, _ armTimer: Bool) -> Void) async -> Outcome {
        let index = ticket.index
        return await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: UnsafeContinuation<Outcome, Never>) in
                let (early, token, arm) = slots.withLock { state -> (Outcome?, UInt64, Bool) in
                    state.nextToken &+= 1
                    switch state.entries[index].phase {
                    case .registered:
                        if let reply = state.entries[index].arrived.take() { return (.reply(reply), 0, false) }
                        state.entries[index].phase = .waiting
                        state.entries[index].waiter = continuation
                        state.entries[index].token = state.nextToken
                        state.entries[index].deadline = deadline
                        state.entries[index].sent = false
                        let arm = state.armed.min().map { deadline < $0 } ?? true
                        if arm { state.armed.append(deadline) }
                        return (nil, state.nextToken, arm)
                    case .waiting, .free:
                        return (.cancelled, 0, false)
                    }
                }
                if let early { continuation.resume(returning: early) } else { start(token, arm) }
            }
        } onCancel: {
            slots.withLock { $0.entries[index].takeWaiter() }?.resume(returning: .cancelled)
        }
    }

    /// Ends the wait that `token` belongs to with `outcome`, keeping the request registered for
    /// a retry; nothing when that wait has already ended (a stale deadline, say).
    func resolve(_ ticket: Ticket, token: UInt64, with outcome: Outcome) {
        let waiter = slots.withLock { state -> UnsafeContinuation<Outcome, Never>? in
            guard state.entries[ticket.index].token == token else { return nil }
            return state.entries[ticket.index].takeWaiter()
        }
        waiter?.resume(returning: outcome)
    }

    /// Notes that libzmq took the request the wait of `token` sent.
    func markSent(_ ticket: Ticket, token: UInt64) {
        slots.withLock { state in
            guard state.entries[ticket.index].phase == .waiting, state.entries[ticket.index].token == token else { return }
            state.entries[ticket.index].sent = true
        }
    }

    /// Ends every wait whose request went out and whose deadline has passed at `now` as
    /// `.timedOut`, when the timer armed for `timerDue` fires; returns the earliest deadline still
    /// waited for that no armed timer covers, for the caller to arm a timer at (a passed one, for
    /// a wait whose send is still queued). A timer fired before its due time (the loop ran its
    /// timers early because it stopped) ends every wait, and nothing is armed again.
    func expire(timerDue: Int64, now: Int64) -> Int64? {
        let stopping = now < timerDue
        let (expired, next) = slots.withLock { state -> ([UnsafeContinuation<Outcome, Never>], Int64?) in
            if let fired = state.armed.firstIndex(of: timerDue) { state.armed.remove(at: fired) }
            var expired: [UnsafeContinuation<Outcome, Never>] = []
            var earliest: Int64?
            for index in state.entries.indices where state.entries[index].phase == .waiting {
                guard let deadline = state.entries[index].deadline else { continue }
                if stopping || (state.entries[index].sent && deadline <= now) {
                    if let waiter = state.entries[index].takeWaiter() { expired.append(waiter) }
                } else if earliest.map({ deadline < $0 }) ?? true {
                    earliest = deadline
                }
            }
            guard let earliest, state.armed.min().map({ earliest < $0 }) ?? true else { return (expired, nil) }
            state.armed.append(earliest)
            return (expired, earliest)
        }
        for waiter in expired { waiter.resume(returning: .timedOut) }
        return next
    }
}
