import Agents
import Messaging
import WireFormat
import WireProtocol

/// The ZeroMQ client is how agents send requests in a deployment; its own policy (timeouts,
/// attempts) applies. The cycle's request types are answered by `request(_:trace:policy:)`
/// specialized for each (see `RequestSending`).
extension RequestClient: RequestSending {
    public func request<R: RequestPayload>(_ payload: R, trace: TraceContext) async throws(ProtocolError) -> Envelope<R.Reply> {
        try await request(payload, trace: trace, policy: nil)
    }

    public func request(_ payload: AnalyzeRequest, trace: TraceContext) async throws(ProtocolError) -> Envelope<AnalysisReport> {
        try await request(payload, trace: trace, policy: nil)
    }

    public func request(_ payload: AssessRequest, trace: TraceContext) async throws(ProtocolError) -> Envelope<RiskVerdict> {
        try await request(payload, trace: trace, policy: nil)
    }

    public func request(_ payload: ExecuteRequest, trace: TraceContext) async throws(ProtocolError) -> Envelope<OrderReport> {
        try await request(payload, trace: trace, policy: nil)
    }

    public func request(_ payload: OrderSubmit, trace: TraceContext) async throws(ProtocolError) -> Envelope<OrderReport> {
        try await request(payload, trace: trace, policy: nil)
    }
}

/// The node's bus publisher is how agents publish events in a deployment.
extension AgentNode: EventPublishing {}
