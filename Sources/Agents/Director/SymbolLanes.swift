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
/// `submit` puts work straight into its symbol's lane, under the lock that orders the lane's
/// work; only a symbol's first piece of work also hands its new lane to `run()`, which starts
/// the lane's task. So a piece of work wakes one task, the lane's, on its way.
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

    /// A symbol's lane: where its work goes, and how much of it has not started yet.
    private struct Lane {
        let queue: AsyncStream<Work>.Continuation
        var waiting = 0
    }

    /// Pieces of work that may wait per symbol.
    public let capacity: Int
    /// Lanes just made, for `run()` to start a task for each.
    private let newLanes: AsyncStream<AsyncStream<Work>>
    private let starts: AsyncStream<AsyncStream<Work>>.Continuation
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
        let started: Work = { [self] in
            state.withLock { $0.lanes[symbol]?.waiting -= 1 }
            await work()
        }
        return state.withLock { state in
            guard !state.stopped else { return .stopped }
            var lane: Lane
            if let existing = state.lanes[symbol] {
                lane = existing
            } else {
                let (stream, queue) = AsyncStream.makeStream(of: Work.self)
                guard case .enqueued = starts.yield(stream) else { return .stopped }
                lane = Lane(queue: queue)
            }
            guard lane.waiting < capacity else { return .full(waiting: capacity) }
            let ahead = lane.waiting
            lane.waiting += 1
            lane.queue.yield(started)
            state.lanes[symbol] = lane
            return .queued(ahead: ahead)
        }
    }

    public func run() async {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await lane in newLanes {
                    group.addTask {
                        for await next in lane { await next() }
                    }
                }
                // No more lanes: each one finishes what it holds, and the group waits for them.
            }
        } onGracefulShutdown: {
            self.state.withLock { state in
                state.stopped = true
                for lane in state.lanes.values { lane.queue.finish() }
            }
            self.starts.finish()
        }
    }
}
