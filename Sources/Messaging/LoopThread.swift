import CZeroMQ
import Foundation

/// The state that lives only on a `MessageLoop`'s thread: the context, its sockets and the
/// loop's deadlines.
///
/// A value owned by the thread's `run()`, so its state is reached without dynamic exclusivity
/// checks, and kept apart from the command queue that other threads fill.
struct LoopThread {
    /// One open socket; a class, so looking one up per message retains one reference rather
    /// than copying the socket, its inbound handlers and its monitor.
    final class Entry {
        let socket: ZMQSocket
        let inbound: MessageLoop.Inbound
        /// Set on the entry that reads another socket's monitor events.
        let monitor: SocketMonitor?
        /// The entry reading this socket's monitor events, if it is monitored.
        let monitorID: Int?
        /// Whose socket it is (`SocketSpec.owner`); a monitor's reader has its socket's owner.
        let owner: String?
        /// Whether its messages can carry a `User-Id`: only a CURVE server's connections pass
        /// the ZAP handler that gives one, so no other socket's frames are asked for it.
        let readsUserId: Bool
        /// Whether the loop yields after each send on it (`SocketSpec.yieldsAfterSends`).
        let yieldsAfterSends: Bool

        init(socket: ZMQSocket, inbound: MessageLoop.Inbound, monitor: SocketMonitor? = nil, monitorID: Int? = nil, owner: String?,
             readsUserId: Bool = false, yieldsAfterSends: Bool = false) {
            self.socket = socket
            self.inbound = inbound
            self.monitor = monitor
            self.monitorID = monitorID
            self.owner = owner
            self.readsUserId = readsUserId
            self.yieldsAfterSends = yieldsAfterSends
        }
    }

    let loop: MessageLoop
    private let wake: WakeSignal
    private var context: ZMQContext?
    var sockets: [Int: Entry] = [:]
    var poller: SocketPoller?
    /// When every socket is next read whether or not its descriptor fired (`rescan`).
    var nextRescan = LoopClock.now() &+ RescanSchedule.intervalNanoseconds
    /// The loop's iterations, counted to look at the rescan's clock now and then while busy.
    private var iterations: UInt = 0
    /// The sockets that may have input (see `SocketPoller`), and the batch they are taken into.
    var ready = ReadySockets()
    var readyBatch: [Int] = []
    /// The frames of the message read last (`drain`), kept for the next read to reuse.
    var frames: Frames = []
    /// The commands being run; emptied after each batch, so taking the next allocates nothing.
    private var commandBatch: [MessageLoop.Command] = []
    private var timers = LoopTimers()
    private var stopRequests: [CheckedContinuation<Void, Never>] = []
    /// Actions for when the queued work has run (`MessageLoop.atIterationEnd`).
    private var endActions: [@Sendable () -> Void] = []
    /// Actions for when nothing else is left to do (`MessageLoop.whenIdle`).
    private var idleActions: [@Sendable () -> Void] = []
    /// Fairness bound: at most this many messages per socket per round.
    let batch = 512

    private let zap: ZAPPolicy?
    /// Why the ZAP handler could not start; CURVE server sockets then refuse to open.
    private var zapFailure: ZMQError?

    /// How long to poll without sleeping once there is nothing to do (`MessageLoop.busyPoll`).
    private let busyPoll: Duration
    /// When that polling may spend a CPU, and what tells whether one is spare (made by the
    /// loop's thread when the gate asks it).
    private let gate: BusyPollGate
    private var spareCPUs: SpareCPUs?
    /// Whether the last windows found anything, to stop polling for replies that come too late.
    private var pollHistory = BusyPollHistory()

    init(loop: MessageLoop, wake: WakeSignal, zap: ZAPPolicy?, busyPoll: Duration, gate: BusyPollGate) {
        self.loop = loop
        self.wake = wake
        self.zap = zap
        self.busyPoll = busyPoll
        self.gate = gate
    }

