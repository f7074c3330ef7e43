import Foundation
import Synchronization
import WireFormat

/// Replies awaited by a `RequestClient`, keyed by request id. Replies are handed over on the
/// message loop's thread, which resumes the waiting task directly. A reply may arrive before its
/// requester starts waiting; a late reply (after the request ended) is dropped and counted.
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

    private enum Slot {
        case registered
        case arrived(InboundMessage)
        /// `sent` once libzmq took the request: only then does its deadline end the wait as
        /// `.timedOut` (before, the send still queued on the loop decides how it ends).
        case waiting(token: UInt64, CheckedContinuation<Outcome, Never>, deadline: ContinuousClock.Instant, sent: Bool)
    }

    private struct State {
        var byId: [String: Slot] = [:]
        var nextToken: UInt64 = 0
        /// The due times of the deadline timers armed and not yet fired (one or two, as a rule).
        var armed: [ContinuousClock.Instant] = []
    }

    private let slots = Mutex(State())
    let lateReplies = Mutex(0)

    func register(_ id: String) {
        slots.withLock { if $0.byId[id] == nil { $0.byId[id] = .registered } }
    }

    func forget(_ id: String) {
        let slot = slots.withLock { $0.byId.removeValue(forKey: id) }
        if case .waiting(_, let continuation, _, _) = slot { continuation.resume(returning: .cancelled) }
    }

    /// Hands an inbound reply to whoever waits for `requestId` (any attempt of it).
    func deliver(_ reply: InboundMessage, to requestId: String) {
        let (waiter, late) = slots.withLock { state -> (CheckedContinuation<Outcome, Never>?, Bool) in
            switch state.byId[requestId] {
            case .registered?:
                state.byId[requestId] = .arrived(reply)
                return (nil, false)
            case .waiting(_, let continuation, _, _)?:
                state.byId[requestId] = .registered
                return (continuation, false)
            case .arrived?:
                return (nil, false)
            case nil:
                return (nil, true)
            }
        }
        if let waiter { waiter.resume(returning: .reply(reply)) }
        if late { lateReplies.withLock { $0 += 1 } }
    }

    /// Waits for the reply to `id` until `deadline`. `start` runs once the waiter is in place (so
    /// no reply can slip past) with a token and whether a deadline timer must be armed at
    /// `deadline` (none is armed as early); it sends the request and arranges for
    /// `resolve(id, token:, …)` to end the wait on failure, and for `expire(timerDue:now:)` to run
    /// when the armed timer fires. A reply that arrived earlier returns at once.
    func wait(for id: String, deadline: ContinuousClock.Instant, start: (_ token: UInt64, _ armTimer: Bool) -> Void) async -> Outcome {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
                let (early, token, arm) = slots.withLock { state -> (Outcome?, UInt64, Bool) in
                    state.nextToken &+= 1
                    switch state.byId[id] {
                    case .arrived(let reply)?:
                        state.byId[id] = .registered
                        return (.reply(reply), 0, false)
                    case .registered?:
                        state.byId[id] = .waiting(token: state.nextToken, continuation, deadline: deadline, sent: false)
                        let arm = state.armed.min().map { deadline < $0 } ?? true
                        if arm { state.armed.append(deadline) }
                        return (nil, state.nextToken, arm)
                    case .waiting?, nil:
                        return (.cancelled, 0, false)
                    }
                }
                if let early { continuation.resume(returning: early) } else { start(token, arm) }
            }
        } onCancel: {
            let waiter = slots.withLock { state -> CheckedContinuation<Outcome, Never>? in
                guard case .waiting(_, let continuation, _, _)? = state.byId[id] else { return nil }
                state.byId[id] = .registered
                return continuation
            }
            waiter?.resume(returning: .cancelled)
        }
    }

    /// Ends the wait that `token` belongs to with `outcome`, keeping the id registered for a
    /// retry; nothing when that wait has already ended (a stale deadline, say).
    func resolve(_ id: String, token: UInt64, with outcome: Outcome) {
        let waiter = slots.withLock { state -> CheckedContinuation<Outcome, Never>? in
            guard case .waiting(let current, let continuation, _, _)? = state.byId[id], current == token else { return nil }
            state.byId[id] = .registered
            return continuation
        }
        waiter?.resume(returning: outcome)
    }

    /// Notes that libzmq took the request the wait of `token` sent.
    func markSent(_ id: String, token: UInt64) {
        slots.withLock { state in
            guard case .waiting(let current, let continuation, let deadline, false)? = state.byId[id], current == token else { return }
            state.byId[id] = .waiting(token: current, continuation, deadline: deadline, sent: true)
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
            for (id, slot) in state.byId {
                guard case .waiting(_, let continuation, let deadline, let sent) = slot else { continue }
                if stopping || (sent && deadline <= now) {
                    state.byId[id] = .registered
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
