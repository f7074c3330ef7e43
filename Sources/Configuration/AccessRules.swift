/// Who may do what on a CURVE topology, by authenticated identity (never by a message's
/// `source`): which requests each server answers for whom, which accounts the ExecutionAgent
/// trades, which topics each identity may publish and which prefixes it may subscribe to.
public struct AccessRules: Sendable, Hashable {
    /// The identities that may publish `signal.*`.
    public let signalPublishers: Set<String>
    /// The identities that may subscribe to `inventory.*`, `account.*`, `fill.*`, `liquidation.*`
    /// and `funding.*`.
    public let inventoryReaders: Set<String>
    /// The accounts orders may be submitted, cancelled or replaced for.
    public let executionAccounts: Set<String>
    /// Whether the MarketMaker runs hedge legs (it then calls `execute` too).
    public let hedging: Bool

    /// The rules `topology` configures.
    public init(topology: Topology) {
        let security = topology.security
        signalPublishers = Set(security.signalPublishers)
        inventoryReaders = Set(security.inventoryReaders)
        let hedgeAccounts = topology.market.hedges.flatMap { [$0.from, $0.to] }
        executionAccounts = Set(security.executionAccounts ?? [topology.director.account] + hedgeAccounts)
        hedging = !topology.market.hedges.isEmpty
    }

    /// Request types that move money and the one identity that may send them.
    static let orderRequests: Set<String> = ["order.submit", "order.cancel", "order.replace"]

    /// Why `identity` may not send `type` to `server`, or nil when it may (the account of an
    /// order request is checked separately with `mayTrade(account:)`).
    public func refusal(of type: String, by identity: String, to server: AgentName) -> String? {
        let allowed: Set<String>
        switch (server, type) {
        case (.marketMaker, let order) where Self.orderRequests.contains(order):
            allowed = [AgentName.executionAgent.rawValue]
        case (.executionAgent, "execute"):
            allowed = hedging ? [AgentName.tradingDirector.rawValue, AgentName.marketMaker.rawValue] : [AgentName.tradingDirector.rawValue]
        case (.riskManager, "assess"):
            allowed = [AgentName.tradingDirector.rawValue]
        default:
            return nil
        }
        guard !allowed.contains(identity) else { return nil }
        return "\(identity) may not call '\(type)' on \(server.rawValue) (only \(allowed.sorted().joined(separator: ", ")) may)"
    }

    /// Whether `type` is an order request whose account must be one the ExecutionAgent trades.
    public func isOrderRequest(_ type: String) -> Bool { Self.orderRequests.contains(type) }

    /// Whether orders may be placed for `account`.
    public func mayTrade(account: String) -> Bool { executionAccounts.contains(account) }

    /// The identities that may publish topics of `kind` (the part before the first dot); nil
    /// for `heartbeat` and `trace`, whose qualifier must be the publisher itself.
    static func publishers(of kind: Substring, signalPublishers: Set<String>) -> Set<String>? {
        switch kind {
        case "signal": signalPublishers
        case "market", "fill", "inventory", "account", "quote", "hedge", "liquidation", "funding": [AgentName.marketMaker.rawValue]
        case "decision", "exit": [AgentName.tradingDirector.rawValue]
        case "analysis": [AgentName.quantAnalyst.rawValue]
        case "risk": [AgentName.riskManager.rawValue]
        case "order": [AgentName.executionAgent.rawValue]
        case "heartbeat", "trace": nil
        default: []
        }
    }

    /// Whether `identity` may publish on `topic`: each topic kind has its one publisher (signals
    /// their listed publishers), heartbeats and traces only under the publisher's own name — or,
    /// for the replicas and the broker of an agent, which share its keys, under a replica's name
    /// `identity#N` or the broker's `identity-broker` — and kinds the pipeline does not use no one.
    public func mayPublish(_ identity: String, topic: String) -> Bool {
        let kind = topic.prefix(while: { $0 != "." })
        guard let allowed = Self.publishers(of: kind, signalPublishers: signalPublishers) else {
            let qualifier = topic.dropFirst(kind.count + 1)
            guard kind.count < topic.count, qualifier.hasPrefix(identity) else { return false }
            let replica = qualifier.dropFirst(identity.count)
            return replica.isEmpty || replica == "-broker"
                || (replica.first == "#" && replica.count > 1 && replica.dropFirst().allSatisfy { $0.isASCII && $0.isNumber })
        }
        return allowed.contains(identity)
    }

    /// Topic prefixes only `inventoryReaders` may receive: what an account holds, pays and loses.
    static let privatePrefixes = ["inventory.", "account.", "fill.", "liquidation.", "funding."]

    /// Whether `identity` may subscribe to `prefix`: any listed identity may, unless the prefix
    /// would deliver inventory, accounts or fills and the identity is not an inventory reader.
    public func maySubscribe(_ identity: String, prefix: String) -> Bool {
        if inventoryReaders.contains(identity) { return true }
        return !Self.privatePrefixes.contains { $0.hasPrefix(prefix) || prefix.hasPrefix($0) }
    }
}
