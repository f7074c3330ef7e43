import Foundation
import Instrumentation
import Synchronization

/// Owns a process's ZeroMQ context and sockets on one dedicated thread that runs the poll loop.
///
/// Async code never touches a socket: it opens sockets and sends through Sendable commands, and
/// receives each socket's inbound messages as an `AsyncStream`, or through a handler the loop
/// thread calls for each message. The blocking wait (`SocketPoller`) therefore never sits on Swift's
/// cooperative thread pool. The loop also keeps the process's deadlines (`schedule`), so a
/// request's timeout costs a heap entry rather than a sleeping task.
///
/// The loop is also a `TaskExecutor`: tasks that prefer it (`withTaskExecutorPreference`,
/// `Task(executorPreference:)`) run on the loop thread between polls, as handlers do on an
/// event loop. An agent whose work runs there sends, receives and resumes its waiters without
/// a single thread switch; only blocking work must stay off it.
public final class MessageLoop: TaskExecutor, Sendable {
    /// The loop's name, used for its thread and in diagnostics.
    public let name: String
    /// The commands waiting for the loop thread, and how many of them a send posted on the loop
    /// thread must not overtake (`Command.ordersSends`).
    private let queue = Mutex<(commands: [Command], stopped: Bool, ordering: Int)>(([], false, 0))
    private let wake: WakeSignal
    private let nextID = Mutex(0)
    /// The loop thread's id, so work queued from the loop thread itself needs no wake-up.
    private let threadID = Mutex<pthread_t?>(nil)
    /// The sockets the loop thread sends on at once when its own work posts (`post`).
    let directSends = Mutex(DirectSends())
    let counters = Mutex(MessageLoopStats())
    /// Whether the loop thread yields after a send that asks for it (`ReplyYield`); used on that
    /// thread only.
    let replyYield: ReplyYield
    /// What went wrong on the sockets of each owner (`SocketSpec.owner`).
    private let ownedProblems = Mutex<[String: LoopProblems]>([:])

    /// The part of the process (an agent, the bus) on whose behalf the current task opens
    /// sockets: a socket opened while it is set is counted under it (`problems(of:)`), so agents
    /// that share one loop each report their own. Set with `MessageLoop.$owner.withValue`.
    @TaskLocal public static var owner: String?
    /// Requests made through this loop (`RequestClient`) whose reply has not come yet: while there
    /// are any, the loop polls busily before it sleeps (`busyPoll`).
    let awaitedReplies = Atomic<Int>(0)
    /// The request servers bound at `inproc://` endpoints of this loop, to which clients on the
    /// loop thread hand their requests over as values.
    let inProcessServers = InProcessServers()

    /// How long the loop, with nothing to do but a reply to await, keeps polling before it sleeps
    /// (zero: it sleeps at once).
    public let busyPoll: Duration

    /// Starts the loop thread. With `zap`, a ZAP handler applying that policy runs on the loop's
    /// context before any socket opens, so CURVE server sockets accept only the keys it lists.
    ///
    /// With a `busyPoll` above zero, a loop that runs out of work while a request made through it
    /// awaits its reply keeps polling its sockets and commands for that long, yielding its CPU to
    /// any other runnable thread between polls, before it sleeps in the kernel: a reply (or
    /// anything else) that comes within the window is taken without a wake-up. On a virtual
    /// machine whose idle CPUs halt, waking a sleeping thread costs tens of microseconds per
    /// message; the price is CPU time while the loop waits (see `MessageLoopStats.busyPollHits`).
    /// A loop that awaits no reply sleeps at once, as without a window, and so does one on a
    /// machine whose CPUs all have work waiting (`SpareCPUs`): there a wake-up is cheap and the
    /// polling would take turns from that work. The same gate says when a loop may yield its CPU
    /// after a send on a socket that asks for it (`SocketSpec.yieldsAfterSends`, `ReplyYield`).
    public convenience init(name: String, zap: ZAPPolicy? = nil, busyPoll: Duration = .zero) throws(ZMQError) {
        try self.init(name: name, zap: zap, busyPoll: busyPoll, gate: .spareCPUs)
    }

