import Foundation

/// Runs blocking work (raw libzmq calls) on a thread of its own, never on Swift's cooperative
/// pool, and returns its result.
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try work() })
        }
        thread.start()
    }
}
