import WireFormat
import WireProtocol

/// Sends requests to one peer agent and returns its `ok` replies: what an agent's logic needs
/// from a req/rep client. A remote `error` reply, a timeout or an unreachable peer is thrown
/// as a `ProtocolError`.
///
/// The ZeroMQ `RequestClient` conforms (in `AgentRuntime`); tests answer in-process.
///
/// Besides the generic `request`, the requests of a trading cycle (analyze, assess, execute,
/// order.submit) have requirements of their own, which a call with one of those payloads picks
/// over the generic one. Through an `any RequestSending` a generic requirement runs its
/// conformance's code unspecialized, looking up the envelope's and reply's generic metadata at
/// run time on every request; a conformance that implements these (as `RequestClient` does)
/// answers them with code specialized for the type. By default they go to `request`.
public protocol RequestSending: Sendable {
    /// Sends `payload` in `trace` and returns the reply.
    func request<R: RequestPayload>(_ payload: R, trace: TraceContext) async throws(ProtocolError) -> Envelope<R.Reply>
    /// Sends an analysis request (`analyze`) and returns the analyst's report.
    func request(_ payload: AnalyzeRequest, trace: TraceContext) async throws(ProtocolError) -> Envelope<AnalysisReport>
    /// Sends a risk assessment request (`assess`) and returns the verdict.
    func request(_ payload: AssessRequest, trace: TraceContext) async throws(ProtocolError) -> Envelope<RiskVerdict>
    /// Sends an order to execute (`execute`) and returns its report.
    func request(_ payload: ExecuteRequest, trace: TraceContext) async throws(ProtocolError) -> Envelope<OrderReport>
    /// Sends an order to the venue (`order.submit`) and returns its report.
    func request(_ payload: OrderSubmit, trace: TraceContext) async throws(ProtocolError) -> Envelope<OrderReport>
}

extension RequestSending {
    public func request(_ payload: AnalyzeRequest, trace: TraceContext) async throws(ProtocolError) -> Envelope<AnalysisReport> {
        try await generic(payload, trace: trace)
    }

    public func request(_ payload: AssessRequest, trace: TraceContext) async throws(ProtocolError) -> Envelope<RiskVerdict> {
        try await generic(payload, trace: trace)
    }

    public func request(_ payload: ExecuteRequest, trace: TraceContext) async throws(ProtocolError) -> Envelope<OrderReport> {
        try await generic(payload, trace: trace)
    }

    public func request(_ payload: OrderSubmit, trace: TraceContext) async throws(ProtocolError) -> Envelope<OrderReport> {
        try await generic(payload, trace: trace)
    }

    /// The generic requirement, which a call with a concrete payload type would not pick.
    private func generic<R: RequestPayload>(_ payload: R, trace: TraceContext) async throws(ProtocolError) -> Envelope<R.Reply> {
        try await request(payload, trace: trace)
    }
}
