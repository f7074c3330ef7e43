import Synchronization
@testable import Messaging

/// What ran on or off a message loop, in order, for tests of the loop's ordering of its work.
final class LoopOrderLog: Sendable {
    let order = Mutex<[String]>([])
    let onLoop = Mutex<[Bool]>([])

    /// Records `what` and whether it ran on `loop`'s thread.
    func note(_ what: String, _ loop: MessageLoop) {
        order.withLock { $0.append(what) }
        onLoop.withLock { $0.append(loop.isLoopThread) }
    }
}
