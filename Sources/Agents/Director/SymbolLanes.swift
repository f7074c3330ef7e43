import ServiceLifecycle

/// Runs work for one symbol strictly in arrival order while different symbols run concurrently.
///
/// A `Service`: each symbol's lane is a child task of `run()`, so nothing outlives it. On
/// graceful shutdown it stops taking work and returns once every lane has finished what was
/// queued, so each accepted signal still gets its decision. Place it before the services that
/// submit work (they stop first).
public final class SymbolLanes: Service {
    /// One piece of work.
    public typealias Work = @Sendable () async -> Void

    private let inbox: AsyncStream<(symbol: String, work: Work)>
    private let queue: AsyncStream<(symbol: String, work: Work)>.Continuation

    /// Lanes that take work as soon as `run()` runs.
    public init() {
        (inbox, queue) = AsyncStream.makeStream()
    }

    /// Queues `work` behind everything already queued for `symbol`. False once the lanes have
    /// stopped taking work (the work is not run).
    @discardableResult
    public func submit(_ symbol: String, _ work: @escaping Work) -> Bool {
        if case .terminated = queue.yield((symbol, work)) { return false }
        return true
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
