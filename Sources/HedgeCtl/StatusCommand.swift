import ArgumentParser
import Configuration
import Foundation
import Messaging
import Synchronization
import WireFormat
import WireProtocol

/// `hedgectl status`: is each process of the topology alive?
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each agent and the bus: alive by heartbeat, last seen, pid, endpoint, messages handled.",
        discussion: "Exits 0 when every process is up, 1 otherwise. --wait keeps looking until all are up (used by launch.sh). --only bus,market-maker looks at those processes alone (a host of a multi-host topology).")

    @OptionGroup var options: CtlOptions
    @Option(help: "Keep checking for up to this many seconds until every process is up.") var wait: Double = 0
    @Flag(help: "Print nothing; only the exit status tells.") var quiet = false
    @Option(help: ArgumentHelp("Only these processes, comma-separated: bus and agent names (an agent's replicas included).", valueName: "names"),
            transform: { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } })
    var only: [String] = []

    func validate() throws {
        let known = [busName] + AgentName.allCases.map(\.rawValue)
        for name in only where !known.contains(name) {
            throw ValidationError("--only: '\(name)' is neither the bus nor an agent (\(known.joined(separator: ", ")))")
        }
    }

    func run() async throws {
        let topology = try options.loadTopology()
        let rows = try await withMessageLoop { loop in try await survey(topology: topology, loop: loop) }
        if !quiet {
            printTable(["PROCESS", "STATE", "LAST SEEN", "PID", "ENDPOINT", "HANDLED", "ERRORS", "NOTES"], rows.map(\.columns))
        }
        if rows.contains(where: { !$0.up }) { throw ExitCode(1) }
    }

    private func survey(topology: Topology, loop: MessageLoop) async throws -> [StatusRow] {
        let book = HeartbeatBook()
        let beats = try await BusSubscriber.connect(loop: loop, endpoint: topology.bus.subscribe, topics: [Topic.heartbeat("")],
                                                    curve: try options.curve(to: busName, on: topology)).messages
        let pump = Task {
            for await message in beats {
                if let beat = try? JSONEnvelopeCodec().decode(HeartbeatPayload.self, from: message.body) { book.record(beat.payload) }
            }
        }
        defer { pump.cancel() }
        let ping = RequestPolicy(attemptTimeout: .milliseconds(min(1_000, Int(options.timeout * 1_000))), attempts: 1)
        var clients: [(AgentName, RequestClient)] = []
        for agent in AgentName.startOrder where only.isEmpty || only.contains(agent.rawValue) {
            let endpoint = try topology.endpoint(of: agent).endpoint
            clients.append((agent, try await RequestClient.connect(loop: loop, peer: agent.rawValue, endpoint: endpoint, source: "hedgectl", policy: ping,
                                                                             curve: try options.curve(to: agent.rawValue, on: topology))))
        }
        let giveUp = ContinuousClock.now.advanced(by: .milliseconds(Int(wait * 1_000)))
        let window = Duration.milliseconds(max(2 * topology.heartbeatMs, 300))
        while true {
            let started = ContinuousClock.now
            let answered = await withTaskGroup(of: (AgentName, Bool).self) { group in
                for (agent, client) in clients {
                    group.addTask { (agent, (try? await client.request(PingRequest(), trace: .root())) != nil) }
                }
                var answered: Set<AgentName> = []
                for await (agent, ok) in group where ok { answered.insert(agent) }
                return answered
            }
            try? await Task.sleep(until: started.advanced(by: window), clock: .continuous)
            let rows = StatusRow.table(topology: topology, book: book, answered: answered, staleAfter: window)
                .filter { only.isEmpty || only.contains($0.group) }
            if rows.allSatisfy(\.up) || ContinuousClock.now >= giveUp { return rows }
        }
    }
}

/// The latest heartbeat per process and when it arrived.
final class HeartbeatBook: Sendable {
    private let beats = Mutex<[String: (beat: HeartbeatPayload, at: ContinuousClock.Instant)]>([:])

    func record(_ beat: HeartbeatPayload) { beats.withLock { $0[beat.agent] = (beat, .now) } }
    func latest(_ name: String) -> (beat: HeartbeatPayload, at: ContinuousClock.Instant)? { beats.withLock { $0[name] } }
}

/// One line of `hedgectl status`.
struct StatusRow {
    let name: String
    /// The bus or the agent the row is a process of (a replica's or a broker's agent).
    let group: String
    let up: Bool
    let columns: [String]

    static func table(topology: Topology, book: HeartbeatBook, answered: Set<AgentName>, staleAfter: Duration) -> [StatusRow] {
        // A replicated agent has a row for its broker (`quant-analyst-broker`) and one per replica
        // (`quant-analyst#2`), each up when it beats and the broker answers a ping.
        let processes: [(String, AgentName?)] = [(busName, nil)] + AgentName.startOrder.flatMap { agent in
            let count = (try? topology.endpoint(of: agent))?.replicaCount ?? 1
            return count > 1 ? [(brokerName(agent), agent)] + (1...count).map { (replicaName(agent, $0), agent) } : [(agent.rawValue, agent)]
        }
        return processes.map { name, agent in
            let seen = book.latest(name)
            let age = seen.map { ContinuousClock.now - $0.at }
            let beating = age.map { $0 <= staleAfter } ?? false
            let up = beating && (agent.map(answered.contains) ?? true)
            let endpoint = agent.flatMap { try? topology.endpoint(of: $0) }.map { entry in
                entry.isReplicated ? "\(entry.endpoint) ⇄ \(entry.backend ?? "")" : entry.endpoint
            } ?? "\(topology.bus.publish) → \(topology.bus.subscribe)"
            let state = up ? "up" : (beating ? "no reply" : (agent.map(answered.contains) == true ? "no heartbeat" : "down"))
            let last = age.map { "\(Int($0.components.seconds * 1_000 + $0.components.attoseconds / 1_000_000_000_000_000)) ms ago" } ?? "never"
            return StatusRow(name: name, group: agent?.rawValue ?? busName, up: up, columns: [name, state, last, seen.map { "\($0.beat.pid)" } ?? "-", endpoint,
                                                         seen.map { "\($0.beat.handled)" } ?? "-", seen.map { "\($0.beat.errors)" } ?? "-",
                                                         seen?.beat.notes?.joined(separator: "; ") ?? ""])
        }
    }
}
