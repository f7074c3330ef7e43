import WireFormat
import WireProtocol

/// Publishes events on the bus: what an agent's logic needs from its publisher.
///
/// The `AgentNode` conforms (in `AgentRuntime`); tests record what is published.
public protocol EventPublishing: Sendable {
    /// Publishes `payload` as an envelope of `type` under `topic` in `trace`, and returns it.
    @discardableResult
    func publish<P: MessagePayload>(_ payload: P, type: String, topic: String, trace: TraceContext) -> Envelope<P>

    /// Runs `work` (publishing events, logging, counting) once what is under way has left: the
    /// reply a handler is about to return is sent first, so events that no reply waits for do not
    /// hold it up. Pieces of work run in the order they were handed over. By default `work` runs
    /// at once.
    func afterPendingSends(_ work: @escaping @Sendable () -> Void)

    /// Whether the agents this one answers run on its loop (all of them in one process), so a
    /// reply resumes their work there and what must follow that work waits for the loop to be
    /// idle (`afterPendingSends`). False where a reply leaves the process: the loop's next job
    /// runs once the reply is sent. True by default.
    var sharesLoopWithPeers: Bool { get }
}

extension EventPublishing {
    public func afterPendingSends(_ work: @escaping @Sendable () -> Void) { work() }
    public var sharesLoopWithPeers: Bool { true }
}
