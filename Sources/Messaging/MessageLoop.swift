import Foundation
import Synchronization

/// Owns a process's ZeroMQ context and sockets on one dedicated thread that runs the poll loop.
///
/// Async code never touches a socket: it opens sockets and sends through Sendable commands, and
/// receives each socket's inbound messages as an `AsyncStream`. A blocking `zmq_poll` therefore
/// never sits on Swift's cooperative thread pool.
public final class MessageLoop: Sendable {
    enum Command: Sendable {
        case open(SocketSpec, AsyncStream<Frames>.Continuation, CheckedContinuation<SocketHandle, any Error>)
        case send(Int, Frames, (@Sendable (ZMQError?) -> Void)?)
        case close(Int)
        case stop(CheckedContinuation<Void, Never>)
    }

    /// The loop's name, used for its thread and in diagnostics.
    public let name: String
    private let queue = Mutex<(commands: [Command], stopped: Bool)>(([], false))
    private let wake: WakeSignal
    private let nextID = Mutex(0)
    let counters = Mutex(MessageLoopStats())

    /// Starts the loop thread.
    public init(name: String) throws(ZMQError) {
        self.name = name
        let wake = try WakeSignal()
        self.wake = wake
        let thread = Thread { [self] in
            LoopThread(loop: self, wake: wake).run()
        }
        thread.name = "zmq-\(name)"
        thread.start()
    }

    /// Opens a socket: applies options, binds and connects, and returns its handle together with
    /// the stream of messages it receives (empty for send-only kinds). Bind failures such as a port
    /// in use are thrown here, naming the endpoint.
    public func open(_ spec: SocketSpec) async throws -> (SocketHandle, AsyncStream<Frames>) {
        let (stream, continuation) = AsyncStream.makeStream(of: Frames.self, bufferingPolicy: .bufferingOldest(spec.inboundBuffer))
        let handle = try await withCheckedThrowingContinuation { reply in
            enqueue(.open(spec, continuation, reply)) { reply.resume(throwing: $0) }
        }
        return (handle, stream)
    }

    /// Sends one multipart message and reports whether libzmq accepted it. A DEALER with
    /// `immediate` and no connected peer, or a full queue, throws `.wouldBlock`.
    public func send(_ frames: Frames, on socket: SocketHandle) async throws(ZMQError) {
        let outcome: ZMQError? = await withCheckedContinuation { reply in
            enqueue(.send(socket.id, frames, { reply.resume(returning: $0) })) { reply.resume(returning: $0) }
        }
        if let outcome { throw outcome }
    }

    /// Sends without waiting for the outcome; failures are counted in `stats.sendFailures`.
    public func post(_ frames: Frames, on socket: SocketHandle) {
        enqueue(.send(socket.id, frames, nil)) { _ in }
    }

    /// Closes one socket; its inbound stream finishes.
    public func close(_ socket: SocketHandle) {
        enqueue(.close(socket.id)) { _ in }
    }

    /// Closes every socket (each with its bounded linger), terminates the context and ends the
    /// thread. Safe to call more than once.
    public func shutdown() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            enqueue(.stop(done)) { _ in done.resume() }
        }
    }

    /// Traffic counters since start.
    public var stats: MessageLoopStats { counters.withLock { $0 } }

    func allocateID() -> Int { nextID.withLock { $0 += 1; return $0 } }

    /// Queues a command for the loop thread, or reports `.terminated` when the loop has stopped.
    private func enqueue(_ command: Command, ifStopped: (ZMQError) -> Void) {
        let accepted = queue.withLock { state -> Bool in
            guard !state.stopped else { return false }
            state.commands.append(command)
            if case .stop = command { state.stopped = true }
            return true
        }
        if accepted { wake.raise() } else { ifStopped(ZMQError(code: .terminated, operation: "message loop \(name) is shut down")) }
    }

    func takeCommands() -> [Command] {
        queue.withLock { state in
            defer { state.commands.removeAll(keepingCapacity: true) }
            return state.commands
        }
    }
}

/// Counters kept by a `MessageLoop`.
public struct MessageLoopStats: Sendable, Hashable {
    /// Multipart messages received from the network.
    public var received = 0
    /// Multipart messages libzmq accepted for sending.
    public var sent = 0
    /// Sends libzmq refused (no peer, queue full, closed socket).
    public var sendFailures = 0
    /// Inbound messages dropped because their consumer fell `inboundBuffer` messages behind.
    public var inboundDrops = 0
}