    mutating func run() {
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
        guard let poller = try? SocketPoller(wake: wake) else { return finish() }
        self.poller = poller
        if busyPoll > .zero && gate == .spareCPUs { spareCPUs = SpareCPUs() }
        // Whether the last wait brought work: a loop that woke only because its wait timed out
        // does not poll busily again until something happens.
        var worked = true
        while stopRequests.isEmpty {
            // Work queued from this thread, or a socket that may still hold input, raised no
            // wake-up: then only look, don't wait. Never wait longer than `longestWait`: a missed
            // wake-up must not stall the loop for good. The sockets are read again at that
            // interval whether or not their descriptors fired (`rescan`), due by the clock
            // the loop reads anyway before it waits, and every 256th iteration of a loop kept busy;
            // after a rescan, only look.
            loop.directSends.withLock { $0.takeTouched(into: &ready) }
            let busy = loop.hasCommands || !ready.isEmpty || !endActions.isEmpty || !idleActions.isEmpty
            var timeout = 0
            iterations &+= 1
            if !busy || iterations & 255 == 0 {
                let now = LoopClock.now()
                if now < nextRescan {
                    if !busy { timeout = Self.bounded(timers.pollTimeout(now: now)) }
                } else {
                    // Counted only after a wait that brought nothing: under load, messages come
                    // in between any two looks at a socket, announced or not.
                    rescan(now: now, counting: !busy && !worked)
                }
            }
            // Nothing to do: poll busily first, when the loop does, a reply is awaited, the last
            // wait brought work and the last windows did not all run out empty.
            var found = false
            if timeout != 0 && worked && busyPoll > .zero && loop.awaitedReplies.load(ordering: .relaxed) > 0 {
                if pollHistory.shouldPoll() {
                    do { found = try pollBusily(poller, for: timeout) } catch { break }
                } else {
                    loop.counters.withLock { $0.busyPollsPassedOver += 1 }
                }
            }
            if found {
                worked = true
            } else {
                do { worked = try poller.wait(timeoutMillis: timeout, marking: &ready) || busy || !ready.isEmpty } catch { break }
            }
            // The sockets whose descriptor fired; then the deadlines; then the commands and jobs,
            // and the sockets their sends touched, again while they bring more (a reply resumes
            // a task whose next send is queued at once), so a message in and the message out that
            // it causes take one wait. Once no command is left, the iteration's end actions run,
            // and whatever they resume runs in the same iteration; once nothing at all is left,
            // its idle actions. Bounded, so the descriptors are looked at again soon (idle actions
            // still run then: at the latest at the end of each iteration).
            //
            // A message that gives the loop work (a reply resuming its requester, a request its
            // server) ends the first reading of its socket, which stays ready: its task's send
            // is queued only once that work runs, and the read after the send then is also the
            // read that finds the socket empty, so a request or reply in and the message out it
            // causes cost one read that finds nothing instead of two (each is a `getpid` and a
            // `poll` inside libzmq). Sockets are read again once the commands have settled (a
            // request at a server takes three rounds: the serving task, its handler, the send),
            // and at the latest every fourth round, so a loop its own work keeps busy still reads
            // its sockets in batches.
            serviceReady(yieldingToWork: true)
            if timers.count > 0 {
                for action in timers.takeDue(now: LoopClock.now()) {
                    worked = true
                    action()
                }
            }
            var rounds = 0
            while rounds < 16 && stopRequests.isEmpty {
                if loop.hasCommands {
                    runCommands()
                    if !loop.hasCommands || rounds % 4 == 3 { serviceReady(yieldingToWork: false) }
                } else if !endActions.isEmpty {
                    runEndActions()
                } else if !idleActions.isEmpty {
                    runIdleActions()
                } else {
                    break
                }
                rounds += 1
            }
            if rounds == 16 && stopRequests.isEmpty { runIdleActions() }
        }
        finish()
    }

