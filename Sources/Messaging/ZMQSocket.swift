import CZeroMQ
import Foundation

/// One libzmq socket. Not thread-safe and deliberately not `Sendable`: it must be created, used
/// and closed on one thread (debug builds check this on every call).
public final class ZMQSocket {
    /// The pattern this socket speaks.
    public let kind: SocketKind
    private(set) var handle: UnsafeMutableRawPointer?
    private let owner = pthread_self()

    /// Linger every socket starts with. libzmq's default (wait for ever) would let one
    /// undeliverable message block `zmq_ctx_term`, and so the process, at exit.
    public static let defaultLingerMillis: Int32 = 200

    convenience init(context: ZMQContext, kind: SocketKind) throws(ZMQError) {
        try self.init(contextHandle: context.handle, kind: kind)
    }

    init(contextHandle: UnsafeMutableRawPointer, kind: SocketKind) throws(ZMQError) {
        guard let handle = zmq_socket(contextHandle, kind.zmqType) else {
            throw ZMQError.last("zmq_socket(\(kind.rawValue))")
        }
        self.kind = kind
        self.handle = handle
        try setOption(ZMQ_LINGER, Self.defaultLingerMillis)
    }

    deinit { close() }

    private func live(_ operation: @autoclosure () -> String) throws(ZMQError) -> UnsafeMutableRawPointer {
        assert(pthread_equal(owner, pthread_self()) != 0, "a ZMQSocket was used off the thread that created it")
        guard let handle else { throw ZMQError(code: .closed, operation: operation()) }
        return handle
    }

    /// Binds to `endpoint` (e.g. `tcp://127.0.0.1:7100`). Port clashes throw `.addressInUse`.
    public func bind(_ endpoint: String) throws(ZMQError) {
        let socket = try live("bind \(endpoint)")
        guard zmq_bind(socket, endpoint) == 0 else { throw ZMQError.last("bind \(endpoint)") }
    }

    /// Connects to `endpoint`; libzmq reconnects in the background when the peer is absent.
    public func connect(_ endpoint: String) throws(ZMQError) {
        let socket = try live("connect \(endpoint)")
        guard zmq_connect(socket, endpoint) == 0 else { throw ZMQError.last("connect \(endpoint)") }
    }

