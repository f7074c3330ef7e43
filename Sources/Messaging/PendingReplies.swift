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
        /// The reply, its header read and the rest of it scanned.
        case reply(InboundMessage)
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

    private enum Slot {
        case free
        case registered
        case arrived(InboundMessage)
        /// `sent` once libzmq took the request: only then does its deadline end the wait as
        /// `.timedOut` (before, the send still queued on the loop decides how it ends). Tokens
        /// are never reused, so a stale report cannot reach a later wait in the same slot.
        case waiting(token: UInt64, CheckedContinuation<Outcome, Never>, deadline: ContinuousClock.Instant, sent: Bool)
    }

    private struct Entry {
        /// The request's id; nil while the slot is free.
        var key: RequestKey?
        var slot: Slot
    }

    private struct State {
        /// The slot of each registered id.
        var byKey: [RequestKey: Int] = [:]
        var entries: [Entry] = []
        /// Slots free for the next `register`.
        var free: [Int] = []
        var nextToken: UInt64 = 0
        /// The due times of the deadline timers armed and not yet fired (one or two, as a rule).
        var armed: [ContinuousClock.Instant] = []
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
                state.entries[index] = Entry(key: key, slot: .registered)
            } else {
                index = state.entries.count
                state.entries.append(Entry(key: key, slot: .registered))
            }
            if let first = state.byKey.updateValue(index, forKey: key) { state.byKey[key] = first }
            return Ticket(index: index)
        }
    }

    /// Ends the request: its slot is freed, and a wait still in it ends as `.cancelled`.
    func forget(_ ticket: Ticket) {
        let slot = slots.withLock { state -> Slot in
            let entry = state.entries[ticket.index]
            state.entries[ticket.index] = Entry(key: nil, slot: .free)
            state.free.append(ticket.index)
            if let key = entry.key, let place = state.byKey.index(forKey: key), state.byKey.values[place] == ticket.index {
                state.byKey.remove(at: place)
            }
            return entry.slot
        }
        if case .waiting(_, let continuation, _, _) = slot { continuation.resume(returning: .cancelled) }
    }

    /// Hands an inbound reply to whoever waits for `requestId` (any attempt of it).
    func deliver(_ reply: InboundMessage, to requestId: String) {
        let key = RequestKey(requestId)
        let (waiter, late) = slots.withLock { state -> (CheckedContinuation<Outcome, Never>?, Bool) in
            guard let index = state.byKey[key] else { return (nil, true) }
            switch state.entries[index].slot {
            case .registered:
                state.entries[index].slot = .arrived(reply)
                return (nil, false)
            case .waiting(_, let continuation, _, _):
                state.entries[index].slot = .registered
                return (continuation, false)
            case .arrived, .free:
                return (nil, false)
            }
        }
        if let waiter { waiter.resume(returning: .reply(reply)) }
        if late { lateReplies.withLock { $0 += 1 } }
    }

    /// Waits for the reply to the request of `ticket` until `deadline`. `start` runs once the
    /// waiter is in place (so no reply can slip past) with a token and whether a deadline timer
    /// must be armed at `deadline` (none is armed as early); it sends the request and arranges
    /// for `resolve(ticket, token:, …)` to end the wait on failure, and for
    /// `expire(timerDue:now:)` to run when the armed timer fires. A reply that arrived earlier
    /// returns at once.
    func wait(for ticket: Ticket, deadline: ContinuousClock.Instant, start: (_ token: UInt64, _ armTimer: Bool) -> Void) async -> Outcome {
        let index = ticket.index
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
                let (early, token, arm) = slots.withLock { state -> (Outcome?, UInt64, Bool) in
                    state.nextToken &+= 1
                    switch state.entries[index].slot {
                    case .arrived(let reply):
                        state.entries[index].slot = .registered
                        return (.reply(reply), 0, false)
                    case .registered:
                        state.entries[index].slot = .waiting(token: state.nextToken, continuation, deadline: deadline, sent: false)
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
            let waiter = slots.withLock { state -> CheckedContinuation<Outcome, Never>? in
                guard case .waiting(_, let continuation, _, _) = state.entries[index].slot else { return nil }
                state.entries[index].slot = .registered
                return continuation
            }
            waiter?.resume(returning: .cancelled)
        }
    }

    /// Ends the wait that `token` belongs to with `outcome`, keeping the request registered for
    /// a retry; nothing when that wait has already ended (a stale deadline, say).
    func resolve(_ ticket: Ticket, token: UInt64, with outcome: Outcome) {
        let waiter = slots.withLock { state -> CheckedContinuation<Outcome, Never>? in
            guard case .waiting(let current, let continuation, _, _) = state.entries[ticket.index].slot, current == token else { return nil }
            state.entries[ticket.index].slot = .registered
            return continuation
        }
        waiter?.resume(returning: outcome)
    }

    /// Notes that libzmq took the request the wait of `token` sent.
    func markSent(_ ticket: Ticket, token: UInt64) {
        slots.withLock { state in
            guard case .waiting(let current, let continuation, let deadline, false) = state.entries[ticket.index].slot,
                  current == token else { return }
            state.entries[ticket.index].slot = .waiting(token: current, continuation, deadline: deadline, sent: true)
        }
    }

    /// Ends every wait whose request went out and whose deadline has passed at `now` as
    /// `.timedOut`, when the timer armed for `timerDue` fires; returns the earliest deadline still
    /// waited for that no armed timer covers, for the caller to arm a timer at (a passed one, for
    /// a wait whose send is still queued). A timer fired before its due time (the loop ran its
    /// timers early because it stopped) ends every wait, and nothing is armed again.
    func expire(timerDue: ContinuousClock.Instant, now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        let stopping = now < timerDue
        let (expired, next) = slots.withLock { state -> ([CheckedContinuation<Outcome, Never>], ContinuousClock.Instant?) in
            if let fired = state.armed.firstIndex(of: timerDue) { state.armed.remove(at: fired) }
            var expired: [CheckedContinuation<Outcome, Never>] = []
            var earliest: ContinuousClock.Instant?
            for index in state.entries.indices {
                guard case .waiting(_, let continuation, let deadline, let sent) = state.entries[index].slot else { continue }
                if stopping || (sent && deadline <= now) {
                    state.entries[index].slot = .registered
                    expired.append(continuation)
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
