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
///   that announced a message — or `markReady(_:within:)` for a socket whose input nothing waits
///   on closely (an XPUB's subscription changes), which then is read within that delay rather
///   than at once, sparing a receive (and libzmq's system calls in it) after each send.
///
/// Used on one thread only, like the sockets it watches.
final class SocketPoller {
    private let descriptor: Int32
    private let wake: WakeSignal
    /// Sockets that may have input, by the caller's id, in the order they became ready.
    private var ready: [Int] = []
    /// Sockets that may have input their descriptor did not announce, and when to read them.
    private var deferred: [(id: Int, due: ContinuousClock.Instant)] = []
    /// When each socket marked with `markReady(_:within:)` was last made ready by it.
    private var lastDeferredCheck: [Int: ContinuousClock.Instant] = [:]
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
        deferred.removeAll { $0.id == id }
        lastDeferredCheck[id] = nil
    }

    /// Notes that `id` may have input: after a send on it, or when a read stopped before it
    /// would block.
    func markReady(_ id: Int) {
        if !ready.contains(id) { ready.append(id) }
    }

    /// Notes that `id` may have input its descriptor will not announce (after a send on it), to
    /// be read within `delay`: at once when the last such check of `id` is at least `delay` old,
    /// otherwise once `delay` has passed since that check (`wait` bounds its timeout by the
    /// earliest such deadline and marks the socket ready when it has passed). So a socket sending
    /// now and then is read after each send as with `markReady(_:)`, and one sending continuously
    /// is read about once per `delay`.
    func markReady(_ id: Int, within delay: Duration, now: ContinuousClock.Instant = .now) {
        guard !deferred.contains(where: { $0.id == id }) else { return }
        if let last = lastDeferredCheck[id], now < last.advanced(by: delay) {
            deferred.append((id, last.advanced(by: delay)))
        } else {
            lastDeferredCheck[id] = now
            markReady(id)
        }
    }

    /// Whether some socket may have input.
    var hasReady: Bool { !ready.isEmpty }

    /// The sockets that may have input, emptying the list. A deferred check of a socket taken
    /// here is dropped: reading it until it would block covers it.
    func takeReady() -> [Int] {
        defer { ready.removeAll(keepingCapacity: true) }
        if !deferred.isEmpty { deferred.removeAll { entry in ready.contains(entry.id) } }
        return ready
    }

    /// Waits up to `timeoutMillis` (−1: no limit; 0: only look) for a descriptor to fire, and
    /// adds the sockets whose descriptor fired to the ready list. Returns whether the wake signal
    /// fired (it is drained). An interrupted wait returns as if nothing fired.
    /// A deferred check (`markReady(_:within:)`) shortens the wait to its deadline, and a check
    /// whose deadline has passed marks its socket ready.
    func wait(timeoutMillis: Int) throws(ZMQError) -> Bool {
        var timeout = timeoutMillis
        if let due = deferred.map(\.due).min() {
            let left = (due - .now).components
            let millis = max(0, Int(left.seconds) * 1_000 + Int((left.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000))
            timeout = timeout < 0 ? millis : min(timeout, millis)
        }
        let count = events.withUnsafeMutableBufferPointer { buffer in
            epoll_wait(descriptor, buffer.baseAddress, Int32(buffer.count), Int32(timeout))
        }
        if !deferred.isEmpty {
            let now = ContinuousClock.now
            for entry in deferred where entry.due <= now {
                lastDeferredCheck[entry.id] = now
                markReady(entry.id)
            }
            deferred.removeAll { $0.due <= now }
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
