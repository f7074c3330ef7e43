import CZeroMQ
import Glibc

/// Waits for input on a set of sockets and a wake signal with one epoll descriptor, watching
/// each socket's `ZMQ_FD` edge-triggered, and keeps the list of sockets that may have input.
///
/// `zmq_poll` asks every socket for its events before and after each wait (two system calls
/// per socket each time, whether it had traffic or not) and polls twice per call. Here a wait is
/// one `epoll_wait`, and only the sockets whose descriptor fired are looked at. A socket's
/// `ZMQ_FD` only says that libzmq has commands for it, and any send or receive may consume those
/// commands, so the owner must:
/// - read a ready socket until it would block (or call `markReady` again when it stops early),
///   since the descriptor fires again only after libzmq found the socket empty;
/// - call `markReady` after every send on a socket, since the send may have taken the command
///   that announced a message.
///
/// Used on one thread only, like the sockets it watches.
final class SocketPoller {
    private let descriptor: Int32
    private let wake: WakeSignal
    /// Sockets that may have input, by the caller's id, for owners that keep no list of their own.
    private var ready = ReadySockets()
    /// Where `epoll_wait` writes; allocated once, so a wait reads no property that needs a
    /// dynamic exclusivity check.
    private let events: UnsafeMutableBufferPointer<epoll_event>
    /// The epoll token of the wake signal; socket ids are never negative.
    private static let wakeToken = UInt64.max

    /// Watches `wake` (drained by `wait` whenever it fires).
    init(wake: WakeSignal) throws(ZMQError) {
        let fd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard fd >= 0 else { throw ZMQError(code: .other, errno: errno, operation: "epoll_create1") }
        do throws(ZMQError) {
            try Self.control(fd, EPOLL_CTL_ADD, wake.descriptor, token: Self.wakeToken, edgeTriggered: false)
        } catch {
            Glibc.close(fd)
            throw error
        }
        descriptor = fd
        self.wake = wake
        events = .allocate(capacity: 64)
        events.initialize(repeating: epoll_event())
    }

    deinit {
        Glibc.close(descriptor)
        events.deallocate()
    }

    /// Starts watching `socket` under `id` (≥ 0). It counts as ready at once: input may have come
    /// before its descriptor was watched.
    func add(_ socket: ZMQSocket, id: Int) throws(ZMQError) {
        try watch(socket, id: id)
        markReady(id)
    }

    /// Starts watching `socket` under `id` (≥ 0) for an owner that keeps its own `ReadySockets`
    /// and must mark it ready itself: input may have come before its descriptor was watched.
    func watch(_ socket: ZMQSocket, id: Int) throws(ZMQError) {
        try Self.control(descriptor, EPOLL_CTL_ADD, socket.eventDescriptor(), token: UInt64(id), edgeTriggered: true)
    }

    /// Stops watching `socket` (call before closing it).
    func remove(_ socket: ZMQSocket, id: Int) {
        if let fd = try? socket.eventDescriptor() {
            try? Self.control(descriptor, EPOLL_CTL_DEL, fd, token: UInt64(id), edgeTriggered: true)
        }
        ready.remove(id)
    }

    /// Notes that `id` may have input: after a send on it, or when a read stopped before it
    /// would block.
    func markReady(_ id: Int) {
        ready.mark(id)
    }

    /// Whether some socket may have input.
    var hasReady: Bool { !ready.isEmpty }

    /// The sockets that may have input, emptying the list.
    func takeReady() -> [Int] {
        var taken: [Int] = []
        ready.take(into: &taken)
        return taken
    }

    /// Waits up to `timeoutMillis` (−1: no limit; 0: only look) for a descriptor to fire, and
    /// adds the sockets whose descriptor fired to the ready list. Returns whether the wake signal
    /// fired (it is drained). An interrupted wait returns as if nothing fired.
    func wait(timeoutMillis: Int) throws(ZMQError) -> Bool {
        try wait(timeoutMillis: timeoutMillis, marking: &ready)
    }

    /// Waits like `wait(timeoutMillis:)`, marking the sockets whose descriptor fired in `ready`,
    /// the owner's own list, instead of the poller's.
    func wait(timeoutMillis: Int, marking ready: inout ReadySockets) throws(ZMQError) -> Bool {
        let count = epoll_wait(descriptor, events.baseAddress, Int32(events.count), Int32(timeoutMillis))
        if count < 0 {
            guard errno == EINTR else { throw ZMQError(code: .other, errno: errno, operation: "epoll_wait") }
            return false
        }
        var woken = false
        for index in 0..<Int(count) {
            let token = events[index].data.u64
            if token == Self.wakeToken { woken = true } else { ready.mark(Int(token)) }
        }
        if woken { wake.drain() }
        return woken
    }

    private static func control(_ epoll: Int32, _ operation: Int32, _ fd: Int32, token: UInt64, edgeTriggered: Bool) throws(ZMQError) {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | (edgeTriggered ? EPOLLET.rawValue : 0)
        event.data.u64 = token
        guard epoll_ctl(epoll, operation, fd, &event) == 0 else {
            throw ZMQError(code: .other, errno: errno, operation: "epoll_ctl")
        }
    }
}
