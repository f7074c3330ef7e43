import Foundation
import Trading

/// One of the processes a topology runs: what decides its settings of its own (`cpus`).
public enum TopologyProcess: Sendable, Hashable {
    /// The bus.
    case bus
    /// An agent's process: the agent itself, one of its replicas, or the broker in front of them.
    case agent(AgentName)
    /// The five agents and the bus in one process (`all-agents`).
    case allAgents
}

/// A deployment: where the bus and each agent listen, and how each agent is configured.
/// Read from a JSON file (snake_case keys); every field but the endpoints has a default.
public struct Topology: Sendable, Decodable, Hashable {
    /// The bus's two sides and its optional capture tap.
    public struct Bus: Sendable, Decodable, Hashable {
        /// Publishers connect here (the bus binds an XSUB).
        public var publish: String
        /// Subscribers connect here (the bus binds an XPUB).
        public var subscribe: String
        /// Where the bus republishes a copy of every message for tapping, if set.
        public var capture: String?
        /// Where the bus binds its XSUB, when it differs from `publish` (e.g. `tcp://0.0.0.0:7100`
        /// while publishers on other hosts connect to `tcp://10.0.0.1:7100`).
        public var publishBind: String?
        /// Where the bus binds its XPUB, when it differs from `subscribe`.
        public var subscribeBind: String?
        /// Where the bus binds its capture tap, when it differs from `capture`.
        public var captureBind: String?
        /// The CPUs the bus process runs on, when they differ from the topology's `cpus`.
        public var cpus: CPUList?

        /// A bus at these endpoints, binding where clients connect.
        public init(publish: String, subscribe: String, capture: String? = nil) {
            self.publish = publish
            self.subscribe = subscribe
            self.capture = capture
        }

        /// The address the XSUB binds.
        public var publishBindAddress: String { publishBind ?? publish }
        /// The address the XPUB binds.
        public var subscribeBindAddress: String { subscribeBind ?? subscribe }
        /// The address the capture tap binds, when there is one.
        public var captureBindAddress: String? { capture.map { captureBind ?? $0 } }

        enum CodingKeys: String, CodingKey {
            case publish, subscribe, capture, publishBind = "publish_bind", subscribeBind = "subscribe_bind", captureBind = "capture_bind", cpus
        }
    }

    /// One agent's req/rep endpoint.
    public struct Endpoint: Sendable, Decodable, Hashable {
        /// Where clients connect.
        public var endpoint: String
        /// Where the agent binds, when it differs (e.g. `tcp://*:7110` on a multi-host deployment).
        public var bind: String?
        /// Where to serve Prometheus metrics over HTTP (`tcp://127.0.0.1:9110`), when set.
        public var metrics: String?
        /// A program to run as this agent instead of its Swift executable (e.g. `["python3",
        /// "../python/examples/quant_analyst.py"]`), started from the topology file's folder with
        /// `--topology FILE` appended.
        public var command: [String]?
        /// How many processes serve this endpoint (1 when absent). Above 1 (stateless agents
        /// only), a broker binds `endpoint` and spreads requests over the replicas, which
        /// connect to `backend`.
        public var replicas: Int?
        /// Where the replicas of a replicated agent connect to its broker.
        public var backend: String?
        /// Where the broker binds for its replicas, when it differs from `backend` (e.g.
        /// `tcp://0.0.0.0:7120` while replicas on other hosts connect to `tcp://10.0.0.2:7120`).
        public var backendBind: String?
        /// The CPUs this agent's processes (and its broker's) run on, when they differ from the
        /// topology's `cpus`.
        public var cpus: CPUList?

        /// The address to bind.
        public var bindAddress: String { bind ?? endpoint }
        /// The address the broker of a replicated agent binds for its replicas.
        public var backendBindAddress: String? { backend.map { backendBind ?? $0 } }
        /// How many processes serve this endpoint.
        public var replicaCount: Int { replicas ?? 1 }
        /// Whether a broker stands in front of replicas connecting to `backend`.
        public var isReplicated: Bool { replicaCount > 1 }

        enum CodingKeys: String, CodingKey {
            case endpoint, bind, metrics, command, replicas, backend, backendBind = "backend_bind", cpus
        }
    }

