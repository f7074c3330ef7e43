import Configuration
import CZeroMQ
import Glibc
import Logging
import Messaging

/// Schedules a HedgeBus process's threads as its topology's `thread_policy` (its own threads:
/// message loops, the MarketMaker's ledger writer, the stores' checkpointers, the concurrency
/// pool) and `io_thread_policy` (libzmq's I/O threads) say.
///
/// A woken `SCHED_BATCH` thread does not preempt the thread running on its CPU: where the desk
/// keeps the CPUs busy, a loop then gets through a message's work instead of being cut short by
/// the reply, the commit or the I/O thread that wakes next; where other programs keep every CPU
/// busy, each wake-up waits for their turn to end (docs/PERFORMANCE.md, changes 158, 161 and
/// 162). `auto`, the default, runs under `SCHED_BATCH` and moves to the normal policy while other
/// programs take much of the CPUs (`ThreadPolicyWatch`).
///
/// Applied once at start, before the process's message loop exists: threads started after take
/// their parent's policy, and libzmq's are set by their context (`ZMQContext`). A thread under
/// another policy (real-time or idle, as `chrt` starts a process, or a `BackgroundWorker`) keeps it.
public enum ThreadScheduling {
    /// Linux's `SCHED_BATCH`.
    static let batch = HEDGEBUS_SCHED_BATCH
    /// Linux's normal policy.
    static let normal = SCHED_OTHER

    /// Sets the policies the topology asks for at start and, for `auto`, starts watching the
    /// machine's load; `name` labels what the watch logs.
    public static func start(threads: ThreadPolicy, ioThreads: ThreadPolicy, name: String, logger: Logger) throws(ThreadSchedulingError) {
        ZMQContext.threadScheduling = ioThreads == .normal ? .normal : .batch
        if threads != .normal { try move(ownThreads: true, ioThreads: false, to: batch) }
        if threads == .auto || ioThreads == .auto {
            ThreadPolicyWatch.start(ownThreads: threads == .auto, ioThreads: ioThreads == .auto, name: name, logger: logger)
        }
    }

    /// Moves this process's threads under the normal policy or `SCHED_BATCH` to `policy`: its
    /// own threads, libzmq's (named `ZMQbg/…`), or both. Returns how many moved.
    @discardableResult
    static func move(ownThreads: Bool, ioThreads: Bool, to policy: Int32) throws(ThreadSchedulingError) -> Int {
        var moved = 0
        _ = try ProcessThreads.each { (thread: Int32) throws(ThreadSchedulingError) in
            let current = sched_getscheduler(thread)
            guard current == normal || current == batch, current != policy else { return }
            let libzmqs = (ProcessThreads.name(of: thread) ?? "").hasPrefix("ZMQbg/")
            guard libzmqs ? ioThreads : ownThreads else { return }
            var priority = sched_param(sched_priority: 0)
            if sched_setscheduler(thread, policy, &priority) == 0 {
                moved += 1
            } else if errno != ESRCH { // a thread that ended since it was listed has nothing to move
                throw ThreadSchedulingError("cannot put thread \(thread) under \(policy == batch ? "SCHED_BATCH" : "the normal policy"): \(String(cString: strerror(errno))); set \"thread_policy\" and \"io_thread_policy\" to \"normal\" in the topology to leave the threads as the system starts them")
            }
        }
        return moved
    }
}

/// Why a process's threads could not be put under the policy its topology asks for.
public struct ThreadSchedulingError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, naming the thread.
    public let description: String

    init(_ description: String) { self.description = description }
}
