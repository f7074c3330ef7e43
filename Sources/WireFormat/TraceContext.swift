import Foundation

/// Where a new message sits in a trace: the trace it belongs to and the message that caused it.
public struct TraceContext: Sendable, Hashable {
    /// W3C trace-id of the cycle.
    public var traceId: String
    /// Id of the causing message; nil starts a new root.
    public var parentId: String?

    /// Creates a context.
    @inlinable
    public init(traceId: String, parentId: String?) {
        self.traceId = traceId
        self.parentId = parentId
    }

    /// A new trace with no parent.
    public static func root() -> TraceContext { TraceContext(traceId: TraceID.make(), parentId: nil) }

    /// The context for messages caused by `envelope`.
    @inlinable
    public static func caused<P>(by envelope: Envelope<P>) -> TraceContext {
        TraceContext(traceId: envelope.traceId, parentId: envelope.id)
    }
}

extension Envelope {
    /// A new envelope with a fresh id and the current time, placed in `trace`.
    @inlinable
    public static func make(type: String, source: String, trace: TraceContext, payload: Payload) -> Envelope {
        Envelope(id: MessageID.make(), type: type, traceId: trace.traceId, parentId: trace.parentId,
                 source: source, ts: WallClock.micros(), payload: payload)
    }
}

/// Unix time in microseconds, as envelopes carry it.
public enum WallClock {
    /// Now, in microseconds since the Unix epoch.
    public static func micros() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
    }
}
