import Agents
import Configuration
import Foundation
import Ledger
import Messaging
import WireFormat
import WireProtocol

extension AgentWiring {
    /// Where the director's records commit in one process (`HybridCommitPolicy`): on the loop
    /// up to 12,000 changes a second (counted over 5 ms), on the `director-journal` thread
    /// above, back on the loop once they have come slower than 8,000 a second for a tenth of a
    /// second. A filled signal makes about five changes (accepted, executing, decided, and
    /// its position's), so the records move to the thread at about 2,400 signals a second, and signals
    /// sent one at a time (about 1,400–1,700 a second through one process on this project's
    /// machine) keep them on the loop (docs/PERFORMANCE.md, change 164).
    static let oneProcessJournal = HybridCommitPolicy(threadAbove: 12_000, schedulerBelow: 8_000)

    /// The TradingDirector on `node`, keeping `stores`: a cycle per signal on the bus (analyze →
    /// assess → execute), one decision each, and the exits of the positions it opens.
    public static func tradingDirector(on node: AgentNode, stores: DirectorStores) async throws -> AgentWiring {
        let topology = node.topology, logger = node.logger
        let settings = topology.director
        // Without an fsync per commit, the records that one wake-up of the message loop
        // queued commit at its end, on the loop thread (their checkpoints sync on threads of
        // their own), and the analytics once the loop is idle, so a decision waiting for its
        // record's commit never waits for an analytics commit too; with an fsync per commit,
        // both on writer threads, so the loop never waits for the disk. In one process the
        // records commit on the loop while signals come slowly and on a writer thread once
        // they come fast: there the one loop runs all five agents and bounds the rate, and the
        // records' SQLite work is the largest piece of it that another thread can take, while
        // a lone signal's records would pay two hand-offs between threads each
        // (docs/PERFORMANCE.md, changes 163 and 164).
        let loop = node.loop
        let scheduler: @Sendable (@escaping @Sendable () -> Void) -> Void = { loop.atIterationEnd($0) }
        let whenIdle: @Sendable (@escaping @Sendable () -> Void) -> Void = { loop.whenIdle($0) }
        // A commit on the loop that finds its store's checkpointer holding the write lock tries
        // again half a millisecond later rather than sleeping in SQLite's busy handler.
        let retryLater: @Sendable (@escaping @Sendable () -> Void) -> Void = { loop.schedule(at: .now.advanced(by: .microseconds(500)), $0) }
        let recorder = AnalyticsRecorder(store: stores.analytics, logger: logger,
                                         scheduler: stores.analytics?.checkpointsApart == true ? whenIdle : nil, retryLater: retryLater)
        let stop: @Sendable (String) -> Void = { problem in
            logger.critical("cannot keep the director's records, stopping: \(problem)")
            Foundation.exit(70)
        }
        let journal: DirectorJournal
        if !stores.records.checkpointsApart {
            journal = DirectorJournal(store: stores.records, onFailure: stop)
        } else if node.inProcess {
            journal = DirectorJournal(store: stores.records, scheduler: scheduler, policy: Self.oneProcessJournal, onFailure: stop)
        } else {
            journal = DirectorJournal(store: stores.records, scheduler: scheduler, retryLater: retryLater, onFailure: stop)
        }
        // A signal's analysis is asked ahead, while the signal before it in its lane runs, where
        // the analyst is another process: in one process the request is handed over on this
        // loop, and asking it early saves nothing (docs/PERFORMANCE.md, change 159).
        // Each step of a cycle has step_timeout_ms in all, shared by its attempts.
        let attempts = max(1, topology.requestAttempts)
        let policy = RequestPolicy(attemptTimeout: .milliseconds(settings.stepAttemptMs(attempts: attempts)), attempts: attempts)
        let director = TradingDirector(
            analyst: try await node.client(for: .quantAnalyst, policy: policy), risk: try await node.client(for: .riskManager, policy: policy),
            execution: try await node.client(for: .executionAgent, policy: policy), venue: try await node.client(for: .marketMaker),
            settings: settings, listed: topology.market.symbols.map(\.symbol), recorder: recorder, publisher: node,
            logger: logger, journal: journal, analysisAhead: !node.inProcess)
        let signals = try await node.subscribe([Topic.signal("")])
        let ticks = try await node.subscribe([Topic.market("")], decoded: true)
        let recovered = stores.recovered
        var wiring = AgentWiring()
        wiring.handlers.on(OpenPositionsQuery.self) { request in await director.positions(symbol: request.payload.symbol) }
        wiring.notes = { await director.notes() }
        // Torn down last-first: inputs stop, then the lanes finish every accepted signal,
        // then the analytics and the director's records are flushed.
        wiring.services = [
            ShutdownStep {
                await recorder.flush()
                await journal.close()
            },
            director.lanes,
            LoopService {
                while !Task.isCancelled {
                    await director.snapshot()
                    try? await Task.sleep(for: .milliseconds(settings.snapshotMs))
                }
            },
            LoopService {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(250))
                    await director.reevaluate()
                }
            },
            LoopService {
                for await message in ticks {
                    guard let tick = node.decode(MarketTick.self, message) else { continue }
                    await director.quote(symbol: tick.payload.symbol, bid: tick.payload.bid, ask: tick.payload.ask)
                }
            },
            LoopService {
                // What the previous run left is finished first; signals wait in the subscription.
                await director.recover(recovered)
                for await message in signals {
                    if let error = director.receive(topic: message.topic, body: message.body) { node.dropped(error, topic: message.topic) }
                }
            },
        ]
        return wiring
    }
}
