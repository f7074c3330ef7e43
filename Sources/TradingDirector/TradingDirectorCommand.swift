import AgentRuntime
import ArgumentParser
import Configuration
import Foundation
import Ledger
import Logging
import Messaging
import Metrics
import Synchronization
import Trading
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

    func run() async throws {
        let (topology, logger) = try options.start(as: AgentName.tradingDirector.rawValue)
        let settings = topology.director
        let seen = RecentIDs(capacity: 100_000)
        let watcher = PositionWatcher(timeStopSeconds: settings.timeStopS)
        let recorder = AnalyticsRecorder(store: try noAnalytics ? nil : openAnalytics(), logger: logger)
        try await AgentHost.run(.tradingDirector, topology: topology, logger: logger) { node in
            let lanes = SymbolLanes(executor: node.loop)
            let step = settings.stepTimeoutMs
            let attempts = max(1, topology.requestAttempts)
            let policy = RequestPolicy(attemptTimeout: .milliseconds(max(1, step / attempts)), attempts: attempts)
            let execution = try await node.client(for: .executionAgent)
            let venue = try await node.client(for: .marketMaker)
            let runner = CycleRunner(analyst: try await node.client(for: .quantAnalyst), risk: try await node.client(for: .riskManager),
                                     execution: execution, settings: settings, policy: policy, watcher: watcher, recorder: recorder)
            let exits = ExitRunner(execution: execution, watcher: watcher, recorder: recorder, node: node, policy: policy)
            let signals = try await node.subscribe([Topic.signal("")])
            let ticks = try await node.subscribe([Topic.market("")])
            var wiring = AgentWiring()
            wiring.tasks.append {
                for await message in signals {
                    guard let signal = SignalIntake.accept(message, node: node), seen.insert(signal.id) else { continue }
                    await lanes.submit(signal.payload.symbol) {
                        Self.publish(await runner.run(signal), trace: .caused(by: signal), node: node)
                    }
                }
            }
            wiring.tasks.append {
                for await message in ticks {
                    guard let tick = node.decode(MarketTick.self, message) else { continue }
                    let due = await watcher.evaluate(symbol: tick.payload.symbol, bid: tick.payload.bid, ask: tick.payload.ask,
                                                     at: WallClock.micros())
                    await Self.dispatch(due, exits: exits, lanes: lanes, node: node)
                }
            }
            wiring.tasks.append {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(250))
                    await Self.dispatch(await watcher.reevaluate(at: WallClock.micros()), exits: exits, lanes: lanes, node: node)
                }
            }
            wiring.handlers.on(OpenPositionsQuery.self) { request in
                OpenPositionsReport(positions: await watcher.report(symbol: request.payload.symbol))
            }
            wiring.notes = {
                let open = await watcher.report(symbol: nil)
                return open.isEmpty ? [] : ["\(open.count) open: " + open.map { "\($0.symbol) \($0.side == .buy ? "long" : "short") \(NumberText.units($0.remainingQty))" }.joined(separator: ", ")]
            }
            wiring.tasks.append {
                while !Task.isCancelled {
                    if let rows = try? await venue.request(InventoryQuery(account: settings.account), trace: .root()).payload.positions {
                        await recorder.snapshot(account: settings.account, rows: rows, open: await watcher.openTrades(), at: WallClock.micros())
                    }
                    try? await Task.sleep(for: .milliseconds(settings.snapshotMs))
                }
            }
            wiring.onShutdown = {
                await lanes.drain()
                await recorder.flush()
            }
            return wiring
        }
    }

    /// Runs each due exit in its symbol's lane, after whatever that symbol has queued.
    static func dispatch(_ due: [DueExit], exits: ExitRunner, lanes: SymbolLanes, node: AgentNode) async {
        for exit in due {
            await lanes.submit(exit.symbol) {
                let (decision, trace) = await exits.run(exit)
                publish(decision, trace: trace, node: node)
            }
        }
    }

    static func publish(_ decision: DecisionPayload, trace: TraceContext, node: AgentNode) {
        Instruments.counter("hedgebus_decisions_total", [("outcome", decision.outcome.rawValue), ("stage", decision.stage)]).increment()
        Instruments.timer("hedgebus_cycle_seconds").recordMicroseconds(decision.latencyUs)
        node.publish(decision, type: EventType.decision, topic: Topic.decision(decision.symbol), trace: trace)
        node.logger.info("\(decision.symbol) \(decision.side.rawValue) → \(decision.outcome.rawValue): \(decision.reason)",
                         metadata: ["trace_id": "\(trace.traceId)"])
    }

    /// Opens (creating its folder and schema if needed) the analytics database.
    private func openAnalytics() throws -> AnalyticsStore {
        let folder = URL(fileURLWithPath: analytics).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            return try AnalyticsStore(path: analytics)
        } catch {
            throw ValidationError("cannot open the analytics database '\(analytics)': \(error)")
        }
    }
}

/// Reads a signal off the bus. A signal with a readable header but an impossible payload still
/// gets its one decision (rejected, saying why); an unreadable one is counted and logged.
enum SignalIntake {
    static func accept(_ message: BusMessage, node: AgentNode) -> Envelope<SignalPayload>? {
        let codec = JSONEnvelopeCodec()
        guard let header = try? codec.decodeHeader(from: message.body), header.type == EventType.signal else {
            _ = node.decode(SignalPayload.self, message)
            return nil
        }
        do {
            return try codec.decode(SignalPayload.self, from: message.body)
        } catch {
            let symbol = String(Topic.qualifier(of: message.topic))
            let side = (try? codec.decode(JSONValue.self, from: message.body).payload["side"]?.string).flatMap { Side(rawValue: $0) } ?? .buy
            let decision = DecisionPayload(signalId: header.id, symbol: symbol, side: side, outcome: .rejected,
                                           reason: "invalid signal: \(error.message)", stage: "validate", latencyUs: 0)
            node.publish(decision, type: EventType.decision, topic: Topic.decision(symbol), trace: .caused(by: header))
            node.logger.warning("rejected invalid signal \(header.id): \(error.message)", metadata: ["trace_id": "\(header.traceId)"])
            return nil
        }
    }
}

/// A bounded set of recently seen ids, so a re-published signal is not traded twice. The oldest
/// id is forgotten first.
final class RecentIDs: Sendable {
    private let state: Mutex<(ids: Set<String>, ring: [String], next: Int)>
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        state = Mutex(([], [], 0))
    }

    /// True the first time `id` is seen.
    func insert(_ id: String) -> Bool {
        state.withLock { state in
            guard state.ids.insert(id).inserted else { return false }
            if state.ring.count < capacity {
                state.ring.append(id)
            } else {
                state.ids.remove(state.ring[state.next])
                state.ring[state.next] = id
                state.next = (state.next + 1) % capacity
            }
            return true
        }
    }
}