    /// The same with the busy polling's `gate` chosen (tests).
    init(name: String, zap: ZAPPolicy? = nil, busyPoll: Duration, gate: BusyPollGate) throws(ZMQError) {
        self.name = name
        self.busyPoll = max(busyPoll, .zero)
        replyYield = ReplyYield(gate: gate)
        let wake = try WakeSignal()
        self.wake = wake
        let busyPoll = self.busyPoll
        let thread = Thread { [self] in
            ThreadNaming.nameCurrentThread("zmq-\(name)")
            threadID.withLock { $0 = pthread_self() }
            var loopThread = LoopThread(loop: self, wake: wake, zap: zap, busyPoll: busyPoll, gate: gate)
            loopThread.run()
        }
        thread.start()
    }

    /// Opens a socket: applies options, binds and connects, and returns its handle together with
    /// the stream of messages it receives (empty for send-only kinds). Bind failures such as a port
    /// in use are thrown here, naming the endpoint.
    public func open(_ spec: SocketSpec) async throws -> (SocketHandle, AsyncStream<Frames>) {
        let (stream, continuation) = AsyncStream.makeStream(of: Frames.self, bufferingPolicy: .bufferingOldest(spec.inboundBuffer))
        return (try await open(spec, inbound: .stream(StreamFeed(continuation))), stream)
    }

    /// Opens a socket like `open(_:handler:)`, whose messages come with the `User-Id` the ZAP
    /// handler gave the sending connection. `closed` is called once, on the loop thread, when the
    /// socket closes or the loop stops (or at once if opening fails).
    public func openIdentified(_ spec: SocketSpec, handler: @escaping @Sendable (IdentifiedFrames) -> Void,
                               closed: @escaping @Sendable () -> Void) async throws -> SocketHandle {
        try await open(spec, inbound: .identified(handler, closed: closed))
    }

    /// Opens a socket whose inbound messages are passed to `handler` on the loop thread, in
    /// arrival order, without a hop through a task. The handler must be quick and never block:
    /// it typically decodes a header and resumes whoever waits for the message. `closed`, if
    /// given, is called once on the loop thread when the socket closes or the loop stops (or at
    /// once if opening fails), so a consumer fed by `handler` can learn that nothing more comes.
    public func open(_ spec: SocketSpec, closed: (@Sendable () -> Void)? = nil,
                     handler: @escaping @Sendable (Frames) -> Void) async throws -> SocketHandle {
        try await open(spec, inbound: .handler(handler, closed: closed))
    }

    private func open(_ spec: SocketSpec, inbound: Inbound) async throws -> SocketHandle {
        var spec = spec
        if spec.owner == nil { spec.owner = Self.owner }
        return try await withCheckedThrowingContinuation { reply in
            enqueue(.open(OpenRequest(spec: spec, inbound: inbound, reply: reply))) { reply.resume(throwing: $0) }
        }
    }