    /// Polls without sleeping, yielding the CPU between polls, for `busyPoll` (or until the next
    /// deadline, `timeout` milliseconds away (above zero), when that comes first) while the
    /// machine has a CPU to spare (`BusyPollGate`); true once a socket may have input or a command
    /// waits, false when the window ran out or the CPUs were wanted and the loop should sleep.
    private mutating func pollBusily(_ poller: SocketPoller, for timeout: Int) throws(ZMQError) -> Bool {
        var ready = ReadySockets()
        swap(&ready, &self.ready)
        defer { swap(&ready, &self.ready) }
        let loop = self.loop
        let spareCPUs = self.spareCPUs
        let gate = self.gate
        let outcome = try BusyPolling.poll(for: min(busyPoll, .milliseconds(timeout)), spare: {
            switch gate {
            case .spareCPUs: spareCPUs?.available() ?? true
            case .always: true
            case .never: false
            }
        }) { () throws(ZMQError) in
            _ = try poller.wait(timeoutMillis: 0, marking: &ready)
        } found: {
            !ready.isEmpty || loop.hasCommands
        }
        loop.counters.withLock {
            switch outcome {
            case .found: $0.busyPollHits += 1
            case .windowEnded: $0.busyPollMisses += 1
            case .cpusWanted: $0.busyPollsCut += 1
            }
        }
        pollHistory.record(outcome)
        return outcome == .found
    }

    private mutating func runEndActions() {
        let actions = endActions
        endActions.removeAll(keepingCapacity: true)
        for action in actions { action() }
    }

    private mutating func runIdleActions() {
        let actions = idleActions
        idleActions.removeAll(keepingCapacity: true)
        for action in actions { action() }
    }

    /// Runs the commands queued so far, in order.
    private mutating func runCommands() {
        loop.takeCommands(into: &commandBatch)
        var index = 0
        while index < commandBatch.count {
            execute(commandBatch[index])
            index += 1
        }
        commandBatch.removeAll(keepingCapacity: true)
    }

    /// The longest a wait lasts, in milliseconds: the rescan's interval.
    static let longestWait = RescanSchedule.intervalMillis

    private static func bounded(_ timeout: Int) -> Int { timeout < 0 ? longestWait : min(timeout, longestWait) }

    private mutating func execute(_ command: MessageLoop.Command) {
        switch command {
        case let .open(request):
            do {
                request.reply.resume(returning: try open(request.spec, inbound: request.inbound))
            } catch {
                request.inbound.finish()
                request.reply.resume(throwing: error)
            }
        case let .send(id, frames, done):
            let outcome: ZMQError?
            var yielding = false
            if let entry = sockets[id] {
                do { try entry.socket.send(frames); outcome = nil } catch { outcome = error }
                // The send may have taken the command that announced a message (see SocketPoller).
                if entry.socket.kind.receives { ready.mark(id) }
                yielding = outcome == nil && entry.yieldsAfterSends
            } else {
                outcome = ZMQError(code: .closed, operation: "send on closed socket #\(id)")
            }
            loop.counters.withLock { outcome == nil ? ($0.sent += 1) : ($0.sendFailures += 1) }
            if yielding { loop.yieldAfterSend() }
            done?(outcome)
        case let .close(id):
            if let entry = sockets.removeValue(forKey: id) {
                if let monitorID = entry.monitorID, let reader = sockets.removeValue(forKey: monitorID) {
                    poller?.remove(reader.socket, id: monitorID)
                    ready.remove(monitorID)
                    reader.monitor?.close()
                }
                poller?.remove(entry.socket, id: id)
                ready.remove(id)
                loop.directSends.withLock { $0.remove(id) }
                entry.socket.close()
                entry.inbound.finish()
            }
        case let .timer(request):
            timers.add(request.due, request.action)
        case let .run(job):
            job.runSynchronously(on: loop.asUnownedTaskExecutor())
        case let .atIterationEnd(action):
            endActions.append(action)
        case let .whenIdle(action):
            idleActions.append(action)
        case let .useSocket(id, body):
            body(sockets[id]?.socket)
        case let .stop(request):
            stopRequests.append(request.done)
        }
    }

