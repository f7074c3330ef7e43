import CZeroMQ
import Foundation

/// The state that lives only on a `MessageLoop`'s thread: the context, its sockets and the
/// loop's deadlines.
final class LoopThread {
    private struct Entry {
        let socket: ZMQSocket
        let inbound: MessageLoop.Inbound
        /// Set on the entry that reads another socket's monitor events.
        var monitor: SocketMonitor?
        /// The entry reading this socket's monitor events, if it is monitored.
        var monitorID: Int?
    }

    private let loop: MessageLoop
    private let wake: WakeSignal
    private var context: ZMQContext?
    private var sockets: [Int: Entry] = [:]
    /// Socket ids in poll order, and the poll items (the wake signal first, then those sockets),
    /// rebuilt only when a socket opens or closes.
    private var order: [Int] = []
    private var items: [zmq_pollitem_t] = []
    private var timers = LoopTimers()
    private var stopRequests: [CheckedContinuation<Void, Never>] = []
    /// Fairness bound: at most this many messages per socket per poll round.
    private let batch = 512

    private let zap: ZAPPolicy?
    /// Why the ZAP handler could not start; CURVE server sockets then refuse to open.
    private var zapFailure: ZMQError?

    init(loop: MessageLoop, wake: WakeSignal, zap: ZAPPolicy?) {
        self.loop = loop
        self.wake = wake
        self.zap = zap
    }

    func run() {
        context = try? ZMQContext()
        if let zap, let context {
            let loop = self.loop
            do {
                try ZAPHandler.start(context: context, policy: zap, name: loop.name) {
                    loop.counters.withLock { $0.refusedHandshakes += 1 }
                }
            } catch {
                zapFailure = error
            }
        }
        rebuildItems()
        while stopRequests.isEmpty {
            // Work queued from this thread raised no wake-up: then only look, don't wait. Never
            // wait longer than `longestWait`: a missed wake-up must not stall the loop for good.
            let timeout = loop.hasCommands ? 0 : Self.bounded(timers.pollTimeout(now: .now))
            for index in items.indices { items[index].revents = 0 }
            if zmq_poll(&items, Int32(items.count), timeout) < 0 {
                guard ZMQError.last("zmq_poll").code == .interrupted else { break }
                continue
            }
            if items[0].revents & Int16(ZMQ_POLLIN) != 0 { wake.drain() }
            // Sockets first, while `order` still matches the items polled; then the deadlines;
            // then the commands and jobs, again while they queue more (a reply resumes a task
            // whose next send is queued at once), so a message in and the message out that it
            // causes take one poll, not three. Bounded, so the sockets are polled again soon.
            for index in 1..<items.count where items[index].revents & Int16(ZMQ_POLLIN) != 0 {
                drain(order[index - 1])
            }
            if timers.count > 0 { for action in timers.takeDue(now: .now) { action() } }
            var rounds = 0
            repeat {
                for command in loop.takeCommands() { execute(command) }
                rounds += 1
            } while rounds < 16 && stopRequests.isEmpty && loop.hasCommands
        }
        finish()
    }

    /// The longest a poll waits, in milliseconds.
    static let longestWait = 100

    private static func bounded(_ timeout: Int) -> Int { timeout < 0 ? longestWait : min(timeout, longestWait) }