    /// Runs `body` on the loop thread with `socket`'s libzmq socket (nil once closed), between two
    /// commands, and marks nothing ready afterwards: for tests that make a libzmq call the loop
    /// did not foresee, such as one that takes the socket's pending commands.
    func useSocket(_ socket: SocketHandle, _ body: @escaping @Sendable (ZMQSocket?) -> Void) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            enqueue(.useSocket(socket.id, { body($0); done.resume() })) { _ in done.resume() }
        }
    }

    /// Runs `action` on the loop thread once `deadline` has passed (within a millisecond or so);
    /// at once when the loop has stopped. The action must be quick and never block.
    public func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) {
        schedule(atNanoseconds: LoopClock.nanoseconds(at: deadline), action)
    }

    /// The same at `due`, in `LoopClock` nanoseconds.
    func schedule(atNanoseconds due: Int64, _ action: @escaping @Sendable () -> Void) {
        enqueue(.timer(TimerRequest(due: due, action: action))) { _ in action() }
    }

    /// Runs `action` on the loop thread once the work queued so far has run, before the loop
    /// waits again: the work of one wake-up can leave something for the end of it (a commit of
    /// what that work queued, say) and have it done once. Called from the loop thread it costs no
    /// wake-up; once the loop has stopped, `action` runs at once on the caller's thread. The
    /// action must be quick enough to hold up the loop; work it resumes runs before the loop waits.
    public func atIterationEnd(_ action: @escaping @Sendable () -> Void) {
        enqueue(.atIterationEnd(action)) { _ in action() }
    }

    /// Runs `action` on the loop thread once the loop has nothing else to do: no command, job or
    /// end action left, so after the end actions of the iteration and whatever they resumed
    /// (a commit's waiter, the message it sends). For work nobody waits for that must not hold
    /// up work somebody does (an analytics commit behind a decision). Runs at the latest at the
    /// end of the iteration, however busy the loop; in the order queued; called from the loop
    /// thread it costs no wake-up; once the loop has stopped, `action` runs at once on the
    /// caller's thread. The action runs on the loop thread, so it must be quick and never block.
    public func whenIdle(_ action: @escaping @Sendable () -> Void) {
        enqueue(.whenIdle(action)) { _ in action() }
    }

    /// Closes one socket; its inbound stream finishes.
    public func close(_ socket: SocketHandle) {
        enqueue(.close(socket.id)) { _ in }
    }

    /// Closes every socket (each with its bounded linger), terminates the context and ends the
    /// thread. Safe to call more than once.
    public func shutdown() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            enqueue(.stop(StopRequest(done))) { _ in done.resume() }
        }
    }

    /// Runs `job` on the loop thread; once the loop has stopped, on the global executor.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        enqueue(.run(job)) { _ in globalConcurrentExecutor.enqueue(job) }
    }

    /// Whether the caller runs on the loop thread.
    var isLoopThread: Bool {
        guard let id = threadID.withLock({ $0 }) else { return false }
        return pthread_equal(id, pthread_self()) != 0
    }

    /// Traffic counters since start.
    public var stats: MessageLoopStats { counters.withLock { $0 } }

    /// What went wrong on the sockets `owner` opened (`SocketSpec.owner`, `MessageLoop.owner`).
    public func problems(of owner: String) -> LoopProblems {
        ownedProblems.withLock { $0[owner] } ?? LoopProblems()
    }

    /// Counts a message a handler of `owner`'s socket could not pass on because its consumer fell behind.
    func countInboundDrop(owner: String?, _ count: Int = 1) {
        counters.withLock { $0.inboundDrops += count }
        if let owner { ownedProblems.withLock { $0[owner, default: LoopProblems()].inboundDrops += count } }
    }

    /// Counts a message dropped from `owner`'s socket because its frames were not what the
    /// socket's protocol expects.
    func countMalformedDrop(owner: String?) {
        counters.withLock { $0.malformedDrops += 1 }
        if let owner { ownedProblems.withLock { $0[owner, default: LoopProblems()].malformedDrops += 1 } }
    }

    /// Counts what the monitor of `owner`'s socket reported.
    func countConnectionEvents(_ events: ConnectionEvents, owner: String?) {
        counters.withLock { $0.connections = $0.connections + events }
        guard let owner else { return }
        ownedProblems.withLock { problems in
            let sum = problems[owner, default: LoopProblems()].connections + events
            problems[owner, default: LoopProblems()].connections = sum
        }
    }

    func allocateID() -> Int { nextID.withLock { $0 += 1; return $0 } }

    /// Queues a command for the loop thread, or reports `.terminated` when the loop has stopped.
    /// Only the first command into an empty queue raises the wake signal (the loop clears the
    /// signal before it takes the queue, so later ones are taken with the first), and none from
    /// the loop thread itself, which looks at the queue before every poll.
    func enqueue(_ command: Command, ifStopped: (ZMQError) -> Void) {
        let (accepted, wakeNeeded) = queue.withLock { state -> (Bool, Bool) in
            guard !state.stopped else { return (false, false) }
            state.commands.append(command)
            if command.ordersSends { state.ordering += 1 }
            if case .stop = command { state.stopped = true }
            return (true, state.commands.count == 1)
        }
        if !accepted { ifStopped(ZMQError(code: .terminated, operation: "message loop \(name) is shut down")) }
        else if wakeNeeded && !isLoopThread { wake.raise() }
    }

    /// Whether commands wait to be taken.
    var hasCommands: Bool { queue.withLock { !$0.commands.isEmpty } }

    /// Moves the queued commands into `batch`, which must be empty; the queue and the batch trade
    /// storage, so a loop that empties its batch after running it allocates nothing here.
    func takeCommands(into batch: inout [Command]) {
        queue.withLock {
            swap(&$0.commands, &batch)
            $0.ordering = 0
        }
    }

    /// Whether a command a send must not overtake waits to be taken (`Command.ordersSends`).
    var sendsMustWait: Bool { queue.withLock { $0.ordering > 0 } }

    /// Refuses every later command (as `.terminated`) and returns those still queued; called by
    /// the loop thread as it ends, whether a `shutdown` or a failure ended it.
    func closeQueue() -> [Command] {
        queue.withLock { state in
            state.stopped = true
            state.ordering = 0
            defer { state.commands.removeAll() }
            return state.commands
        }
    }
}
