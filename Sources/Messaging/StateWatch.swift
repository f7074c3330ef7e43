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

    private let state: Mutex<(value: State, waiters: [Waiter], nextID: Int, expiredEarly: Set<Int>)>

    /// Starts with `initial`.
    public init(_ initial: State) {
        state = Mutex((initial, [], 0, []))
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

    /// Waits until `condition` holds for the value; false if `timeout` passes first, or when the
    /// waiting task is cancelled. The timeout is a child task, cancelled as soon as the wait ends.
    public func wait(timeout: Duration, until condition: @escaping @Sendable (State) -> Bool) async -> Bool {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let met = await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Ends the wait when the time is up, and also when the wait is cancelled.
                try? await Task.sleep(for: timeout)
                self.expire(id)
            }
            let met = await withCheckedContinuation { continuation in
                let answer: Bool? = state.withLock { state in
                    if condition(state.value) { return true }
                    if state.expiredEarly.remove(id) != nil { return false }
                    state.waiters.append(Waiter(id: id, condition: condition, continuation: continuation))
                    return nil
                }
                if let answer { continuation.resume(returning: answer) }
            }
            group.cancelAll()
            return met
        }
        // The timeout task has ended (the group waits for it): forget an expiry it left behind.
        _ = state.withLock { $0.expiredEarly.remove(id) }
        return met
    }

    /// Ends the wait `id` with false; remembered when the wait has not started waiting yet.
    private func expire(_ id: Int) {
        let expired = state.withLock { state -> Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else {
                state.expiredEarly.insert(id)
                return nil
            }
            return state.waiters.remove(at: index)
        }
        expired?.continuation.resume(returning: false)
    }
}
