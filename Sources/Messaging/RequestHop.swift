import WireFormat

/// A finished req/rep hop as seen by one side; agents publish these as `trace.<agent>` events.
public struct RequestHop: Sendable, Hashable {
    /// Which side saw the hop.
    public enum Role: String, Sendable { case client, server }

    public var role: Role
    public var requestType: String
    public var requestId: String
    public var replyId: String?
    /// Trace and parent of the request itself.
    public var trace: TraceContext
    public var peer: String
    public var startUs: Int64
    public var endUs: Int64
    /// `ok`, `error`, `timeout` or `unreachable`.
    public var outcome: String
    public var attempts: Int
    public var detail: String?

    /// The hop as a wire payload.
    public var payload: TraceEventPayload {
        TraceEventPayload(role: role.rawValue, requestType: requestType, requestId: requestId,
                          requestParentId: trace.parentId, replyId: replyId,
                          peer: peer, startUs: startUs, endUs: endUs, outcome: outcome, attempts: attempts, detail: detail)
    }
}

/// Called once per finished hop; must not block.
public typealias HopObserver = @Sendable (RequestHop) -> Void
