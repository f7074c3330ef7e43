import Foundation
import Synchronization
import WireFormat

/// Replies awaited by a `RequestClient`, keyed by request id. Replies are handed over on the
/// message loop's thread, which resumes the waiting task directly. A reply may arrive before its
/// requester starts waiting; a late reply (after the request ended) is dropped and counted.
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
        case waiting(token: UInt64, CheckedContinuation<Outcome, Never>)
    }

    private let slots = Mutex<(byId: [String: Slot], nextToken: UInt64)>(([:], 0))
    let lateReplies = Mutex(0)

    func register(_ id: String) {
        slots.withLock { if $0.byId[id] == nil { $0.byId[id] = .registered } }
    }

    func forget(_ id: String) {
        let slot = slots.withLock { $0.byId.removeValue(forKey: id) }
        if case .waiting(_, let continuation) = slot { continuation.resume(returning: .cancelled) }
    }

    /// Hands an inbound reply to whoever waits for `requestId` (any attempt of it).
    func deliver(_ reply: InboundMessage, to requestId: String) {
        let (waiter, late) = slots.withLock { state -> (CheckedContinuation<Outcome, Never>?, Bool) in
            switch state.byId[requestId] {
            case .registered?:
                state.byId[requestId] = .arrived(reply)
                return (nil, false)
            case .waiting(_, let continuation)?:
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

    /// Waits for the reply to `id`. `start` runs once the waiter is in place (so no reply can slip
    /// past) with a token; it sends the request and arranges for `resolve(id, token:, …)` to end
    /// the wait on failure or at the deadline. A reply that arrived earlier returns at once.
    func wait(for id: String, start: (UInt64) -> Void) async -> Outcome {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
                let (early, token) = slots.withLock { state -> (Outcome?, UInt64) in
                    state.nextToken &+= 1
                    switch state.byId[id] {
                    case .arrived(let reply)?:
                        state.byId[id] = .registered
                        return (.reply(reply), 0)
                    case .registered?:
                        state.byId[id] = .waiting(token: state.nextToken, continuation)
                        return (nil, state.nextToken)
                    case .waiting?, nil:
                        return (.cancelled, 0)
                    }
                }
                if let early { continuation.resume(returning: early) } else { start(token) }
            }
        } onCancel: {
            let waiter = slots.withLock { state -> CheckedContinuation<Outcome, Never>? in
                guard case .waiting(_, let continuation)? = state.byId[id] else { return nil }
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
            guard case .waiting(let current, let continuation)? = state.byId[id], current == token else { return nil }
            state.byId[id] = .registered
            return continuation
        }
        waiter?.resume(returning: outcome)
    }
}
