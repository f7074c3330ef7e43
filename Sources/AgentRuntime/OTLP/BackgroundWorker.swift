import Foundation
import Instrumentation
import Synchronization

/// A thread of its own that runs the jobs given to it one at a time, in order, below every other
/// thread of the agent: on Linux in the `SCHED_IDLE` class, so a message loop that wakes on its
/// CPU runs at once instead of waiting out the worker's time slice (docs/PERFORMANCE.md, change
/// 124), and nice +10, which is what is left where the class cannot be set: work that must not
/// compete with the message loop for the CPU, such as encoding and posting spans. It gets the
/// CPU only when nothing else wants it, so under a load that keeps every CPU busy its jobs wait.
/// The thread ends once the worker is gone and its jobs have run.
final class BackgroundWorker: Sendable {
    /// How much nicer than the process the worker's thread runs.
    static let niceness: Int32 = 10
    /// Linux's `SCHED_IDLE` policy (5 in `linux/sched.h`), which glibc's headers define only
    /// under `_GNU_SOURCE`.
    static let idlePolicy: Int32 = 5

    /// The jobs, shared with the thread (which must not keep the worker itself alive).
    private final class Jobs: Sendable {
        let pending = Mutex<(jobs: [@Sendable () -> Void], closed: Bool)>(([], false))
        let ready = DispatchSemaphore(value: 0)

        /// The next job, waiting for one; nil once closed and drained.
        func next() -> (@Sendable () -> Void)? {
            while true {
                ready.wait()
                let taken: (job: (@Sendable () -> Void)?, closed: Bool) = pending.withLock { state in
                    state.jobs.isEmpty ? (nil, state.closed) : (state.jobs.removeFirst(), false)
                }
                if let job = taken.job { return job }
                if taken.closed { return nil }
            }
        }
    }

    private let jobs = Jobs()

    /// Starts the worker's thread, named `name` where the system shows threads (`ThreadNaming`).
    init(name: String) {
        let jobs = self.jobs
        let thread = Thread {
            ThreadNaming.nameCurrentThread(name)
            #if canImport(Glibc)
            let which = __priority_which_t(PRIO_PROCESS.rawValue)
            _ = setpriority(which, 0, getpriority(which, 0) + Self.niceness)
            // The calling thread only (Linux schedules threads, and 0 names the caller).
            var none = sched_param(sched_priority: 0)
            _ = sched_setscheduler(0, Self.idlePolicy, &none)
            #endif
            while let job = jobs.next() { job() }
        }
        thread.start()
    }

    deinit {
        jobs.pending.withLock { $0.closed = true }
        jobs.ready.signal()
    }

    /// Runs `job` on the worker's thread after the jobs given before it.
    func submit(_ job: @escaping @Sendable () -> Void) {
        jobs.pending.withLock { $0.jobs.append(job) }
        jobs.ready.signal()
    }
}
