import Foundation
import Instrumentation
import Synchronization

/// A thread of its own that runs the jobs given to it one at a time, in order, below every other
/// thread of the agent: on Linux in the `SCHED_IDLE` class, so a message loop that wakes on its
/// CPU runs at once instead of waiting out the worker's time slice (docs/PERFORMANCE.md, change
/// 124), and nice +10, which is what is left where the class cannot be set: work that must not
/// compete with the message loop for the CPU, such as encoding and posting spans. In the idle
/// class it gets the CPU only when nothing else wants it, so under a load that keeps every CPU
/// busy its jobs wait; `run(_:promotingAfter:)` bounds that wait: a job not done within its
/// bound moves the thread to the normal class (still nice +10, so it takes a small share of a
/// busy CPU rather than none) until its queue is empty, when it goes back to the idle class.
/// Leaving the idle class takes the privilege to (root, or an `RLIMIT_NICE` that allows nice
/// +10); without it the thread stays in the normal class at nice +10 from the start, where its
/// jobs never wait indefinitely. The thread ends once the worker is gone and its jobs have run.
final class BackgroundWorker: Sendable {
    /// How much nicer than the process the worker's thread runs.
    static let niceness: Int32 = 10
    /// Linux's `SCHED_IDLE` policy (5 in `linux/sched.h`), which glibc's headers define only
    /// under `_GNU_SOURCE`.
    static let idlePolicy: Int32 = 5
    /// Linux's `SCHED_OTHER`, the normal class.
    static let normalPolicy: Int32 = 0

    /// The jobs and the thread's class, shared with the thread (which must not keep the worker
    /// itself alive).
    private final class Jobs: Sendable {
        struct State {
            var jobs: [@Sendable () -> Void] = []
            var closed = false
            /// The thread's id once it runs in the idle class; nil while it runs in the normal
            /// class for good.
            var thread: pid_t?
            /// Whether the thread was moved to the normal class.
            var promoted = false
            /// Whether the thread is running a job.
            var running = false
        }

        let state = Mutex(State())
        let ready = DispatchSemaphore(value: 0)

        /// The next job, waiting for one; nil once closed and drained. A thread promoted goes
        /// back to the idle class when it finds its queue empty.
        func next() -> (@Sendable () -> Void)? {
            while true {
                // The class is set under the lock, so a promotion and a return cannot cross.
                state.withLock { state in
                    state.running = false
                    guard state.jobs.isEmpty, state.promoted else { return }
                    state.promoted = false
                    BackgroundWorker.setPolicy(BackgroundWorker.idlePolicy, of: 0)
                }
                ready.wait()
                let taken: (job: (@Sendable () -> Void)?, closed: Bool) = state.withLock { state in
                    guard !state.jobs.isEmpty else { return (nil, state.closed) }
                    state.running = true
                    return (state.jobs.removeFirst(), false)
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
            let nice = min(19, getpriority(which, 0) + Self.niceness)
            _ = setpriority(which, 0, nice)
            // The idle class only where the thread can be moved out of it again. The calling
            // thread only (Linux schedules threads, and 0 names the caller).
            if let id = Self.currentThreadId(), Self.mayLeaveIdleClass(atNice: nice), Self.setPolicy(Self.idlePolicy, of: 0) {
                jobs.state.withLock { $0.thread = id }
            }
            #endif
            while let job = jobs.next() { job() }
        }
        thread.start()
    }

    deinit {
        jobs.state.withLock { $0.closed = true }
        jobs.ready.signal()
    }

    /// Runs `job` on the worker's thread after the jobs given before it.
    func submit(_ job: @escaping @Sendable () -> Void) {
        jobs.state.withLock { $0.jobs.append(job) }
        jobs.ready.signal()
    }

    /// Runs `job` on the worker's thread after the jobs given before it and returns what it
    /// returned; each time `bound` passes before it has ended, the thread is moved to the normal
    /// class (`promote`) and the wait goes on.
    func run<T: Sendable>(_ job: @escaping @Sendable () -> T, promotingAfter bound: Duration) async -> T {
        let boundPassed: @Sendable () async -> T? = {
            try? await Task.sleep(for: bound)
            return nil
        }
        return await withTaskGroup(of: T?.self) { group in
            // Not cancellable: the job runs once given, and its result is waited for.
            group.addTask { await withCheckedContinuation { done in self.submit { done.resume(returning: job()) } } }
            group.addTask { await boundPassed() }
            while let next = await group.next() {
                if let answer = next {
                    group.cancelAll()
                    return answer
                }
                // Again each bound: a promotion that crossed the thread's own return to the
                // idle class is made good at the next one. Cancelled, only the job is waited for.
                if !Task.isCancelled {
                    promote()
                    group.addTask { await boundPassed() }
                }
            }
            preconditionFailure("the job's task always returns its result")
        }
    }

    /// Moves the thread to the normal class until its queue is empty; false when it has no job
    /// to run, runs in the normal class for good, or the class could not be set.
    @discardableResult
    func promote() -> Bool {
        jobs.state.withLock { state in
            // Once the thread is done and back in the idle class, a late call leaves it there.
            guard let thread = state.thread, state.running || !state.jobs.isEmpty else { return false }
            state.promoted = true
            return Self.setPolicy(Self.normalPolicy, of: thread)
        }
    }

    /// The worker thread's scheduling policy (`idlePolicy` or `normalPolicy`) while it can move
    /// between the two; nil before the thread runs and when it runs in the normal class for good.
    var policy: Int32? {
        guard let thread = jobs.state.withLock({ $0.thread }) else { return nil }
        let policy = sched_getscheduler(thread)
        return policy >= 0 ? policy : nil
    }

    /// Sets `thread`'s (0: the caller's) scheduling policy, keeping its nice value.
    @discardableResult
    static func setPolicy(_ policy: Int32, of thread: pid_t) -> Bool {
        #if canImport(Glibc)
        var none = sched_param(sched_priority: 0)
        return sched_setscheduler(thread, policy, &none) == 0
        #else
        return false
        #endif
    }

    /// Whether a thread at `nice` may move itself from the idle class to the normal one: root
    /// may, and anyone whose `RLIMIT_NICE` allows that nice value (20 − nice ≤ the limit).
    static func mayLeaveIdleClass(atNice nice: Int32) -> Bool {
        #if canImport(Glibc)
        if geteuid() == 0 { return true }
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(__RLIMIT_NICE.rawValue), &limit) == 0 else { return false }
        return limit.rlim_cur == rlim_t.max || rlim_t(20 - Int64(nice)) <= limit.rlim_cur
        #else
        return false
        #endif
    }

    /// The calling thread's id (Linux's tid), read from `/proc/thread-self`; nil where that
    /// link does not exist.
    static func currentThreadId() -> pid_t? {
        var buffer = [CChar](repeating: 0, count: 64)
        let count = readlink("/proc/thread-self", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        // "<pid>/task/<tid>"
        let link = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return link.split(separator: "/").last.flatMap { pid_t($0) }
    }
}
