import CZeroMQ
import Foundation

/// What libzmq's socket monitor reported about the connections of the sockets it watches.
///
/// libzmq gives the application no error for a message over `ZMQ_MAXMSGSIZE`: its decoder fails
/// with `EMSGSIZE`, the connection's engine stops with a protocol error and closes the connection,
/// and the only trace is a `ZMQ_EVENT_DISCONNECTED` on the socket's monitor — the same event,
/// with the same value (the file descriptor), as for a connection its peer closed, or one dropped
/// for any other protocol error after the handshake (libzmq 4.3.4, `stream_engine_base_t::error`
/// signals no handshake event for a protocol error). So the counter is of closed connections,
/// not of oversized messages: a rise while no peer restarted or disconnected is input dropped.
public struct ConnectionEvents: Sendable, Hashable {
    /// Connections that ended (`ZMQ_EVENT_DISCONNECTED`): closed by the peer, or closed by libzmq
    /// for a message larger than `ZMQ_MAXMSGSIZE`, a refused CURVE handshake or another protocol
    /// error, which libzmq does not tell apart.
    public var closed = 0
    /// Handshakes that failed on a malformed or unexpected ZMTP or CURVE command
    /// (`ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL`).
    public var handshakeProtocolErrors = 0

    /// No events yet.
    public init() {}

    /// A line for a heartbeat's notes (what `hedgectl status` shows), nil while nothing happened.
    public var note: String? {
        guard closed > 0 || handshakeProtocolErrors > 0 else { return nil }
        return "\(closed) connection(s) closed (clients that left, such as hedgectl, or libzmq on an oversize message or a protocol error)"
            + (handshakeProtocolErrors > 0 ? ", \(handshakeProtocolErrors) handshake protocol error(s)" : "")
    }

    /// Adds the counts of `other`.
    public static func + (lhs: ConnectionEvents, rhs: ConnectionEvents) -> ConnectionEvents {
        var sum = lhs
        sum.closed += rhs.closed
        sum.handshakeProtocolErrors += rhs.handshakeProtocolErrors
        return sum
    }
}

/// Watches one socket's connections with `zmq_socket_monitor`: libzmq publishes the events on an
/// inproc PAIR of the socket's context, and this reads them on a PAIR of its own. Like every
/// socket, both are used only on the thread that created them; the owner polls `socket` with its
/// others and calls `drain` when it is readable.
final class SocketMonitor {
    /// The events counted. Two, both rare next to messages: the monitor costs nothing per message.
    static let events = ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL

    /// The PAIR the events arrive on; poll it for readability.
    let socket: ZMQSocket
    private let watched: ZMQSocket

    /// Starts monitoring `watched` on `inproc://<address>`, an address unique in `context`.
    init(watching watched: ZMQSocket, context: ZMQContext, address: String) throws(ZMQError) {
        let endpoint = "inproc://" + address
        guard let handle = watched.pollHandle else { throw ZMQError(code: .closed, operation: "monitor \(endpoint)") }
        guard zmq_socket_monitor(handle, endpoint, Self.events) == 0 else { throw ZMQError.last("zmq_socket_monitor \(endpoint)") }
        let reader = try context.socket(.pair)
        do {
            // libzmq sends each event with a blocking send from its I/O thread: with no high-water
            // mark on this end the inproc pipe never fills, so a busy owner can never stall libzmq.
            try reader.setOption(ZMQ_RCVHWM, Int32(0))
            try reader.setOption(ZMQ_SNDHWM, Int32(0))
            try reader.connect(endpoint)
        } catch {
            reader.close()
            zmq_socket_monitor(handle, nil, 0)
            throw error
        }
        self.socket = reader
        self.watched = watched
    }

    /// Reads every event waiting and counts it.
    func drain(into counts: inout ConnectionEvents) {
        while let frames = try? socket.receive(wait: false) {
            switch Self.event(of: frames) {
            case ZMQ_EVENT_DISCONNECTED: counts.closed += 1
            case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL: counts.handshakeProtocolErrors += 1
            default: break
            }
        }
    }

    /// Stops the monitor and closes the reader; call before closing the watched socket.
    func close() {
        if let handle = watched.pollHandle { zmq_socket_monitor(handle, nil, 0) }
        socket.close()
    }

    /// The event number of a version-1 monitor message: its first frame is a 16-bit event and a
    /// 32-bit value in native byte order, its second the endpoint.
    static func event(of frames: Frames) -> Int32? {
        guard frames.count == 2, frames[0].count == 6 else { return nil }
        let event = frames[0].withUnsafeBytes { $0.loadUnaligned(as: UInt16.self) }
        return Int32(event)
    }
}
