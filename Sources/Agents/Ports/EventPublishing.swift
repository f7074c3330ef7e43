import WireFormat
import WireProtocol

/// Publishes events on the bus: what an agent's logic needs from its publisher.
///
/// The `AgentNode` conforms (in `AgentRuntime`); tests record what is published.
public protocol EventPublishing: Sendable {
    /// Publishes `payload` as an envelope of `type` under `topic` in `trace`, and returns it.
    @discardableResult
    func publish<P: MessagePayload>(_ payload: P, type: String, topic: String, trace: TraceContext) -> Envelope<P>
}
