import Configuration
import CZeroMQ
import Glibc

/// Schedules a HedgeBus process's own threads as its topology's `thread_policy` says: under
/// `batch`, every thread it has under the normal policy moves to `SCHED_BATCH`, and so every
/// thread started after (a thread starts with its parent's policy): its message loops, the
/// MarketMaker's ledger writer, the stores' checkpointers, the concurrency pool. libzmq's I/O
/// threads follow `io_thread_policy` (`ZMQContext`), set when they start.
///
/// Applied once at start, before the process's message loop exists. A woken `SCHED_BATCH` thread
/// does not preempt the thread running on its CPU: where the agents keep both CPUs busy, a loop
/// then gets through a message's work instead of being cut short by the reply, the commit or the
/// I/O thread that wakes next (docs/PERFORMANCE.md, change 161). A thread under another policy
/// (real-time or idle, as `chrt` starts a process) keeps it.
public enum ThreadScheduling {
    /// Puts this process's threads under `policy` and returns how many moved; `normal` leaves
    /// them as they are.
    @discardableResult
    public static func apply(_ policy: ThreadPolicy) throws(ThreadSchedulingError) -> Int {
        guard policy == .batch else { return 0 }
        var moved = 0
        _ = try ProcessThreads.each { (thread: Int32) throws(ThreadSchedulingError) in
            guard sched_getscheduler(thread) == SCHED_OTHER else { return }
            var priority = sched_param(sched_priority: 0)
            if sched_setscheduler(thread, HEDGEBUS_SCHED_BATCH, &priority) == 0 {
                moved += 1
            } else if errno != ESRCH { // a thread that ended since it was listed has nothing to move
                throw ThreadSchedulingError("cannot put thread \(thread) under SCHED_BATCH (thread_policy): \(String(cString: strerror(errno)))")
            }
        }
        return moved
    }
}

/// Why a process's threads could not be put under its `thread_policy`.
public struct ThreadSchedulingError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, naming the thread.
    public let description: String

    init(_ description: String) { self.description = description }
}
