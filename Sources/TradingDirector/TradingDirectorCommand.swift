import AgentRuntime
import ArgumentParser
import Logging
import Metrics
import Messaging
import Synchronization
import Trading
import WireProtocol

/// `trading-director`: turns each signal on the bus into one decision.
@main
struct TradingDirectorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trading-director",
        abstract: "Run a cycle per signal (analyze → assess → execute) and publish one decision per signal on its trace.")

    @OptionGroup var options: AgentOptions

    func run() async throws {
        let (topology, logger) = try options.start(as: AgentName.tradingDirector.rawValue)
        let lanes = SymbolLanes()
        let seen = RecentIDs(capacity: 100_000)
        try await AgentHost.run(.tradingDirector, topology: topology, logger: logger) { node in
            let step = topology.director.stepTimeoutMs
            let attempts = max(1, topology.requestAttempts)
            let policy = RequestPolicy(attemptTimeout: .milliseconds(max(1, step / attempts)), attempts: attempts)
            let runner = CycleRunner(analyst: try await node.client(for: .quantAnalyst), risk: try await node.client(for: .riskManager),
                                     execution: try await node.client(for: .executionAgent), settings: topology.director, policy: policy)
            let signals = try await node.subscribe([Topic.signal("")])
            var wiring = AgentWiring()
            wiring.tasks.append {
                for await message in signals {
                    guard let signal = SignalIntake.accept(message, node: node), seen.insert(signal.id) else { continue }
                    await lanes.submit(signal.payload.symbol) {
                        let decision = await runner.run(signal)
                        Counter(label: "hedgebus_decisions_total", dimensions: [("outcome", decision.outcome.rawValue), ("stage", decision.stage)]).increment()
                        Timer(label: "hedgebus_cycle_seconds").recordMicroseconds(decision.latencyUs)
                        node.publish(decision, type: EventType.decision, topic: Topic.decision(decision.symbol), trace: .caused(by: signal))
                        logger.info("\(decision.symbol) \(decision.side.rawValue) → \(decision.outcome.rawValue): \(decision.reason)",
                                    metadata: ["trace_id": "\(signal.traceId)"])
                    }
                }
            }
            wiring.onShutdown = { await lanes.drain() }
            return wiring
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
