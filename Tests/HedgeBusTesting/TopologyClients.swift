import AgentRuntime
import Configuration
import Messaging

extension Topology {
    /// The CURVE client role with which `identity` (by default the operator) connects to
    /// `server`; nil on a topology without CURVE.
    public func curve(to server: String, as identity: String = SecuritySection.operatorIdentity) throws -> CurveRole? {
        try TopologyCredentials.load(topology: self, identity: identity)?.client(of: server)
    }
}
