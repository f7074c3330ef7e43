import Synchronization

/// What one signal's cycle did with its order, told to the cycle of the signal after it in its
/// symbol's lane, whose assessment may be asked ahead (`SignalCycle.assessAhead`): whether the
/// order was sent (and under which client order id), then whether it filled. Each is told once;
/// a cycle that ends without sending an order tells both at its end.
final class OrderGate: Sendable {
    /// Whether the cycle sent its order.
    enum Sent: Sendable, Equatable {
        /// Sent under this client order id.
        case order(String)
        /// Not sent: the cycle ended before (rejected, failed, expired).
        case none
    }

    private struct State {
        var sent: Sent?
        var filled: Bool?
        var sentWaiters: [CheckedContinuation<Sent, Never>] = []
        var filledWaiters: [CheckedContinuation<Bool, Never>] = []
    }

    private let state = Mutex(State())

    /// Nothing told yet.
    init() {}

    /// The cycle is about to send its order as `clientOrderId`.
    func sending(_ clientOrderId: String) {
        let waiters = state.withLock { state -> [CheckedContinuation<Sent, Never>] in
            guard state.sent == nil else { return [] }
            state.sent = .order(clientOrderId)
            defer { state.sentWaiters = [] }
            return state.sentWaiters
        }
        for waiter in waiters { waiter.resume(returning: .order(clientOrderId)) }
    }

    /// The cycle has ended; `filled` when its order filled. An order not told as sent by now
    /// never was.
    func finished(filled: Bool) {
        let (sentWaiters, filledWaiters) = state.withLock { state in
            var resumeSent: [CheckedContinuation<Sent, Never>] = []
            if state.sent == nil {
                state.sent = Sent.none
                resumeSent = state.sentWaiters
                state.sentWaiters = []
            }
            var resumeFilled: [CheckedContinuation<Bool, Never>] = []
            if state.filled == nil {
                state.filled = filled
                resumeFilled = state.filledWaiters
                state.filledWaiters = []
            }
            return (resumeSent, resumeFilled)
        }
        for waiter in sentWaiters { waiter.resume(returning: Sent.none) }
        for waiter in filledWaiters { waiter.resume(returning: filled) }
    }

    /// Whether the order was sent, once the cycle has sent it or ended.
    func sent() async -> Sent {
        await withCheckedContinuation { continuation in
            let known = state.withLock { state -> Sent? in
                if let sent = state.sent { return sent }
                state.sentWaiters.append(continuation)
                return nil
            }
            if let known { continuation.resume(returning: known) }
        }
    }

    /// Whether the order filled, once the cycle has ended.
    func filled() async -> Bool {
        await withCheckedContinuation { continuation in
            let known = state.withLock { state -> Bool? in
                if let filled = state.filled { return filled }
                state.filledWaiters.append(continuation)
                return nil
            }
            if let known { continuation.resume(returning: known) }
        }
    }
}