    private mutating func open(_ spec: SocketSpec, inbound: MessageLoop.Inbound) throws(ZMQError) -> SocketHandle {
        guard let context else { throw ZMQError(code: .terminated, operation: "no ZeroMQ context") }
        if case .server? = spec.options.curve {
            if let zapFailure { throw zapFailure }
            guard zap != nil else {
                throw ZMQError(code: .invalidArgument, operation: "a CURVE server socket on loop \(loop.name), which has no ZAP policy")
            }
        }
        let socket = try context.socket(spec.kind)
        do throws(ZMQError) {
            try spec.options.apply(to: socket)
            var bound: [String] = []
            for endpoint in spec.binds {
                try socket.bind(endpoint)
                bound.append(try socket.lastEndpoint())
            }
            for endpoint in spec.connects { try socket.connect(endpoint) }
            guard let poller else { throw ZMQError(code: .terminated, operation: "message loop \(loop.name) cannot wait for input") }
            let id = loop.allocateID()
            let monitorID = spec.monitorsConnections ? try monitor(socket, id: id, context: context, poller: poller, owner: spec.owner) : nil
            try poller.watch(socket, id: id)
            // Input may have come before its descriptor was watched.
            ready.mark(id)
            let authenticates = if case .server? = spec.options.curve { true } else { false }
            sockets[id] = Entry(socket: socket, inbound: inbound, monitorID: monitorID, owner: spec.owner, readsUserId: authenticates,
                                yieldsAfterSends: spec.yieldsAfterSends)
            loop.directSends.withLock { $0.add(LoopOwnedSocket(socket: socket), id: id) }
            return SocketHandle(id: id, kind: spec.kind, boundEndpoints: bound, yieldsAfterSends: spec.yieldsAfterSends)
        } catch {
            socket.close()
            throw error
        }
    }

    /// Counts the connection events of `socket` (see `ConnectionEvents`) from now on, read by an
    /// entry of its own waited on with the loop's sockets; returns that entry's id.
    private mutating func monitor(_ socket: ZMQSocket, id: Int, context: ZMQContext, poller: SocketPoller, owner: String?) throws(ZMQError) -> Int {
        let monitor = try SocketMonitor(watching: socket, context: context, address: "hedgebus.monitor.\(loop.name).\(id)")
        let readerID = loop.allocateID()
        do throws(ZMQError) {
            try poller.watch(monitor.socket, id: readerID)
        } catch {
            monitor.close()
            throw error
        }
        ready.mark(readerID)
        sockets[readerID] = Entry(socket: monitor.socket, inbound: .handler({ _ in }, closed: nil), monitor: monitor, owner: owner)
        return readerID
    }

    private mutating func finish() {
        // Monitor readers first: each monitor is stopped while the socket it watches is still
        // open, so libzmq never emits to a closed reader.
        for (id, entry) in sockets.sorted(by: { ($0.value.monitor == nil ? 1 : 0, $0.key) < ($1.value.monitor == nil ? 1 : 0, $1.key) }) {
            loop.directSends.withLock { $0.remove(id) }
            poller?.remove(entry.socket, id: id)
            entry.monitor?.close()
            entry.socket.close()
            entry.inbound.finish()
        }
        sockets.removeAll()
        poller = nil
        context?.terminate()
        context = nil
        // Commands that raced with the stop are answered as terminated, never left hanging; the
        // loop refuses new ones from here on.
        let terminated = ZMQError(code: .terminated, operation: "message loop \(loop.name) is shut down")
        for command in loop.closeQueue() {
            switch command {
            case let .open(request):
                request.inbound.finish()
                request.reply.resume(throwing: terminated)
            case let .send(_, _, done): done?(terminated)
            case .close: break
            case let .useSocket(_, body): body(nil)
            case let .timer(request): request.action()
            case let .run(job): globalConcurrentExecutor.enqueue(job)
            case let .atIterationEnd(action): endActions.append(action)
            case let .whenIdle(action): idleActions.append(action)
            case let .stop(request): stopRequests.append(request.done)
            }
        }
        // End actions still pending run now, after the commands queued before them; then the
        // idle actions.
        runEndActions()
        runIdleActions()
        // Deadlines still pending fire now: whoever waits for them must not wait for ever.
        for action in timers.takeDue(now: .max) { action() }
        wake.close()
        for done in stopRequests { done.resume() }
    }
}
