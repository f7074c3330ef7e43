import Glibc

/// Whether the machine has a CPU to spare right now, for a loop deciding whether to poll busily
/// (`BusyPolling`): the threads runnable system-wide (the fourth field of `/proc/loadavg`, the
/// asking thread included) against the CPUs online.
///
/// Polling is worth its CPU where a reply would otherwise wake a thread on a CPU that halted;
/// where every CPU already has work queued, no CPU halts, a wake-up is cheap, and a polling loop
/// only takes turns from threads waiting for a CPU (and, never idle, keeps the scheduler from
/// moving work onto its CPU). A cycle's own hand-offs (libzmq's I/O threads passing a message on)
/// make a thread or two runnable for a moment on an otherwise quiet machine, so the CPUs count as
/// spare while no more than two threads per CPU are runnable.
///
/// One `pread` of a file kept open (about a microsecond). Used only on the thread that made it.
final class SpareCPUs {
    private let descriptor: Int32
    private let cpus: Int
    private var buffer = [UInt8](repeating: 0, count: 128)

    /// Opens `/proc/loadavg`; nil where it cannot be opened (then polling is not held back).
    init?() {
        descriptor = open("/proc/loadavg", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        cpus = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }

    deinit { close(descriptor) }

    /// False once more than two threads per CPU online are runnable; true otherwise, and when
    /// the count cannot be read.
    func available() -> Bool {
        guard let running = runnableThreadsNow() else { return true }
        return Self.spare(runnable: running, cpus: cpus)
    }

    /// True while at most one thread beyond one per CPU online is runnable (the caller included),
    /// and when the count cannot be read: quiet enough for a loop to yield after a reply
    /// (`ReplyYield`) without handing its CPU to other work.
    func quiet() -> Bool {
        guard let running = runnableThreadsNow() else { return true }
        return Self.quiet(runnable: running, cpus: cpus)
    }

    /// The threads runnable system-wide now, the caller included; nil when unreadable.
    func runnableThreadsNow() -> Int? {
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return buffer.withUnsafeBufferPointer { Self.runnableThreads(in: UnsafeBufferPointer(rebasing: $0[..<count])) }
    }

    /// Whether `runnable` threads on `cpus` CPUs leave a CPU to spare.
    static func spare(runnable: Int, cpus: Int) -> Bool { runnable <= 2 * cpus }

    /// Whether `runnable` threads on `cpus` CPUs are few enough for `quiet()`.
    static func quiet(runnable: Int, cpus: Int) -> Bool { runnable <= cpus + 1 }

    /// The runnable threads in `/proc/loadavg`'s text: the digits before the `/` of its fourth
    /// field (`0.52 0.58 0.59 2/467 12345` → 2); nil when the text has no such field.
    static func runnableThreads(in text: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let slash = text.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        var start = slash
        while start > text.startIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(text[start - 1]) { start -= 1 }
        guard start < slash, slash - start <= 9 else { return nil }
        return text[start..<slash].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }
}
