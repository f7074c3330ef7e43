import AgentRuntime
import Agents
import ArgumentParser
import Configuration
import Foundation
import Ledger
import Logging
import Messaging
import WireFormat
import WireProtocol

/// `trading-director`: turns each signal on the bus into one decision.
@main
struct TradingDirectorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trading-director",
        abstract: "Run a cycle per signal (analyze → assess → execute) and publish one decision per signal on its trace; watch the positions it opens for stop-loss, take-profit and time-stop exits; record closed trades and portfolio snapshots.")

    @OptionGroup var options: AgentOptions

    @Option(help: "SQLite file for closed trades and portfolio snapshots, read by `hedgectl report`.")
    var analytics: String = "run/analytics.sqlite"

    @Flag(help: "Keep no analytics database.")
    var noAnalytics = false

    @Option(help: "SQLite file of the director's durable records: accepted signals with their progress and decisions, and the plan and exit progress of every watched position, from which a restarted director carries on (default: director.sqlite beside --analytics).")
    var store: String?

    func run() async throws {
        let (topology, logger) = try options.start(as: AgentName.tradingDirector.rawValue)
        let settings = topology.director
        let analyticsStore = try noAnalytics ? nil : openAnalytics(syncEveryCommit: settings.syncEveryCommit)
        let (directorStore, records) = try openStore(remembering: settings.rememberedSignals, syncEveryCommit: settings.syncEveryCommit)
        try await AgentHost.run(.tradingDirector, topology: topology, logger: logger) { node in
            // Without an fsync per commit, the records that one wake-up of the message loop
            // queued commit at its end, on the loop thread (their checkpoints sync on threads of
            // their own), and the analytics once the loop is idle, so a decision waiting for its
            // record's commit never waits for an analytics commit too; with an fsync per commit,
            // both on writer threads, so the loop never waits for the disk.
            let loop = node.loop
            let scheduler: @Sendable (@escaping @Sendable () -> Void) -> Void = { loop.atIterationEnd($0) }
            let whenIdle: @Sendable (@escaping @Sendable () -> Void) -> Void = { loop.whenIdle($0) }
            let recorder = AnalyticsRecorder(store: analyticsStore, logger: logger,
                                             scheduler: analyticsStore?.checkpointsApart == true ? whenIdle : nil)
            let stop: @Sendable (String) -> Void = { problem in
                logger.critical("cannot keep the director's records, stopping: \(problem)")
                Foundation.exit(70)
            }
            let journal = directorStore.checkpointsApart
                ? DirectorJournal(store: directorStore, scheduler: scheduler, onFailure: stop)
                : DirectorJournal(store: directorStore, onFailure: stop)
            // Each step of a cycle has step_timeout_ms in all, shared by its attempts.
            let attempts = max(1, topology.requestAttempts)
            let policy = RequestPolicy(attemptTimeout: .milliseconds(settings.stepAttemptMs(attempts: attempts)), attempts: attempts)
            let director = TradingDirector(
                analyst: try await node.client(for: .quantAnalyst, policy: policy), risk: try await node.client(for: .riskManager, policy: policy),
                execution: try await node.client(for: .executionAgent, policy: policy), venue: try await node.client(for: .marketMaker),
                settings: settings, listed: topology.market.symbols.map(\.symbol), recorder: recorder, publisher: node,
                logger: logger, journal: journal)
            let signals = try await node.subscribe([Topic.signal("")])
            let ticks = try await node.subscribe([Topic.market("")])
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
                    await director.recover(records)
                    for await message in signals {
                        if let error = director.receive(topic: message.topic, body: message.body) { node.dropped(error, topic: message.topic) }
                    }
                },
            ]
            return wiring
        }
    }

    /// Opens (creating its folder and schema if needed) the director's store and reads back what
    /// a previous run left. Without `syncEveryCommit` its checkpoints run apart.
    private func openStore(remembering: Int, syncEveryCommit: Bool) throws -> (DirectorStore, DirectorRecords) {
        let path = store ?? URL(fileURLWithPath: analytics).deletingLastPathComponent().appendingPathComponent("director.sqlite").path
        do {
            try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
            let opened = try DirectorStore(path: path, syncEveryCommit: syncEveryCommit, checkpointsApart: true)
            return (opened, try opened.load(rememberedSignals: remembering))
        } catch {
            throw ValidationError("cannot open the director's store '\(path)': \(error)")
        }
    }

    /// Opens (creating its folder and schema if needed) the analytics database, committing as
    /// the director's store does, checkpoints apart without `syncEveryCommit`.
    private func openAnalytics(syncEveryCommit: Bool) throws -> AnalyticsStore {
        let folder = URL(fileURLWithPath: analytics).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            return try AnalyticsStore(path: analytics, syncEveryCommit: syncEveryCommit, checkpointsApart: true)
        } catch {
            throw ValidationError("cannot open the analytics database '\(analytics)': \(error)")
        }
    }
}
