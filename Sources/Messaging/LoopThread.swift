import Foundation

/// The state that lives only on a `MessageLoop`'s thread: the context and its sockets.
final class LoopThread {
    private struct Entry {
        let socket: ZMQSocket
        let inbound: AsyncStream<Frames>.Continuation
    }

    private let loop: MessageLoop
    private let wake: WakeSignal
    private var context: ZMQContext?
    private var sockets: [Int: Entry] = [:]
    private var order: [Int] = []
    private var stopRequests: [CheckedContinuation<Void, Never>] = []
    /// Fairness bound: at most this many messages per socket per poll round.
    private let batch = 512

    init(loop: MessageLoop, wake: WakeSignal) {
        self.loop = loop
        self.wake = wake
    }

    func run() {
        context = try? ZMQContext()
        while stopRequests.isEmpty {
            let items = [PollItem.readable(descriptor: wake.descriptor)] + order.map { .readable(sockets[$0]!.socket) }
            let ready: [Bool]
            do { ready = try poll(items, timeoutMillis: -1) } catch { break }
            if ready[0] {
                wake.drain()
                for command in loop.takeCommands() { execute(command) }
            }
            for (index, id) in order.enumerated() where index + 1 < ready.count && ready[index + 1] {
                drain(id)
            }
        }
        finish()
    }

    private func execute(_ command: MessageLoop.Command) {
        switch command {
        case let .open(spec, inbound, reply):
            do {
                reply.resume(returning: try open(spec, inbound: inbound))
            } catch {
                inbound.finish()
                reply.resume(throwing: error)
            }
        case let .send(id, frames, done):
            let outcome: ZMQError?
            if let entry = sockets[id] {
                do { try entry.socket.send(frames); outcome = nil } catch { outcome = error }
            } else {
                outcome = ZMQError(code: .closed, operation: "send on closed socket #\(id)")
            }
            loop.counters.withLock { outcome == nil ? ($0.sent += 1) : ($0.sendFailures += 1) }
            done?(outcome)
        case let .close(id):
            if let entry = sockets.removeValue(forKey: id) {
                entry.socket.close()
                entry.inbound.finish()
                order.removeAll { $0 == id }
            }
        case let .stop(done):
            stopRequests.append(done)
        }
    }

    private func open(_ spec: SocketSpec, inbound: AsyncStream<Frames>.Continuation) throws(ZMQError) -> SocketHandle {
        guard let context else { throw ZMQError(code: .terminated, operation: "no ZeroMQ context") }
        let socket = try context.socket(spec.kind)
        do {
            try spec.options.apply(to: socket)
            var bound: [String] = []
            for endpoint in spec.binds {
                try socket.bind(endpoint)
                bound.append(try socket.lastEndpoint())
            }
            for endpoint in spec.connects { try socket.connect(endpoint) }
            let id = loop.allocateID()
            sockets[id] = Entry(socket: socket, inbound: inbound)
            order.append(id)
            return SocketHandle(id: id, kind: spec.kind, boundEndpoints: bound)
        } catch {
            socket.close()
            throw error
        }
    }

    private func drain(_ id: Int) {
        guard let entry = sockets[id] else { return }
        var received = 0, dropped = 0
        while received < batch {
            guard let frames = try? entry.socket.receive(wait: false) else { break }
            received += 1
            if case .dropped = entry.inbound.yield(frames) { dropped += 1 }
        }
        if received > 0 {
            loop.counters.withLock { $0.received += received; $0.inboundDrops += dropped }
        }
    }

    private func finish() {
        for id in order {
            sockets[id]?.socket.close()
            sockets[id]?.inbound.finish()
        }
        sockets.removeAll()
        order.removeAll()
        context?.terminate()
        context = nil
        // Commands that raced with the stop are answered as terminated, never left hanging.
        for command in loop.takeCommands() {
            switch command {
            case let .open(_, inbound, reply):
                inbound.finish()
                reply.resume(throwing: ZMQError(code: .terminated, operation: "message loop \(loop.name) is shut down"))
            case let .send(_, _, done): done?(ZMQError(code: .terminated, operation: "message loop \(loop.name) is shut down"))
            case .close: break
            case let .stop(done): stopRequests.append(done)
            }
        }
        wake.close()
        for done in stopRequests { done.resume() }
    }
}
