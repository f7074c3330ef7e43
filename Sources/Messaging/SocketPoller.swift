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
    /// Sockets that may have input, by the caller's id, in the order they became ready.
    private var ready: [Int] = []
    private var events = [epoll_event](repeating: epoll_event(), count: 64)
    /// The epoll token of the wake signal; socket ids are never negative.
    private static let wakeToken = UInt64.max

    /// Watches `wake` (drained by `wait` whenever it fires).
    init(wake: WakeSignal) throws(ZMQError) {
        let fd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard fd >= 0 else { throw ZMQError(code: .other, errno: errno, operation: "epoll_create1") }
        descriptor = fd
        self.wake = wake
        do throws(ZMQError) {
            try control(EPOLL_CTL_ADD, wake.descriptor, token: Self.wakeToken, edgeTriggered: false)
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    deinit { Glibc.close(descriptor) }

    /// Starts watching `socket` under `id` (≥ 0). It counts as ready at once: input may have come
    /// before its descriptor was watched.
    func add(_ socket: ZMQSocket, id: Int) throws(ZMQError) {
        try control(EPOLL_CTL_ADD, socket.eventDescriptor(), token: UInt64(id), edgeTriggered: true)
        markReady(id)
    }

    /// Stops watching `socket` (call before closing it).
    func remove(_ socket: ZMQSocket, id: Int) {
        if let fd = try? socket.eventDescriptor() { try? control(EPOLL_CTL_DEL, fd, token: UInt64(id), edgeTriggered: true) }
        ready.removeAll { $0 == id }
    }

    /// Notes that `id` may have input: after a send on it, or when a read stopped before it
    /// would block.
    func markReady(_ id: Int) {
        if !ready.contains(id) { ready.append(id) }
    }

    /// Whether some socket may have input.
    var hasReady: Bool { !ready.isEmpty }

    /// The sockets that may have input, emptying the list.
    func takeReady() -> [Int] {
        defer { ready.removeAll(keepingCapacity: true) }
        return ready
    }

    /// Waits up to `timeoutMillis` (−1: no limit; 0: only look) for a descriptor to fire, and
    /// adds the sockets whose descriptor fired to the ready list. Returns whether the wake signal
    /// fired (it is drained). An interrupted wait returns as if nothing fired.
    func wait(timeoutMillis: Int) throws(ZMQError) -> Bool {
        let count = events.withUnsafeMutableBufferPointer { buffer in
            epoll_wait(descriptor, buffer.baseAddress, Int32(buffer.count), Int32(timeoutMillis))
        }
        if count < 0 {
            guard errno == EINTR else { throw ZMQError(code: .other, errno: errno, operation: "epoll_wait") }
            return false
        }
        var woken = false
        for index in 0..<Int(count) {
            let token = events[index].data.u64
            if token == Self.wakeToken { woken = true } else { markReady(Int(token)) }
        }
        if woken { wake.drain() }
        return woken
    }

    private func control(_ operation: Int32, _ fd: Int32, token: UInt64, edgeTriggered: Bool) throws(ZMQError) {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | (edgeTriggered ? EPOLLET.rawValue : 0)
        event.data.u64 = token
        guard epoll_ctl(descriptor, operation, fd, &event) == 0 else {
            throw ZMQError(code: .other, errno: errno, operation: "epoll_ctl")
        }
    }
}
