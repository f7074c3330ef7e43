import Synchronization

/// A value that tasks can wait on: `wait` returns as soon as a condition over the value holds
/// (checked now and after every `update`), or false when the timeout passes first. The waiting
/// is a handshake with whoever updates the value, never a polling loop.
public final class StateWatch<State: Sendable>: Sendable {
    private struct Waiter {
        let id: Int
        let condition: @Sendable (State) -> Bool
        let continuation: CheckedContinuation<Bool, Never>
    }

    private let state: Mutex<(value: State, waiters: [Waiter], nextID: Int)>

    /// Starts with `initial`.
    public init(_ initial: State) {
        state = Mutex((initial, [], 0))
    }

    /// The current value.
    public var value: State { state.withLock { $0.value } }

    /// Changes the value and wakes every waiter whose condition now holds.
    public func update(_ change: (inout State) -> Void) {
        let ready: [Waiter] = state.withLock { state in
            change(&state.value)
            let value = state.value
            let met = state.waiters.filter { $0.condition(value) }
            if !met.isEmpty { state.waiters.removeAll { waiter in met.contains { $0.id == waiter.id } } }
            return met
        }
        for waiter in ready { waiter.continuation.resume(returning: true) }
    }

    /// Waits until `condition` holds for the value; false if `timeout` passes first.
    public func wait(timeout: Duration, until condition: @escaping @Sendable (State) -> Bool) async -> Bool {
        await withCheckedContinuation { continuation in
            let id: Int? = state.withLock { state in
                if condition(state.value) { return nil }
                state.nextID += 1
                state.waiters.append(Waiter(id: state.nextID, condition: condition, continuation: continuation))
                return state.nextID
            }
            guard let id else { continuation.resume(returning: true); return }
            Task {
                try? await Task.sleep(for: timeout)
                let expired = self.state.withLock { state -> Waiter? in
                    guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                    return state.waiters.remove(at: index)
                }
                expired?.continuation.resume(returning: false)
            }
        }
    }
}
