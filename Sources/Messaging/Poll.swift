import CZeroMQ

/// What to wait for on one item of a `poll` call: a socket or a plain file descriptor.
public struct PollItem {
    enum Target { case socket(ZMQSocket), descriptor(Int32) }
    let target: Target

    /// Waits for `socket` to be readable.
    public static func readable(_ socket: ZMQSocket) -> PollItem { PollItem(target: .socket(socket)) }
    /// Waits for a file descriptor (e.g. an eventfd) to be readable.
    public static func readable(descriptor: Int32) -> PollItem { PollItem(target: .descriptor(descriptor)) }
}

/// Waits until at least one item is readable or `timeoutMillis` passes (−1: no limit).
/// Returns, per item, whether it is readable. EINTR returns no item ready rather than throwing.
public func poll(_ items: [PollItem], timeoutMillis: Int) throws(ZMQError) -> [Bool] {
    var raw = items.map { item -> zmq_pollitem_t in
        switch item.target {
        case .socket(let socket):
            zmq_pollitem_t(socket: socket.pollHandle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
        case .descriptor(let fd):
            zmq_pollitem_t(socket: nil, fd: fd, events: Int16(ZMQ_POLLIN), revents: 0)
        }
    }
    let count = zmq_poll(&raw, Int32(raw.count), timeoutMillis)
    if count < 0 {
        let error = ZMQError.last("zmq_poll")
        if error.code == .interrupted { return Array(repeating: false, count: items.count) }
        throw error
    }
    return raw.map { $0.revents & Int16(ZMQ_POLLIN) != 0 }
}