    private func rebuildItems() {
        items = [zmq_pollitem_t(socket: nil, fd: wake.descriptor, events: Int16(ZMQ_POLLIN), revents: 0)]
        for id in order {
            items.append(zmq_pollitem_t(socket: sockets[id]?.socket.pollHandle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0))
        }
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
                if let monitorID = entry.monitorID, let reader = sockets.removeValue(forKey: monitorID) {
                    reader.monitor?.close()
                    order.removeAll { $0 == monitorID }
                }
                entry.socket.close()
                entry.inbound.finish()
                order.removeAll { $0 == id }
                rebuildItems()
            }
        case let .timer(due, action):
            timers.add(due, action)
        case let .run(job):
            job.runSynchronously(on: loop.asUnownedTaskExecutor())
        case let .stop(done):
            stopRequests.append(done)
        }
    }

    private func open(_ spec: SocketSpec, inbound: MessageLoop.Inbound) throws(ZMQError) -> SocketHandle {
        guard let context else { throw ZMQError(code: .terminated, operation: "no ZeroMQ context") }
        if case .server? = spec.options.curve {
            if let zapFailure { throw zapFailure }
            guard zap != nil else {
                throw ZMQError(code: .invalidArgument, operation: "a CURVE server socket on loop \(loop.name), which has no ZAP policy")
            }
        }
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
            let monitorID = spec.monitorsConnections ? try monitor(socket, id: id, context: context) : nil
            sockets[id] = Entry(socket: socket, inbound: inbound, monitorID: monitorID)
            order.append(id)
            rebuildItems()
            return SocketHandle(id: id, kind: spec.kind, boundEndpoints: bound)
        } catch {
            socket.close()
            throw error
        }
    }

    /// Counts the connection events of `socket` (see `ConnectionEvents`) from now on, read by an
    /// entry of its own polled with the loop's sockets; returns that entry's id.
    private func monitor(_ socket: ZMQSocket, id: Int, context: ZMQContext) throws(ZMQError) -> Int {
        let monitor = try SocketMonitor(watching: socket, context: context, address: "hedgebus.monitor.\(loop.name).\(id)")
        let readerID = loop.allocateID()
        sockets[readerID] = Entry(socket: monitor.socket, inbound: .handler({ _ in }), monitor: monitor)
        order.append(readerID)
        return readerID
    }

    private func drain(_ id: Int) {
        guard let entry = sockets[id] else { return }
        if let monitor = entry.monitor {
            var events = ConnectionEvents()
            monitor.drain(into: &events)
            loop.counters.withLock { $0.connections = $0.connections + events }
            return
        }
        var received = 0, dropped = 0
        while received < batch {
            if case .identified(let continuation) = entry.inbound {
                guard let message = try? entry.socket.receiveIdentified(wait: false) else { break }
                received += 1
                if case .dropped = continuation.yield(message) { dropped += 1 }
                continue
            }
            guard let frames = try? entry.socket.receive(wait: false) else { break }
            received += 1
            switch entry.inbound {
            case .stream(let continuation): if case .dropped = continuation.yield(frames) { dropped += 1 }
            case .handler(let handler): handler(frames)
            case .identified: break
            }
        }
        if received > 0 {
            loop.counters.withLock { $0.received += received; $0.inboundDrops += dropped }
        }
    }

    private func finish() {
        // A socket's monitor reader comes before the socket in `order`: the monitor is stopped
        // while the socket it watches is still open, so libzmq never emits to a closed reader.
        for id in order {
            sockets[id]?.monitor?.close()
            sockets[id]?.socket.close()
            sockets[id]?.inbound.finish()
        }
        sockets.removeAll()
        order.removeAll()
        context?.terminate()
        context = nil
        // Commands that raced with the stop are answered as terminated, never left hanging.
        let terminated = ZMQError(code: .terminated, operation: "message loop \(loop.name) is shut down")
        for command in loop.takeCommands() {
            switch command {
            case let .open(_, inbound, reply):
                inbound.finish()
                reply.resume(throwing: terminated)
            case let .send(_, _, done): done?(terminated)
            case .close: break
            case let .timer(_, action): action()
            case let .run(job): globalConcurrentExecutor.enqueue(job)
            case let .stop(done): stopRequests.append(done)
            }
        }
        // Deadlines still pending fire now: whoever waits for them must not wait for ever.
        for action in timers.takeDue(now: .now.advanced(by: .seconds(86_400 * 365))) { action() }
        wake.close()
        for done in stopRequests { done.resume() }
    }
}
