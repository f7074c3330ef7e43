import Agents
import Messaging
import WireFormat
import WireProtocol

/// The ZeroMQ client is how agents send requests in a deployment; its own policy (timeouts,
/// attempts) applies.
extension RequestClient: RequestSending {
    public func request<R: RequestPayload>(_ payload: R, trace: TraceContext) async throws(ProtocolError) -> Envelope<R.Reply> {
        try await request(payload, trace: trace, policy: nil)
    }
}

/// The node's bus publisher is how agents publish events in a deployment.
extension AgentNode: EventPublishing {}
