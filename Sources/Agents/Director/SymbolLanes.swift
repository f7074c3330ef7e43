import ServiceLifecycle
import Synchronization

/// Runs work for one symbol strictly in arrival order while different symbols run concurrently,
/// with at most `capacity` pieces of work waiting per symbol.
///
/// A `Service`: each symbol's lane is a child task of `run()`, so nothing outlives it. On
/// graceful shutdown it stops taking work and returns once every lane has finished what was
/// queued, so each accepted signal still gets its decision. Place it before the services that
/// submit work (they stop first).
///
/// `submit` puts work straight into its symbol's lane, under the lane's own lock; only a
/// symbol's first piece of work also hands its new lane to `run()`, which starts the lane's task.
/// So a piece of work wakes one task, the lane's, on its way. A lane is a queue of its own rather
/// than an `AsyncStream`, whose generic storage costs several thousand instructions per element.
public final class SymbolLanes: Service {
    /// One piece of work.
    public typealias Work = @Sendable () async -> Void

    /// What became of work offered to a lane.
    public enum Admission: Sendable, Equatable {
        /// Queued behind `ahead` pieces of work of the same symbol.
        case queued(ahead: Int)
        /// Refused: `waiting` pieces of work already wait for the symbol.
        case full(waiting: Int)
        /// Refused: the lanes have stopped taking work.
        case stopped
    }

    /// Pieces of work that may wait per symbol.
    public let capacity: Int
    /// Lanes just made, for `run()` to start a task for each.
    private let newLanes: AsyncStream<Lane>
    private let starts: AsyncStream<Lane>.Continuation
    /// Every symbol's lane, and whether the lanes have stopped taking work.
    private let state = Mutex<(lanes: [String: Lane], stopped: Bool)>(([:], false))

    /// Lanes that take work as soon as `run()` runs, at most `capacity` waiting per symbol.
    public init(capacity: Int = .max) {
        self.capacity = max(1, capacity)
        (newLanes, starts) = AsyncStream.makeStream()
    }

    /// How many symbols have a lane (each a task and its queue, kept while the lanes run).
    public var count: Int { state.withLock { $0.lanes.count } }

    /// Queues `work` behind everything already queued for `symbol`, unless `capacity` pieces
    /// already wait for it or the lanes have stopped (then the work is not run).
    @discardableResult
    public func submit(_ symbol: String, _ work: @escaping Work) -> Admission {
        let lane = state.withLock { state -> Lane? in
            guard !state.stopped else { return nil }
            if let existing = state.lanes[symbol] { return existing }
            let lane = Lane()
            guard case .enqueued = starts.yield(lane) else { return nil }
            state.lanes[symbol] = lane
            return lane
        }
        // A lane finished by a shutdown after this look-up refuses the work itself.
        return lane?.offer(work, capacity: capacity) ?? .stopped
    }

    public func run() async {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await lane in newLanes {
                    group.addTask {
                        while let next = await lane.next() { await next() }
                    }
                }
                // No more lanes: each one finishes what it holds, and the group waits for them.
            }
        } onGracefulShutdown: {
            self.state.withLock { state in
                state.stopped = true
                for lane in state.lanes.values { lane.finish() }
            }
            self.starts.finish()
        }
    }
}

/// One symbol's queue of work, taken by one task (its lane's) in order. Work counts against the
/// capacity until that task takes it; once finished the lane takes nothing more and hands out
/// what it holds, then nil. A lane task cancelled while it waits gets nil.
private final class Lane: Sendable {
    private struct State {
        /// Work not yet taken, oldest first.
        var queue: [SymbolLanes.Work] = []
        /// The lane task, waiting for work (only while `queue` is empty).
        var waiter: UnsafeContinuation<Void, Never>?
        var finished = false
        var cancelled = false
    }

    private let state = Mutex(State())

    /// Queues `work` and wakes the waiting task; refused when `capacity` pieces wait or the
    /// lane is finished.
    func offer(_ work: @escaping SymbolLanes.Work, capacity: Int) -> SymbolLanes.Admission {
        let (admission, waiter) = state.withLock { state -> (SymbolLanes.Admission, UnsafeContinuation<Void, Never>?) in
            guard !state.finished else { return (.stopped, nil) }
            guard state.queue.count < capacity else { return (.full(waiting: capacity), nil) }
            state.queue.append(work)
            defer { state.waiter = nil }
            return (.queued(ahead: state.queue.count - 1), state.waiter)
        }
        waiter?.resume()
        return admission
    }

    /// The next piece of work, waiting for it; nil once the lane is finished and empty, or
    /// when the task is cancelled.
    func next() async -> SymbolLanes.Work? {
        while true {
            let taken = state.withLock { state -> SymbolLanes.Work?? in
                if !state.queue.isEmpty { return state.queue.removeFirst() }
                return state.finished || state.cancelled ? .some(nil) : nil
            }
            if let taken { return taken }
            await withTaskCancellationHandler {
                await withUnsafeContinuation { (waiter: UnsafeContinuation<Void, Never>) in
                    let ready = state.withLock { state -> Bool in
                        guard state.queue.isEmpty, !state.finished, !state.cancelled else { return true }
                        state.waiter = waiter
                        return false
                    }
                    if ready { waiter.resume() }
                }
            } onCancel: {
                wake { $0.cancelled = true }
            }
        }
    }

    /// Takes no more work; a waiting task finds the lane finished once what it holds is taken.
    func finish() { wake { $0.finished = true } }

    /// Changes the state and resumes the waiting task, if any.
    private func wake(_ change: (inout State) -> Void) {
        let waiter = state.withLock { state in
            change(&state)
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }
}
