import CZeroMQ

/// A failed libzmq call, with the errno libzmq reported mapped to a stable code.
public struct ZMQError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, growable classification of libzmq failures.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The endpoint's address or port is already taken (EADDRINUSE).
        public static let addressInUse = Code(rawValue: "address_in_use")
        /// The endpoint string is malformed or names an unknown transport.
        public static let invalidEndpoint = Code(rawValue: "invalid_endpoint")
        /// The operation would block (no peer, high-water mark reached, nothing to read).
        public static let wouldBlock = Code(rawValue: "would_block")
        /// The context was terminated while the call was under way.
        public static let terminated = Code(rawValue: "terminated")
        /// The call was interrupted by a signal.
        public static let interrupted = Code(rawValue: "interrupted")
        /// An argument (option, socket kind, message) was rejected.
        public static let invalidArgument = Code(rawValue: "invalid_argument")
        /// The socket is in the wrong state for this call (e.g. REQ sending twice).
        public static let invalidState = Code(rawValue: "invalid_state")
        /// The peer could not be reached (no route for a ROUTER identity, etc.).
        public static let unreachable = Code(rawValue: "unreachable")
        /// The socket was already closed.
        public static let closed = Code(rawValue: "closed")
        /// Anything else; `errno` says what.
        public static let other = Code(rawValue: "other")
    }

    /// What kind of failure this is.
    public var code: Code
    /// The errno libzmq set, when there was one.
    public var errno: Int32
    /// The libzmq call that failed and its context (endpoint, option…).
    public var operation: String

    /// Creates an error from an explicit code.
    public init(code: Code, errno: Int32 = 0, operation: String) {
        self.code = code
        self.errno = errno
        self.operation = operation
    }

    /// Captures `zmq_errno()` right after a failed call.
    public static func last(_ operation: String) -> ZMQError {
        let number = zmq_errno()
        return ZMQError(code: Code(errno: number), errno: number, operation: operation)
    }

    public var description: String {
        let reason = errno == 0 ? code.rawValue : String(cString: zmq_strerror(errno))
        return "\(operation): \(reason)"
    }
}

extension ZMQError.Code {
    init(errno number: Int32) {
        switch number {
        case EADDRINUSE: self = .addressInUse
        case EPROTONOSUPPORT, ENODEV, EADDRNOTAVAIL: self = .invalidEndpoint
        case EAGAIN: self = .wouldBlock
        case ETERM: self = .terminated
        case EINTR: self = .interrupted
        case EINVAL, EMSGSIZE: self = .invalidArgument
        case EFSM: self = .invalidState
        case EHOSTUNREACH: self = .unreachable
        case ENOTSOCK: self = .closed
        default: self = .other
        }
    }
}
