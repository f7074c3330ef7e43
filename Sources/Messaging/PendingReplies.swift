import Foundation
import Synchronization

/// Replies awaited by a `RequestClient`, keyed by request id. A reply may arrive before its
/// requester starts waiting; a late reply (after a timeout) is dropped and counted.
final class PendingReplies: Sendable {
    private enum Slot {
        case registered
        case arrived(Data)
        case waiting(CheckedContinuation<Data?, Never>)
    }

    private let slots = Mutex<[String: Slot]>([:])
    let lateReplies = Mutex(0)

    func register(_ id: String) {
        slots.withLock { if $0[id] == nil { $0[id] = .registered } }
    }

    func forget(_ id: String) {
        let slot = slots.withLock { $0.removeValue(forKey: id) }
        if case .waiting(let continuation) = slot { continuation.resume(returning: nil) }
    }

    /// Hands an inbound reply to whoever waits for `requestId`.
    func deliver(_ body: Data, to requestId: String) {
        let waiter: CheckedContinuation<Data?, Never>? = slots.withLock { slots in
            switch slots[requestId] {
            case .registered?:
                slots[requestId] = .arrived(body)
                return nil
            case .waiting(let continuation)?:
                slots[requestId] = .registered
                return continuation
            case .arrived?, nil:
                return nil
            }
        }
        if let waiter { waiter.resume(returning: body) } else if !isRegistered(requestId) { lateReplies.withLock { $0 += 1 } }
    }

    private func isRegistered(_ id: String) -> Bool { slots.withLock { $0[id] != nil } }

    /// Waits for the reply to `id` until `deadline`; nil on timeout or cancellation.
    func wait(for id: String, until deadline: ContinuousClock.Instant) async -> Data? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Data?, Never>) in
                let early: Data?? = slots.withLock { slots in
                    switch slots[id] {
                    case .arrived(let body)?:
                        slots[id] = .registered
                        return .some(body)
                    case .registered?:
                        slots[id] = .waiting(continuation)
                        return .none
                    case .waiting?, nil:
                        return .some(nil)
                    }
                }
                if let early { continuation.resume(returning: early); return }
                Task {
                    try? await Task.sleep(until: deadline, clock: .continuous)
                    self.expire(id)
                }
            }
        } onCancel: {
            expire(id)
        }
    }

    /// Wakes the waiter of `id` with nil, keeping the id registered for a retry.
    private func expire(_ id: String) {
        let waiter: CheckedContinuation<Data?, Never>? = slots.withLock { slots in
            guard case .waiting(let continuation)? = slots[id] else { return nil }
            slots[id] = .registered
            return continuation
        }
        waiter?.resume(returning: nil)
    }
}
