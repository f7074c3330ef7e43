/// Optional CURVE security: whether it is on, where the keys are, which identities may connect
/// to each server, and who may inject signals, read inventory and fills, and trade which accounts.
/// Identities are key names: `<keys_dir>/<name>.pub`, and the agent or client holding
/// `<name>.secret`. Agents use their own names; `hedgectl` uses `operator` unless told otherwise.
public struct SecuritySection: Sendable, Decodable, Hashable {
    /// Every socket speaks CURVE and every server authenticates through ZAP.
    public var curve: Bool = false
    /// The keys folder; a relative path is read from the topology file's folder.
    public var keysDir: String = "../run/keys"
    /// Per server (`bus` or an agent name), the identities whose keys it accepts. A server
    /// without an entry gets its default: the bus every agent and `operator`; each agent its
    /// callers in the pipeline and `operator`.
    public var clients: [String: [String]] = [:]
    /// Identities that may publish `signal.*` (besides no one: agents never do).
    public var signalPublishers: [String] = ["operator"]
    /// Identities that may subscribe to `inventory.*` and `fill.*` (the MarketMaker publishes them).
    public var inventoryReaders: [String] = [AgentName.riskManager.rawValue, "operator"]
    /// The accounts the ExecutionAgent may submit, cancel and replace orders for; when absent,
    /// the director's account and the accounts of every hedge leg.
    public var executionAccounts: [String]?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case curve, keysDir = "keys_dir", clients, signalPublishers = "signal_publishers"
        case inventoryReaders = "inventory_readers", executionAccounts = "execution_accounts"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.update(&curve, .curve)
        try c.update(&keysDir, .keysDir)
        try c.update(&clients, .clients)
        try c.update(&signalPublishers, .signalPublishers)
        try c.update(&inventoryReaders, .inventoryReaders)
        executionAccounts = try c.decodeIfPresent([String].self, forKey: .executionAccounts)
    }

    /// The identity `hedgectl` uses when none is given.
    public static let operatorIdentity = "operator"

    /// The identities `server` (`bus` or an agent's name) accepts.
    public func clients(of server: String) -> [String] {
        if let listed = clients[server] { return listed }
        let callers: [AgentName] = switch AgentName(rawValue: server) {
        case nil: AgentName.allCases
        case .tradingDirector?: []
        case .quantAnalyst?, .riskManager?: [.tradingDirector]
        case .executionAgent?: [.tradingDirector, .marketMaker]
        case .marketMaker?: [.riskManager, .executionAgent, .tradingDirector]
        }
        return callers.map(\.rawValue) + [Self.operatorIdentity]
    }

    /// Every identity named anywhere in the section (each needs a key).
    public func identities(agents: [String]) -> [String] {
        let servers = [busName] + agents
        var seen = Set<String>(), ordered: [String] = []
        for name in servers + servers.flatMap(clients(of:)) + signalPublishers + inventoryReaders where seen.insert(name).inserted {
            ordered.append(name)
        }
        return ordered
    }
}
