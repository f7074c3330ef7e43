import Agents
import Synchronization
import WireFormat
import WireProtocol

/// A publisher that records like `RecordingPublisher` and holds the work handed to
/// `afterPendingSends` until the test runs it, as a message loop holds it until its sends are out.
public final class DeferringPublisher: EventPublishing {
    /// What was published so far.
    public let recorded: RecordingPublisher
    private let held = Mutex<[@Sendable () -> Void]>([])

    /// Whether the agents it answers share its loop, as in one process (the default).
    public let sharesLoopWithPeers: Bool

    /// A publisher whose envelopes name `source`; with `sharesLoopWithPeers` false, one of an
    /// agent that runs as a process of its own.
    public init(source: String, sharesLoopWithPeers: Bool = true) {
        recorded = RecordingPublisher(source: source)
        self.sharesLoopWithPeers = sharesLoopWithPeers
    }

    @discardableResult
    public func publish<P: MessagePayload>(_ payload: P, type: String, topic: String, trace: TraceContext) -> Envelope<P> {
        recorded.publish(payload, type: type, topic: topic, trace: trace)
    }

    public func afterPendingSends(_ work: @escaping @Sendable () -> Void) {
        held.withLock { $0.append(work) }
    }

    /// Pieces of work held.
    public var heldCount: Int { held.withLock { $0.count } }

    /// Runs the work held so far, in the order it was handed over.
    public func runHeld() {
        let work = held.withLock { held in
            defer { held.removeAll() }
            return held
        }
        for piece in work { piece() }
    }
}
