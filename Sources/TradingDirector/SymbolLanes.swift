/// Runs work for one symbol strictly in arrival order while different symbols run concurrently.
actor SymbolLanes {
    typealias Work = @Sendable () async -> Void
    private var lanes: [String: AsyncStream<Work>.Continuation] = [:]

    /// Queues `work` behind everything already queued for `symbol`.
    func submit(_ symbol: String, _ work: @escaping Work) {
        if let lane = lanes[symbol] {
            lane.yield(work)
            return
        }
        let (stream, lane) = AsyncStream.makeStream(of: Work.self)
        lanes[symbol] = lane
        Task {
            for await next in stream { await next() }
        }
        lane.yield(work)
    }

    /// Lets every lane finish what it has queued, then end.
    func close() {
        for lane in lanes.values { lane.finish() }
        lanes.removeAll()
    }
}
