import AgentRuntime
import Configuration
import Foundation
import Messaging
import WireFormat
import WireProtocol

/// How a test runs the five agents.
public enum AgentLayout: String, Sendable, CaseIterable, CustomStringConvertible {
    /// A process each, as `launch.sh up` runs them.
    case processes
    /// The bus and all five agents in one `all-agents` process, their messages to each other
    /// in-process.
    case oneProcess = "one process"

    public var description: String { rawValue }
}

/// The bus and the five agents started as real processes on a `TestTopology`.
public final class RunningTopology: Sendable {
    /// The topology they run on.
    public let fixture: TestTopology
    /// The processes; stopped by pid in `stop()`.
    public let processes: ProcessGroup
    /// Each started process by name.
    public let handles: [String: ProcessGroup.Handle]

    /// Starts everything and waits until each agent answers `ping`. `prelude` runs once the
    /// topology file exists and before any agent starts; what it starts in the group is stopped
    /// with everything else.
    public static func start(extra: String = "", agentExtras: [String: String] = [:], secure: Bool = false,
                             layout: AgentLayout = .processes, timeout: Duration = .seconds(60),
                             prelude: (TestTopology, ProcessGroup) throws -> Void = { _, _ in }) async throws -> RunningTopology {
        let fixture = try TestTopology.make(extra: extra, agentExtras: agentExtras, secure: secure)
        let processes = ProcessGroup()
        var handles: [String: ProcessGroup.Handle] = [:]
        do {
            try prelude(fixture, processes)
            for name in layout == .processes ? processNames(fixture.topology) : [allAgents] {
                handles[name] = try launch(name, fixture: fixture, processes: processes)
            }
            let running = RunningTopology(fixture: fixture, processes: processes, handles: handles)
            try await running.awaitAgents(timeout: timeout)
            return running
        } catch {
            await processes.stop()
            throw error
        }
    }

    private init(fixture: TestTopology, processes: ProcessGroup, handles: [String: ProcessGroup.Handle]) {
        self.fixture = fixture
        self.processes = processes
        self.handles = handles
    }

    /// The topology.
    public var topology: Topology { fixture.topology }

    /// The MarketMaker's ledger file (in the group's own temporary folder).
    public var ledgerPath: String { Self.ledgerPath(processes) }

    static func ledgerPath(_ processes: ProcessGroup) -> String { "\(processes.logDirectory)/ledger.sqlite" }

    /// The TradingDirector's analytics database (in the group's own temporary folder).
    public var analyticsPath: String { Self.analyticsPath(processes) }

    static func analyticsPath(_ processes: ProcessGroup) -> String { "\(processes.logDirectory)/analytics.sqlite" }

    /// The processes of `topology` in start order, named as `launch.sh` names them: the bus, then
    /// per agent either the agent or, when it has replicas, `NAME-broker` and `NAME#1`….
    public static func processNames(_ topology: Topology) -> [String] {
        [busName] + AgentName.startOrder.flatMap { agent -> [String] in
            let count = topology.agents[agent.rawValue]?.replicaCount ?? 1
            return count > 1 ? ["\(agent.rawValue)-broker"] + (1...count).map { replicaName(agent, $0) } : [agent.rawValue]
        }
    }

    /// Starts `name`: its executable, or the `command` its topology entry names (absolute paths
    /// in tests, as nothing changes the working folder); `NAME-broker` runs `bus broker --agent
    /// NAME`, `NAME#I` runs NAME's executable with `--replica I`.
    static func launch(_ name: String, fixture: TestTopology, processes: ProcessGroup) throws -> ProcessGroup.Handle {
        if name.hasSuffix("-broker") {
            return try processes.start(busName, ["broker", "--topology", fixture.path, "--agent", String(name.dropLast("-broker".count))])
        }
        if let hash = name.firstIndex(of: "#") {
            return try processes.start(String(name[..<hash]), ["--topology", fixture.path, "--replica", String(name[name.index(after: hash)...])])
        }
        let arguments = arguments(for: name, fixture: fixture, processes: processes)
        if let command = fixture.topology.agents[name]?.command, !command.isEmpty {
            return try processes.start(path: "/usr/bin/env", command + arguments)
        }
        return try processes.start(name, arguments)
    }

