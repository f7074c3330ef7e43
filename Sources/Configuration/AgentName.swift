/// The processes of a HedgeBus topology, by their wire names.
public enum AgentName: String, Sendable, Hashable, CaseIterable, Codable {
    case tradingDirector = "trading-director"
    case quantAnalyst = "quant-analyst"
    case riskManager = "risk-manager"
    case executionAgent = "execution-agent"
    case marketMaker = "market-maker"

    /// Whether every request it answers depends only on the request and on what it reads from the
    /// bus, so several replicas may answer them interchangeably.
    public var isStateless: Bool { self == .quantAnalyst || self == .executionAgent }

    /// Start-up order: the venue first, the director (which starts cycles) last.
    public static let startOrder: [AgentName] = [.marketMaker, .quantAnalyst, .riskManager, .executionAgent, .tradingDirector]
}

/// The bus's name in heartbeats and traces.
public let busName = "bus"

/// The name a replica of `agent` carries on the wire (`source`, heartbeats, trace events):
/// `quant-analyst#2` for the second of several.
public func replicaName(_ agent: AgentName, _ index: Int) -> String { "\(agent.rawValue)#\(index)" }

/// The name the request broker of a replicated `agent` carries in its heartbeats, logs and
/// process table: `quant-analyst-broker`.
public func brokerName(_ agent: AgentName) -> String { "\(agent.rawValue)-broker" }
