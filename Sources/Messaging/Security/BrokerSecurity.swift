/// What a CURVE request broker enforces. It stands in for the replicated agent, with the agent's
/// own keypair on both sides: its frontend is the agent's endpoint (clients pin the agent's key,
/// exactly as for a single process, and its ZAP domain accepts the agent's listed clients); its
/// backend accepts only the agent's own key, so only processes holding the agent's secret key can
/// attach as replicas, and the replicas, pinning that key, know every request comes from the
/// broker — which is why they may trust the caller identity the broker hands them with each one.
public struct BrokerSecurity: Sendable {
    /// The replicated agent's keypair.
    public var keys: CurveKeyPair
    /// The ZAP domain of the frontend: the agent's name.
    public var frontendDomain: String
    /// The ZAP domain of the backend (`<agent>.replicas`).
    public var backendDomain: String
    /// Accepted keys per domain.
    public var zap: ZAPPolicy

    /// A broker for `agent` with the agent's `keys`, accepting on each side what `zap` lists for
    /// `agent` and `backendDomain(of: agent)`.
    public init(agent: String, keys: CurveKeyPair, zap: ZAPPolicy) {
        self.keys = keys
        self.frontendDomain = agent
        self.backendDomain = Self.backendDomain(of: agent)
        self.zap = zap
    }

    /// The ZAP domain of the backend where `agent`'s replicas connect.
    public static func backendDomain(of agent: String) -> String { "\(agent).replicas" }
}