    /// The executable that runs the five agents in one process.
    public static let allAgents = "all-agents"

    static func arguments(for name: String, fixture: TestTopology, processes: ProcessGroup) -> [String] {
        switch name {
        case allAgents: ["--topology", fixture.path, "--ledger", ledgerPath(processes), "--analytics", analyticsPath(processes)]
        case AgentName.marketMaker.rawValue: ["--topology", fixture.path, "--ledger", ledgerPath(processes)]
        case AgentName.tradingDirector.rawValue: ["--topology", fixture.path, "--analytics", analyticsPath(processes)]
        default: ["--topology", fixture.path]
        }
    }

    /// Starts another process of `name` with the arguments the first one had, and waits until it
    /// answers `ping` (for an agent; for `all-agents`, until every agent does).
    public func restart(_ name: String, timeout: Duration = .seconds(30)) async throws -> ProcessGroup.Handle {
        let handle = try Self.launch(name, fixture: fixture, processes: processes)
        let agents = name == Self.allAgents ? AgentName.startOrder : AgentName(rawValue: name).map { [$0] } ?? []
        if !agents.isEmpty {
            let loop = try MessageLoop(name: "restart")
            do {
                for agent in agents { try await awaitPing(agent, handle: handle, loop: loop, timeout: timeout) }
                await loop.shutdown()
            } catch {
                await loop.shutdown()
                throw error
            }
        }
        return handle
    }

    private func awaitPing(_ agent: AgentName, handle: ProcessGroup.Handle, loop: MessageLoop, timeout: Duration) async throws {
        let client = try await RequestClient.connect(loop: loop, peer: agent.rawValue, endpoint: try topology.endpoint(of: agent).endpoint,
                                                     source: "harness", policy: RequestPolicy(attemptTimeout: .milliseconds(500), attempts: 1),
                                                     curve: try topology.curve(to: agent.rawValue))
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while (try? await client.request(PingRequest(), trace: .root())) == nil {
            guard processes.isRunning(handle) else { throw TestFailure("\(agent.rawValue) exited on restart:\n\(processes.log(handle))") }
            guard ContinuousClock.now < deadline else { throw TestFailure("\(agent.rawValue) did not answer ping within \(timeout) of restarting") }
        }
    }

    private func awaitAgents(timeout: Duration) async throws {
        let loop = try MessageLoop(name: "harness")
        do {
            try await awaitAgents(loop: loop, timeout: timeout)
            await loop.shutdown()
        } catch {
            await loop.shutdown()
            throw error
        }
    }

    private func awaitAgents(loop: MessageLoop, timeout: Duration) async throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        for agent in AgentName.startOrder {
            let client = try await RequestClient.connect(loop: loop, peer: agent.rawValue, endpoint: try topology.endpoint(of: agent).endpoint,
                                                         source: "harness", policy: RequestPolicy(attemptTimeout: .milliseconds(500), attempts: 1),
                                                         curve: try topology.curve(to: agent.rawValue))
            while (try? await client.request(PingRequest(), trace: .root())) == nil {
                if let handle = handles[agent.rawValue] ?? handles[Self.allAgents], !processes.isRunning(handle) {
                    throw TestFailure("\(handle.name) exited during start-up:\n\(processes.log(handle))")
                }
                guard ContinuousClock.now < deadline else { throw TestFailure("\(agent.rawValue) did not answer ping within \(timeout)") }
            }
        }
    }

    /// Stops every process (SIGTERM, then SIGKILL after `grace`).
    public func stop(grace: Duration = .seconds(5)) async { await processes.stop(grace: grace) }

    /// Starts a topology, runs `body` with it, and stops every process afterwards, whether
    /// `body` returned or threw.
    public static func run<T>(extra: String = "", agentExtras: [String: String] = [:], secure: Bool = false,
                              layout: AgentLayout = .processes,
                              prelude: (TestTopology, ProcessGroup) throws -> Void = { _, _ in },
                              _ body: (RunningTopology) async throws -> T) async throws -> T {
        let running = try await start(extra: extra, agentExtras: agentExtras, secure: secure, layout: layout, prelude: prelude)
        do {
            let result = try await body(running)
            await running.stop()
            return result
        } catch {
            await running.stop()
            throw error
        }
    }
}
