import CZeroMQ
import Glibc
import Synchronization

/// A libzmq context: the I/O threads behind every socket of a process.
///
/// Terminate it only after every socket made from it is closed; `terminate()` then returns once
/// each socket's bounded linger has run out.
public final class ZMQContext {
    let handle: UnsafeMutableRawPointer
    private var terminated = false

    /// Creates a context with one I/O thread, scheduled as `threads` says (by default, as
    /// `threadScheduling` says for the process).
    public init(threads: ThreadScheduling = ZMQContext.threadScheduling) throws(ZMQError) {
        guard let handle = zmq_ctx_new() else { throw ZMQError.last("zmq_ctx_new") }
        self.handle = handle
        // libzmq applies the policy to its threads as it starts them, at the first socket;
        // without one they inherit the policy of the thread that makes that socket. Between
        // the normal policy and SCHED_BATCH (which the process's own threads may run under,
        // `thread_policy`) the one asked for is set; a process run under another (real-time,
        // idle) keeps it for them.
        switch (threads, sched_getscheduler(0)) {
        case (.batch, SCHED_OTHER): _ = zmq_ctx_set(handle, ZMQ_THREAD_SCHED_POLICY, HEDGEBUS_SCHED_BATCH)
        case (.normal, HEDGEBUS_SCHED_BATCH): _ = zmq_ctx_set(handle, ZMQ_THREAD_SCHED_POLICY, SCHED_OTHER)
        default: break
        }
    }

    /// Creates a socket of `kind` owned by the calling thread.
    public func socket(_ kind: SocketKind) throws(ZMQError) -> ZMQSocket {
        try ZMQSocket(context: self, kind: kind)
    }

    /// Shuts the context down; blocks while sockets still linger.
    public func terminate() {
        guard !terminated else { return }
        terminated = true
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }

    deinit { terminate() }
}

extension ZMQContext {
    /// How libzmq's own threads (the I/O thread that moves a context's messages between its
    /// sockets and the network, and the reaper) are scheduled on Linux.
    public enum ThreadScheduling: Sendable, Equatable {
        /// `SCHED_BATCH`: an I/O thread woken by a message does not preempt the thread running
        /// on its CPU; it runs on a CPU that is free, or when the running thread sleeps or its
        /// turn ends. Where the agents keep every CPU busy, their loops are then not cut short
        /// once per message (docs/PERFORMANCE.md, change 158); on a quiet machine it changes
        /// nothing; where other programs keep the CPUs busy, each message waits for their turns.
        case batch
        /// The system's normal policy.
        case normal
    }

    private static let scheduling = Mutex(ThreadScheduling.batch)

    /// How the threads of contexts made from now on are scheduled, unless their `init` says;
    /// `batch` until set (an agent sets it from its topology's `io_thread_policy` at start).
    public static var threadScheduling: ThreadScheduling {
        get { scheduling.withLock { $0 } }
        set { scheduling.withLock { $0 = newValue } }
    }
}

/// The version of the libzmq library this process runs against, e.g. "4.3.4".
public var zmqLibraryVersion: String {
    var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
    zmq_version(&major, &minor, &patch)
    return "\(major).\(minor).\(patch)"
}
