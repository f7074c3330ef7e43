import CZeroMQ

/// A libzmq context: the I/O threads behind every socket of a process.
///
/// Terminate it only after every socket made from it is closed; `terminate()` then returns once
/// each socket's bounded linger has run out.
public final class ZMQContext {
    let handle: UnsafeMutableRawPointer
    private var terminated = false

    /// Creates a context with libzmq's defaults (one I/O thread).
    public init() throws(ZMQError) {
        guard let handle = zmq_ctx_new() else { throw ZMQError.last("zmq_ctx_new") }
        self.handle = handle
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

/// The version of the libzmq library this process runs against, e.g. "4.3.4".
public var zmqLibraryVersion: String {
    var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
    zmq_version(&major, &minor, &patch)
    return "\(major).\(minor).\(patch)"
}
