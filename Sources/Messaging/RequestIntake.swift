import Synchronization

/// Where a `RequestServer`'s requests go from its socket: each one the message loop's thread
/// reads is admitted right there, and what needs a task gets one, with no stream or serving
/// task between.
///
/// A server that runs on its loop (`run()` called with the loop as task executor preference, as
/// every agent does) admits each request inside the read: what can be answered at once is
/// (`admit` returns nil), and the rest starts with `Task.immediate`, so its handler runs on the
/// loop thread at once and only what it awaits takes a turn of the loop. A server run elsewhere
/// admits and answers each request in a task on the global executor, where `run()` runs.
///
/// Requests read before `run()` starts are held (up to a bound) and started then; beyond
/// `maxInFlight` running at once a request is refused at once; once serving has ended (the
/// socket closed, or `run()` cancelled) requests are not started. Cancelling `run()` cancels the
/// requests still running; either way `run()` returns once they have finished.
final class RequestIntake: Sendable {
    /// What serving needs: where requests run and what runs them.
    private struct Serving {
        /// The loop requests start on at once, or nil for the global executor.
        let loop: MessageLoop?
        /// Answers a request at once, or returns what answers it in a task.
        let admit: @Sendable (IdentifiedFrames) -> (@Sendable () async -> Void)?
        let refuse: @Sendable (IdentifiedFrames) -> Void
    }

    private enum Phase {
        case holding
        case serving(Serving)
        case ended
    }

    private struct State {
        var phase = Phase.holding
        /// Requests read before serving started, oldest first.
        var held: [IdentifiedFrames] = []
        var inFlight = 0
        var nextToken: UInt64 = 0
        /// The running requests, each in a slot of its own (reused once it finishes).
        var running: [Running] = []
        /// Slots free for the next request.
        var free: [Int] = []
        var cancelled = false
        /// `run()` waiting for serving to end, then for the running requests to finish.
        var runner: CheckedContinuation<Void, Never>?
        var idle: CheckedContinuation<Void, Never>?
    }

    /// A running request's slot: its token (0 while the slot is free; never reused) and its
    /// task, nil until it is known (or when it finished before its `Task` value was stored).
    private struct Running {
        var token: UInt64
        var task: Task<Void, Never>?
    }

    /// Where a running request is kept: its slot and the token it holds there.
    private struct Place {
        let index: Int
        let token: UInt64
    }

    private let state = Mutex(State())
    private let maxInFlight: Int
    private let holdingBound: Int
    private let countDrop: @Sendable () -> Void

    /// At most `maxInFlight` requests run at once; at most `holding` are held before serving
    /// starts, and `countDrop` is told of each one beyond.
    init(maxInFlight: Int, holding: Int, countDrop: @escaping @Sendable () -> Void) {
        self.maxInFlight = max(1, maxInFlight)
        self.holdingBound = max(1, holding)
        self.countDrop = countDrop
    }

    /// Takes one request read by the loop thread.
    func receive(_ message: IdentifiedFrames) {
        enum Step { case none, drop, refuse(Serving), start(Serving, Place) }
        let step = state.withLock { state -> Step in
            switch state.phase {
            case .holding:
                guard state.held.count < holdingBound else { return .drop }
                state.held.append(message)
                return .none
            case .serving(let serving):
                guard state.inFlight < maxInFlight else { return .refuse(serving) }
                state.inFlight += 1
                state.nextToken &+= 1
                let running = Running(token: state.nextToken, task: nil)
                let index: Int
                if let reused = state.free.popLast() {
                    index = reused
                    state.running[index] = running
                } else {
                    index = state.running.count
                    state.running.append(running)
                }
                return .start(serving, Place(index: index, token: state.nextToken))
            case .ended:
                return .none
            }
        }
        switch step {
        case .none: break
        case .drop: countDrop()
        case .refuse(let serving): serving.refuse(message)
        case let .start(serving, place):
            let admit = serving.admit
            let task: Task<Void, Never>
            if let loop = serving.loop {
                guard let answer = admit(message) else { return finished(place) }
                task = Task.immediate(executorPreference: loop) {
                    await answer()
                    self.finished(place)
                }
            } else {
                task = Task {
                    if let answer = admit(message) { await answer() }
                    self.finished(place)
                }
            }
            keep(task, at: place)
        }
    }

    /// Serves until the socket closes or the calling task is cancelled, then waits for the
    /// requests still running (cancelled with it, in the second case). `loop` is where requests
    /// are admitted and started at once, or nil. Returns at once when serving has already
    /// started or ended.
    func serve(on loop: MessageLoop?, admit: @escaping @Sendable (IdentifiedFrames) -> (@Sendable () async -> Void)?,
               refuse: @escaping @Sendable (IdentifiedFrames) -> Void) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (runner: CheckedContinuation<Void, Never>) in
                let held = state.withLock { state -> [IdentifiedFrames]? in
                    guard case .holding = state.phase, !state.cancelled else { return nil }
                    state.phase = .serving(Serving(loop: loop, admit: admit, refuse: refuse))
                    state.runner = runner
                    defer { state.held = [] }
                    return state.held
                }
                guard let held else { return runner.resume() }
                for message in held { self.receive(message) }
            }
        } onCancel: {
            self.end(cancelling: true)
        }
        await withCheckedContinuation { (idle: CheckedContinuation<Void, Never>) in
            let settled = state.withLock { state -> Bool in
                guard state.inFlight > 0 else { return true }
                state.idle = idle
                return false
            }
            if settled { idle.resume() }
        }
    }

    /// Whether requests are being served: after `serve` began and before serving ended.
    var isServing: Bool {
        state.withLock { state in
            if case .serving = state.phase { true } else { false }
        }
    }

    /// Ends serving: no request starts from now on; with `cancelling`, those running are
    /// cancelled. Called when the socket closes and when `run()` is cancelled.
    func end(cancelling: Bool) {
        let (runner, tasks) = state.withLock { state -> (CheckedContinuation<Void, Never>?, [Task<Void, Never>]) in
            state.phase = .ended
            state.held = []
            if cancelling { state.cancelled = true }
            defer { state.runner = nil }
            return (state.runner, cancelling ? state.running.compactMap { $0.token == 0 ? nil : $0.task } : [])
        }
        for task in tasks { task.cancel() }
        runner?.resume()
    }

    /// Stores the task of a request still running, so that cancelling `run()` reaches it.
    private func keep(_ task: Task<Void, Never>, at place: Place) {
        let cancel = state.withLock { state -> Bool in
            guard state.running[place.index].token == place.token else { return false }
            state.running[place.index].task = task
            return state.cancelled
        }
        if cancel { task.cancel() }
    }

    private func finished(_ place: Place) {
        let idle = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.running[place.index] = Running(token: 0, task: nil)
            state.free.append(place.index)
            state.inFlight -= 1
            guard state.inFlight == 0 else { return nil }
            defer { state.idle = nil }
            return state.idle
        }
        idle?.resume()
    }
}
