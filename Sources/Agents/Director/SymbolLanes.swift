import ServiceLifecycle
import Synchronization

/// Runs work for one symbol strictly in arrival order while different symbols run concurrently,
/// with at most `capacity` pieces of work waiting per symbol.
///
/// A `Service`: each symbol's lane is a child task of `run()`, so nothing outlives it. On
/// graceful shutdown it stops taking work and returns once every lane has finished what was
/// queued, so each accepted signal still gets its decision. Place it before the services that
/// submit work (they stop first).
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
    private let inbox: AsyncStream<(symbol: String, work: Work)>
    private let queue: AsyncStream<(symbol: String, work: Work)>.Continuation
    /// Work queued and not yet started, per symbol.
    private let waiting = Mutex<[String: Int]>([:])

    /// Lanes that take work as soon as `run()` runs, at most `capacity` waiting per symbol.
    public init(capacity: Int = .max) {
        self.capacity = max(1, capacity)
        (inbox, queue) = AsyncStream.makeStream()
    }

    /// Queues `work` behind everything already queued for `symbol`, unless `capacity` pieces
    /// already wait for it or the lanes have stopped (then the work is not run).
    @discardableResult
    public func submit(_ symbol: String, _ work: @escaping Work) -> Admission {
        let ahead: Int? = waiting.withLock { waiting in
            let count = waiting[symbol, default: 0]
            guard count < capacity else { return nil }
            waiting[symbol] = count + 1
            return count
        }
        guard let ahead else { return .full(waiting: capacity) }
        let started: Work = { [self] in
            waiting.withLock { $0[symbol, default: 1] -= 1 }
            await work()
        }
        if case .terminated = queue.yield((symbol, started)) {
            waiting.withLock { $0[symbol, default: 1] -= 1 }
            return .stopped
        }
        return .queued(ahead: ahead)
    }

    public func run() async {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                var lanes: [String: AsyncStream<Work>.Continuation] = [:]
                for await (symbol, work) in inbox {
                    if let lane = lanes[symbol] {
                        lane.yield(work)
                        continue
                    }
                    let (stream, lane) = AsyncStream.makeStream(of: Work.self)
                    lanes[symbol] = lane
                    lane.yield(work)
                    group.addTask {
                        for await next in stream { await next() }
                    }
                }
                // The inbox has ended: let each lane finish what it holds.
                for lane in lanes.values { lane.finish() }
            }
        } onGracefulShutdown: {
            self.queue.finish()
        }
    }
}
