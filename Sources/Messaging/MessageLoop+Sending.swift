import Foundation

/// Sending: a message handed to the loop thread, waited for (`send`) or not (`post`), and sent
/// at once when its poster runs on the loop thread (`DirectSends`).
extension MessageLoop {
    /// Sends one multipart message and reports whether libzmq accepted it. A DEALER with
    /// `immediate` and no connected peer, or a full queue, throws `.wouldBlock`.
    public func send(_ frames: Frames, on socket: SocketHandle) async throws(ZMQError) {
        let outcome: ZMQError? = await withCheckedContinuation { reply in
            enqueue(.send(socket.id, frames, { reply.resume(returning: $0) })) { reply.resume(returning: $0) }
        }
        if let outcome { throw outcome }
    }

    /// Sends without waiting for the outcome; failures are counted in `stats.sendFailures`.
    ///
    /// Posted from the loop thread while no send waits in the queue, the message is sent at
    /// once, before the caller goes on (`DirectSends`); otherwise the loop sends it after the
    /// commands queued before it.
    public func post(_ frames: Frames, on socket: SocketHandle) {
        if sendAtOnce(frames, on: socket) != nil { return }
        enqueue(.send(socket.id, frames, nil)) { _ in }
    }

    /// Sends without waiting; `onFailure` is called (on the loop thread, or at once when the loop
    /// has stopped) if libzmq refuses the message. Sent at once as `post(_:on:)` is, in which
    /// case `onFailure` is called before this returns.
    public func post(_ frames: Frames, on socket: SocketHandle, onFailure: @escaping @Sendable (ZMQError) -> Void) {
        if let sent = sendAtOnce(frames, on: socket) {
            if case .failure(let error) = sent { onFailure(error) }
            return
        }
        enqueue(.send(socket.id, frames, { if let error = $0 { onFailure(error) } })) { onFailure($0) }
    }

    /// Sends without waiting; `outcome` is called on the loop thread with nil once libzmq took
    /// the message, or with the error it refused it with (at once when the loop has stopped).
    /// Sent at once as `post(_:on:)` is, in which case `outcome` is called before this returns.
    func post(_ frames: Frames, on socket: SocketHandle, outcome: @escaping @Sendable (ZMQError?) -> Void) {
        if let sent = sendAtOnce(frames, on: socket) {
            switch sent {
            case .success: outcome(nil)
            case .failure(let error): outcome(error)
            }
            return
        }
        enqueue(.send(socket.id, frames, outcome)) { outcome($0) }
    }

    /// After a send on the loop thread on a socket opened with `yieldsAfterSends`: yields the CPU
    /// to the thread that carries the message, where `ReplyYield` allows, and counts the yield.
    func yieldAfterSend() {
        if replyYield.sent() { counters.withLock { $0.repliesYielded += 1 } }
    }

    /// Sends `frames` on `socket` right here when the caller runs on the loop thread and no
    /// send (nor anything else acting on a socket) waits in the queue, which it must not
    /// overtake: the outcome, counted as a queued send's is. Nil when the send must be queued.
    private func sendAtOnce(_ frames: Frames, on socket: SocketHandle) -> Result<Void, ZMQError>? {
        guard isLoopThread, !sendsMustWait, let sent = directSends.withLock({ $0.send(frames, on: socket.id) }) else { return nil }
        counters.withLock {
            switch sent {
            case .success:
                $0.sent += 1
                $0.sentAtOnce += 1
            case .failure: $0.sendFailures += 1
            }
        }
        if case .success = sent, socket.yieldsAfterSends { yieldAfterSend() }
        return sent
    }
}
