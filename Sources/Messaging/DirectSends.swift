import Foundation

/// The sockets that work running on a loop's own thread sends on at once, rather than through
/// a command the loop runs once that work has returned (`MessageLoop.post`).
///
/// A request's handler, run on the loop thread as the request is read, posts its reply and then
/// still finishes its task; a requester posts its request and then suspends. With the send
/// queued, the message waited for all of that before it left. Sent at once, it leaves first.
///
/// Only the loop thread touches this state (the lock guarding it is never contended): the
/// thread adds each socket it opens and removes each it closes, and a send at once happens only
/// on that thread while no send is queued before it, so a sender's messages keep their order.
struct DirectSends: ~Copyable {
    /// The open sockets, by id.
    private var sockets: [Int: LoopOwnedSocket] = [:]
    /// Receiving sockets sent on at once since the loop last looked: a send may take the
    /// command that announced input, so each must be read again (as after a queued send).
    private var touched: [Int] = []

    /// Adds a socket the loop opened.
    mutating func add(_ socket: LoopOwnedSocket, id: Int) { sockets[id] = socket }

    /// Forgets a socket the loop closed.
    mutating func remove(_ id: Int) {
        sockets[id] = nil
        touched.removeAll { $0 == id }
    }

    /// Sends `frames` on socket `id`: nil when that socket is not open (the caller queues the
    /// send instead, which reports it closed), else what libzmq answered (nil error: taken).
    mutating func send(_ frames: Frames, on id: Int) -> Result<Void, ZMQError>? {
        guard let socket = sockets[id]?.socket else { return nil }
        do {
            try socket.send(frames)
        } catch {
            return .failure(error)
        }
        if socket.kind.receives && !touched.contains(id) { touched.append(id) }
        return .success(())
    }

    /// Moves the sockets sent on since the last call into `ready`.
    mutating func takeTouched(into ready: inout ReadySockets) {
        guard !touched.isEmpty else { return }
        for id in touched { ready.mark(id) }
        touched.removeAll(keepingCapacity: true)
    }

    /// Notes that socket `id` was read until it had nothing left, after any send made so far:
    /// it need not be read again for them.
    mutating func settled(_ id: Int) {
        guard !touched.isEmpty else { return }
        touched.removeAll { $0 == id }
    }
}

/// A socket as `DirectSends` keeps it: reachable from the loop's state, which is `Sendable`, and
/// used only on the loop thread that created it. `MessageLoop` sends on it only after checking
/// that it runs on that thread, and `ZMQSocket` asserts the same on every call in debug builds.
struct LoopOwnedSocket: @unchecked Sendable {
    let socket: ZMQSocket
}
