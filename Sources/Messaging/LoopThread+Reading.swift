import Foundation

/// Reading: how the loop thread takes messages off its ready sockets and hands them on.
extension LoopThread {
    /// Reads every socket that may have input until it would block (a socket that reached the
    /// batch bound stays ready for the next round). With `yieldingToWork`, a socket's reading
    /// also ends, the socket staying ready, once a message it read has queued work on the loop.
    mutating func serviceReady(yieldingToWork: Bool) {
        loop.directSends.withLock { $0.takeTouched(into: &ready) }
        guard !ready.isEmpty else { return }
        ready.take(into: &readyBatch)
        var index = 0
        while index < readyBatch.count {
            let id = readyBatch[index]
            if !drain(id, yieldingToWork: yieldingToWork) { ready.mark(id) }
            index += 1
        }
    }

    /// Reads `id`'s messages and hands them on; true when it read until the socket would block
    /// (or the socket is gone or cannot receive), false when it stopped at the batch bound or,
    /// with `yieldingToWork`, after a message that left commands for the loop.
    mutating func drain(_ id: Int, yieldingToWork: Bool) -> Bool {
        guard let entry = sockets[id] else { return true }
        if let monitor = entry.monitor {
            var events = ConnectionEvents()
            monitor.drain(into: &events)
            loop.countConnectionEvents(events, owner: entry.owner)
            return true
        }
        guard entry.socket.kind.receives else {
            // Nothing to read: let libzmq process the commands its descriptor announced.
            entry.socket.processCommands()
            return true
        }
        let socket = entry.socket
        var received = 0, dropped = 0
        var exhausted = false
        switch entry.inbound {
        // Read into the loop's own array, whose memory the next message reuses when the handler
        // kept no copy of it: a reply or an event read allocates no array.
        case .identified(let handler, _):
            var userId: String?
            while received < batch {
                guard (try? socket.receive(into: &frames, userId: &userId, wait: false, readingUserId: entry.readsUserId)) == true else {
                    exhausted = true
                    break
                }
                received += 1
                handler(IdentifiedFrames(frames: frames, userId: userId))
                if yieldingToWork && loop.hasCommands { break }
            }
        case .handler(let handler, _):
            var userId: String?
            while received < batch {
                guard (try? socket.receive(into: &frames, userId: &userId, wait: false, readingUserId: false)) == true else {
                    exhausted = true
                    break
                }
                received += 1
                handler(frames)
                if yieldingToWork && loop.hasCommands { break }
            }
        case .stream(let feed):
            while received < batch {
                guard let frames = try? socket.receive(wait: false) else { exhausted = true; break }
                received += 1
                if case .dropped = feed.continuation.yield(frames) { dropped += 1 }
                if yieldingToWork && loop.hasCommands { break }
            }
        }
        if received > 0 && entry.yieldsAfterSends { loop.replyYield.requestsRead(received, at: LoopClock.now()) }
        if received > 0 || exhausted {
            loop.counters.withLock {
                $0.received += received
                if exhausted { $0.emptyReads += 1 }
            }
        }
        if dropped > 0 { loop.countInboundDrop(owner: entry.owner, dropped) }
        // A handler may have replied at once on this socket; the read that found it empty came after.
        if exhausted && received > 0 { loop.directSends.withLock { $0.settled(id) } }
        return exhausted
    }
}
