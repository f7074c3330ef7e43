import Foundation

extension MessageLoop {
    /// Where a socket's inbound messages go.
    enum Inbound: Sendable {
        /// Buffered for an async consumer.
        case stream(StreamFeed)
        /// Handed over on the loop thread as they are read; the handler must not block.
        /// `closed`, if any, is called once when the socket closes (or the loop stops).
        case handler(@Sendable (Frames) -> Void, closed: (@Sendable () -> Void)?)
        /// Handed over on the loop thread with each sender's authenticated identity; `closed` is
        /// called once when the socket closes (or the loop stops).
        case identified(@Sendable (IdentifiedFrames) -> Void, closed: @Sendable () -> Void)

        func finish() {
            switch self {
            case .stream(let feed): feed.continuation.finish()
            case .identified(_, let closed): closed()
            case .handler(_, let closed): closed?()
            }
        }
    }

    /// What the loop thread is asked to do, queued by any thread and run in order.
    ///
    /// Every payload has a layout the compiler knows. The standard library's
    /// `CheckedContinuation` and `AsyncStream.Continuation` are resilient (their size is known
    /// only at run time), and an enum holding one, directly or in another enum, is copied,
    /// destroyed and even switched on through the runtime's value witnesses: about a hundred
    /// instructions a time, several times for every command queued and run (docs/PERFORMANCE.md,
    /// change 170). Those payloads travel boxed, on the commands that are rare (opening a socket,
    /// stopping), and a timer's due time is plain nanoseconds (`LoopClock`, change 173), so the
    /// frequent ones (a send, a job, an action for the end of the iteration) are a tag and a few
    /// words.
    enum Command: Sendable {
        case open(OpenRequest)
        case send(Int, Frames, (@Sendable (ZMQError?) -> Void)?)
        case close(Int)
        case timer(TimerRequest)
        case run(UnownedJob)
        case atIterationEnd(@Sendable () -> Void)
        case whenIdle(@Sendable () -> Void)
        case useSocket(Int, @Sendable (ZMQSocket?) -> Void)
        case stop(StopRequest)

        /// Whether a send posted on the loop thread after this command was queued must wait
        /// for it (`MessageLoop.post`): a send, which it must not overtake, and what acts on a
        /// socket (closing it, a test's use of it). Actions for later and jobs order nothing.
        var ordersSends: Bool {
            switch self {
            case .send, .close, .useSocket: true
            case .open, .timer, .run, .atIterationEnd, .whenIdle, .stop: false
            }
        }
    }

    /// An async consumer's end of a socket's messages (`Inbound.stream`), boxed (see `Command`).
    final class StreamFeed: Sendable {
        let continuation: AsyncStream<Frames>.Continuation

        init(_ continuation: AsyncStream<Frames>.Continuation) { self.continuation = continuation }
    }

    /// A socket to open (`Command.open`): its spec, where its messages go, and who waits for its handle.
    final class OpenRequest: Sendable {
        let spec: SocketSpec
        let inbound: Inbound
        let reply: CheckedContinuation<SocketHandle, any Error>

        init(spec: SocketSpec, inbound: Inbound, reply: CheckedContinuation<SocketHandle, any Error>) {
            self.spec = spec
            self.inbound = inbound
            self.reply = reply
        }
    }

    /// An action to run once `due` (`LoopClock` nanoseconds) has passed (`Command.timer`).
    final class TimerRequest: Sendable {
        let due: Int64
        let action: @Sendable () -> Void

        init(due: Int64, action: @escaping @Sendable () -> Void) {
            self.due = due
            self.action = action
        }
    }

    /// A request to stop the loop (`Command.stop`), resumed once it has.
    final class StopRequest: Sendable {
        let done: CheckedContinuation<Void, Never>

        init(_ done: CheckedContinuation<Void, Never>) { self.done = done }
    }
}