    /// The endpoint this socket last bound, with a wildcard port resolved (`tcp://127.0.0.1:*`).
    public func lastEndpoint() throws(ZMQError) -> String {
        let socket = try live("getsockopt ZMQ_LAST_ENDPOINT")
        var buffer = [CChar](repeating: 0, count: 256)
        var size = buffer.count
        guard zmq_getsockopt(socket, ZMQ_LAST_ENDPOINT, &buffer, &size) == 0 else {
            throw ZMQError.last("getsockopt ZMQ_LAST_ENDPOINT")
        }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Sets an integer option (`Int32` or `Int64`, as libzmq documents for `option`).
    public func setOption<Value: FixedWidthInteger>(_ option: Int32, _ value: Value) throws(ZMQError) {
        let socket = try live("setsockopt \(option)")
        var copy = value
        guard zmq_setsockopt(socket, option, &copy, MemoryLayout<Value>.size) == 0 else {
            throw ZMQError.last("setsockopt \(option)=\(value)")
        }
    }

    /// Sets a string option (a Z85 key, a ZAP domain), without a terminating NUL.
    public func setOption(_ option: Int32, text: String) throws(ZMQError) {
        let socket = try live("setsockopt \(option)")
        let bytes = Array(text.utf8)
        guard zmq_setsockopt(socket, option, bytes, bytes.count) == 0 else {
            throw ZMQError.last("setsockopt \(option)")
        }
    }

    /// Sets an option whose value is raw bytes (a subscription prefix applied on an XPUB).
    public func setOption(_ option: Int32, bytes: Data) throws(ZMQError) {
        let socket = try live("setsockopt \(option)")
        let result = bytes.withUnsafeBytes { zmq_setsockopt(socket, option, $0.baseAddress, $0.count) }
        guard result == 0 else { throw ZMQError.last("setsockopt \(option)") }
    }

    /// Subscribes a SUB/XSUB socket to topics starting with `prefix`.
    public func subscribe(_ prefix: String) throws(ZMQError) {
        let socket = try live("subscribe")
        let bytes = Array(prefix.utf8)
        guard zmq_setsockopt(socket, ZMQ_SUBSCRIBE, bytes, bytes.count) == 0 else {
            throw ZMQError.last("subscribe \(prefix)")
        }
    }

    /// Sends `frames` as one multipart message. With `wait == false` a full queue or an absent
    /// peer throws `.wouldBlock` instead of blocking.
    public func send(_ frames: [Data], wait: Bool = false) throws(ZMQError) {
        let socket = try live("send")
        guard !frames.isEmpty else { throw ZMQError(code: .invalidArgument, operation: "send of zero frames") }
        for (index, frame) in frames.enumerated() {
            var flags: Int32 = wait ? 0 : ZMQ_DONTWAIT
            if index < frames.count - 1 { flags |= ZMQ_SNDMORE }
            let sent = frame.withUnsafeBytes { zmq_send(socket, $0.baseAddress, $0.count, flags) }
            // libzmq accepts the later frames of a message once the first is queued.
            if sent < 0 { throw ZMQError.last("send frame \(index + 1) of \(frames.count)") }
        }
    }

    /// Receives one whole multipart message. With `wait == false` returns nil when nothing is queued.
    public func receive(wait: Bool = true) throws(ZMQError) -> [Data]? {
        try receive(wait: wait, readingUserId: false)?.frames
    }

    /// Receives one whole multipart message, with the `User-Id` the ZAP handler gave the
    /// connection it came on (nil on a connection nobody authenticated) when asked for it: each
    /// read is a property lookup per frame, skipped where nothing authenticates.
    func receive(wait: Bool, readingUserId: Bool) throws(ZMQError) -> IdentifiedFrames? {
        var frames: Frames = []
        var userId: String?
        guard try receive(into: &frames, userId: &userId, wait: wait, readingUserId: readingUserId) else { return nil }
        return IdentifiedFrames(frames: frames, userId: userId)
    }

    /// Receives one whole multipart message into `frames`, which holds it alone afterwards: its
    /// earlier frames are let go and its memory is kept, so a reader that passes the frames on
    /// and gets them back unshared reads the next message without allocating an array. False
    /// when nothing is queued (`wait == false`), `frames` and `userId` then as they were;
    /// otherwise `userId` is the connection's `User-Id` when asked for and set.
    func receive(into frames: inout Frames, userId: inout String?, wait: Bool, readingUserId: Bool) throws(ZMQError) -> Bool {
        let socket = try live("receive")
        var message = zmq_msg_t()
        zmq_msg_init(&message)
        defer { zmq_msg_close(&message) }
        var first = true
        repeat {
            let flags: Int32 = (wait || !first) ? 0 : ZMQ_DONTWAIT
            if zmq_msg_recv(&message, socket, flags) < 0 {
                let error = ZMQError.last("receive")
                if error.code == .wouldBlock && first { return false }
                throw error
            }
            // A ROUTER's routing-id frame is made locally and has no properties; the frames that
            // came off the connection do, so the last one that has a User-Id names the sender.
            if first { userId = nil }
            if readingUserId, let property = zmq_msg_gets(&message, "User-Id") {
                userId = String(cString: property)
            }
            if first {
                // Only once a message came: most reads find nothing and touch nothing. Room for a
                // request at a ROUTER (routing id, delimiter, body) in one allocation, where the
                // array has none to keep.
                first = false
                frames.removeAll(keepingCapacity: true)
                if frames.capacity == 0 { frames.reserveCapacity(zmq_msg_more(&message) != 0 ? 4 : 1) }
            }
            frames.append(Data(bytes: zmq_msg_data(&message), count: zmq_msg_size(&message)))
        } while zmq_msg_more(&message) != 0
        return true
    }

    /// Moves one whole multipart message from this socket to `target`, and a copy of it to
    /// `copy` when given, frame by frame as libzmq holds it: no frame's bytes are copied out or
    /// in, as a proxy that reads nothing of what it passes on needs. Never waits: false when
    /// nothing is queued. Where a socket refuses a frame (its queue full), the rest of the
    /// message is not sent there, as a refused send of the whole message would drop it; the
    /// message is still read to its end, so the next read starts at the next message.
    func forward(to target: ZMQSocket, copyTo copy: ZMQSocket?) throws(ZMQError) -> Bool {
        let socket = try live("receive")
        let out = try target.live("send")
        // A copy that can no longer take anything (closed) does not hold up the target's messages.
        let side = copy.flatMap { try? $0.live("send") }
        var message = zmq_msg_t()
        zmq_msg_init(&message)
        defer { zmq_msg_close(&message) }
        var (first, sending, copying) = (true, true, side != nil)
        var more = false
        repeat {
            if zmq_msg_recv(&message, socket, first ? ZMQ_DONTWAIT : 0) < 0 {
                let error = ZMQError.last("receive")
                if error.code == .wouldBlock && first { return false }
                throw error
            }
            first = false
            // Read before the send, which leaves the message empty.
            more = zmq_msg_more(&message) != 0
            let flags = ZMQ_DONTWAIT | (more ? ZMQ_SNDMORE : 0)
            if copying, let side {
                var duplicate = zmq_msg_t()
                zmq_msg_init(&duplicate)
                // The duplicate shares the frame's bytes; a send takes them, a close lets go.
                if zmq_msg_copy(&duplicate, &message) != 0 || zmq_msg_send(&duplicate, side, flags) < 0 { copying = false }
                zmq_msg_close(&duplicate)
            }
            if sending, zmq_msg_send(&message, out, flags) < 0 { sending = false }
        } while more
        return true
    }

    /// Closes the socket at once; pending outbound messages get at most the configured linger.
    public func close() {
        guard let handle else { return }
        zmq_close(handle)
        self.handle = nil
    }

    var pollHandle: UnsafeMutableRawPointer? { handle }

    /// Lets libzmq process the commands queued for this socket (reading `ZMQ_EVENTS` does), as a
    /// poll would; for sockets that never receive, whose descriptor fired.
    func processCommands() {
        guard let socket = try? live("getsockopt ZMQ_EVENTS") else { return }
        var events: Int32 = 0
        var size = MemoryLayout<Int32>.size
        _ = zmq_getsockopt(socket, ZMQ_EVENTS, &events, &size)
    }

    /// Whether libzmq has signalled commands for this socket that nobody has taken yet: its
    /// `ZMQ_FD` is readable now (a `poll` that does not wait). False when it cannot tell.
    func announcementPending() -> Bool {
        guard let descriptor = try? eventDescriptor() else { return false }
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return Glibc.poll(&entry, 1, 0) == 1
    }

    /// The descriptor libzmq signals when it has commands for this socket (`ZMQ_FD`), for an
    /// epoll set; see `SocketPoller` for what its firing means.
    func eventDescriptor() throws(ZMQError) -> Int32 {
        let socket = try live("getsockopt ZMQ_FD")
        var fd: Int32 = -1
        var size = MemoryLayout<Int32>.size
        guard zmq_getsockopt(socket, ZMQ_FD, &fd, &size) == 0 else { throw ZMQError.last("getsockopt ZMQ_FD") }
        return fd
    }
}