    public var bus: Bus
    public var agents: [String: Endpoint]
    public var heartbeatMs: Int = 500
    /// How long each agent's message loop, with nothing to do while a request it made awaits its
    /// reply, keeps polling (yielding its CPU between polls) before it sleeps
    /// (`MessageLoop.busyPoll`), while the machine has a CPU to spare; 0 sleeps at once. Spends
    /// CPU while a loop waits to spare the wake-up of a sleeping thread per reply.
    public var busyPollUs: Int = Topology.defaultBusyPollUs
    /// `busy_poll_us` when the file does not say: long enough for the replies of a cycle's quick
    /// hops on loopback (a round trip is about 90 µs on this project's machine).
    public static let defaultBusyPollUs = 250
    /// How every process of the topology schedules libzmq's I/O threads (`io_thread_policy`):
    /// `auto` unless the file says `batch` or `normal` (docs/PERFORMANCE.md, changes 158 and 162).
    public var ioThreadPolicy: ThreadPolicy = .auto
    /// How every process of the topology schedules its own threads, every one but libzmq's I/O
    /// threads: its message loops, the MarketMaker's ledger writer, the stores' checkpointers,
    /// the concurrency pool (`thread_policy`): `auto` unless the file says `batch` or `normal`
    /// (docs/PERFORMANCE.md, changes 161 and 162).
    public var threadPolicy: ThreadPolicy = .auto
    /// The CPUs every process of the topology runs on (each of its threads, libzmq's included),
    /// unless `bus.cpus` or an agent's `cpus` says otherwise; nil leaves them where the system
    /// puts them. On a machine whose idle CPUs halt (most virtual machines), a wake-up from one
    /// CPU to another costs more than the work of a message; keeping a process's threads on one
    /// CPU keeps its wake-ups there.
    public var cpus: CPUList?
    public var requestTimeoutMs: Int = 2_000
    public var requestAttempts: Int = 3
    public var logLevel: String = "info"
    public var market: MarketSection = MarketSection()
    public var accounts: [AccountSection] = [AccountSection()]
    public var analyst: AnalystSection = AnalystSection()
    public var risk: RiskSection = RiskSection()
    public var director: DirectorSection = DirectorSection()
    public var security: SecuritySection = SecuritySection()
    /// Where agents push their spans (OTLP/HTTP); nil: they push nothing.
    public var otlp: OTLPSection?
    /// Whether the file has a `security` section (then its keys folder is resolved against the
    /// file's folder and `hedgectl keys` may use it).
    public var hasSecuritySection = false

    /// A topology of the bus and agents at these endpoints, every other setting at its default.
    public init(bus: Bus, agents: [String: Endpoint]) {
        self.bus = bus
        self.agents = agents
    }

    enum CodingKeys: String, CodingKey {
        case bus, agents, heartbeatMs = "heartbeat_ms", busyPollUs = "busy_poll_us", ioThreadPolicy = "io_thread_policy", threadPolicy = "thread_policy", cpus
        case requestTimeoutMs = "request_timeout_ms", requestAttempts = "request_attempts", logLevel = "log_level", market, accounts, analyst, risk, director, security, otlp
    }

    /// The CPUs `process` runs on and the key that says so (`agents.NAME.cpus`, `bus.cpus` or
    /// the topology's `cpus`), or nil when the topology leaves it where the system puts it.
    public func cpus(of process: TopologyProcess) -> (list: CPUList, key: String)? {
        switch process {
        case .bus:
            if let own = bus.cpus { return (own, "bus.cpus") }
        case .agent(let agent):
            if let own = agents[agent.rawValue]?.cpus { return (own, "agents.\(agent.rawValue).cpus") }
        case .allAgents:
            break
        }
        return cpus.map { ($0, "cpus") }
    }

    /// `busy_poll_us` as a duration, for `MessageLoop(busyPoll:)`.
    public var busyPoll: Duration { .microseconds(busyPollUs) }

    /// How long the RiskManager waits for one attempt of its `inventory.get` to the MarketMaker
    /// (two attempts): a third of the director's `assess` attempt, so when the MarketMaker does
    /// not answer the RiskManager says so before the director gives up on the RiskManager.
    public var riskVenueAttemptMs: Int {
        max(20, director.stepAttemptMs(attempts: requestAttempts) / 3)
    }

    /// How long a request server keeps a reply for a retry of its request: the longest any
    /// client of this topology keeps retrying one request (the agents' `request_timeout_ms` ×
    /// `request_attempts`, the director's `step_timeout_ms`, a hedge leg's attempts), plus a
    /// second. A client's last retry leaves within that time of its first attempt, which left
    /// before the reply was made, so no retry can come once a reply is that old.
    public var replyRetentionMs: Int {
        let hedgeAttempts = market.hedges.map(\.attempts).max() ?? 0
        let longest = max(Self.saturatingProduct(requestTimeoutMs, requestAttempts), director.stepTimeoutMs,
                          Self.saturatingProduct(HedgeSection.attemptTimeoutMs, hedgeAttempts))
        return min(longest, Int(Int32.max) - 1_000) + 1_000
    }

    private static func saturatingProduct(_ a: Int, _ b: Int) -> Int {
        let product = a.multipliedReportingOverflow(by: b)
        return product.overflow ? Int.max : product.partialValue
    }

    /// The endpoint of `agent`, or a configuration error naming what is missing.
    public func endpoint(of agent: AgentName) throws(TopologyError) -> Endpoint {
        guard let entry = agents[agent.rawValue] else {
            throw TopologyError("the topology has no entry agents.\(agent.rawValue).endpoint")
        }
        return entry
    }
}

/// A topology file that cannot be used, with what to fix.
public struct TopologyError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
