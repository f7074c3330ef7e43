/// Runs work for one symbol strictly in arrival order while different symbols run concurrently.
actor SymbolLanes {
    typealias Work = @Sendable () async -> Void
    private var lanes: [String: (queue: AsyncStream<Work>.Continuation, runner: Task<Void, Never>)] = [:]
    /// Where the lanes' work runs (the agent's message loop).
    private let executor: (any TaskExecutor)?

    init(executor: (any TaskExecutor)? = nil) {
        self.executor = executor
    }

    /// Queues `work` behind everything already queued for `symbol`.
    func submit(_ symbol: String, _ work: @escaping Work) {
        if let lane = lanes[symbol] {
            lane.queue.yield(work)
            return
        }
        let (stream, queue) = AsyncStream.makeStream(of: Work.self)
        let runner = Task(executorPreference: executor) {
            for await next in stream { await next() }
        }
        lanes[symbol] = (queue, runner)
        queue.yield(work)
    }

    /// Stops taking work and waits until every lane has finished what it had queued, so each
    /// accepted signal still gets its decision during a graceful shutdown.
    func drain() async {
        let all = lanes.values
        lanes.removeAll()
        for lane in all { lane.queue.finish() }
        for lane in all { await lane.runner.value }
    }
}
