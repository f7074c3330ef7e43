/// The processes of a HedgeBus topology, by their wire names.
public enum AgentName: String, Sendable, Hashable, CaseIterable, Codable {
    case tradingDirector = "trading-director"
    case quantAnalyst = "quant-analyst"
    case riskManager = "risk-manager"
    case executionAgent = "execution-agent"
    case marketMaker = "market-maker"

    /// Start-up order: the venue first, the director (which starts cycles) last.
    public static let startOrder: [AgentName] = [.marketMaker, .quantAnalyst, .riskManager, .executionAgent, .tradingDirector]
}

/// The bus's name in heartbeats and traces.
public let busName = "bus"
