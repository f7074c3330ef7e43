import Foundation
import Instrumentation

/// Runs a forwarding loop (the bus proxy, the request broker) on a thread of its own, so its
/// sockets live and die on that one thread.
enum ForwardingThread {
    /// Starts `forward` on a thread named `name` and returns when it ends. `forward` calls its
    /// argument once, when its sockets are bound or failed to bind; a failure is thrown at once.
    static func run(named name: String, _ forward: @escaping @Sendable (_ onBound: (ZMQError?) -> Void) -> Void) async throws {
        let (bound, boundContinuation) = AsyncStream.makeStream(of: ZMQError?.self)
        let (finished, finishedContinuation) = AsyncStream.makeStream(of: Void.self)
        let thread = Thread {
            ThreadNaming.nameCurrentThread(name)
            forward { boundContinuation.yield($0); boundContinuation.finish() }
            finishedContinuation.finish()
        }
        thread.start()
        for await outcome in bound { if let outcome { throw outcome } }
        for await _ in finished {}
    }
}
