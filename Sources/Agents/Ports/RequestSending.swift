import WireFormat
import WireProtocol

/// Sends requests to one peer agent and returns its `ok` replies: what an agent's logic needs
/// from a req/rep client. A remote `error` reply, a timeout or an unreachable peer is thrown
/// as a `ProtocolError`.
///
/// The ZeroMQ `RequestClient` conforms (in `AgentRuntime`); tests answer in-process.
public protocol RequestSending: Sendable {
    /// Sends `payload` in `trace` and returns the reply.
    func request<R: RequestPayload>(_ payload: R, trace: TraceContext) async throws(ProtocolError) -> Envelope<R.Reply>
}
