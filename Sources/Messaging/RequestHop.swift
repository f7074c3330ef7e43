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

/// What a client or server reports its finished hops to (an agent publishes them as
/// `trace.<agent>` events).
public struct HopObserver: Sendable {
    /// Whether a hop that went well would be used now. Asked before such a hop is built, so one
    /// that nobody would take costs nothing (its strings were copied into a `RequestHop` for
    /// every hop, docs/PERFORMANCE.md, change 118); a hop that failed is always reported.
    public let wantsRoutine: @Sendable () -> Bool
    /// Called once per finished hop that is reported; must not block.
    public let observe: @Sendable (RequestHop) -> Void

    /// Reports every hop to `observe`, or with `wantsRoutine` only the failed ones and, while
    /// it says so, those that went well.
    public init(wantsRoutine: @escaping @Sendable () -> Bool = { true }, _ observe: @escaping @Sendable (RequestHop) -> Void) {
        self.wantsRoutine = wantsRoutine
        self.observe = observe
    }

    /// Whether a hop that ended with `outcome` (`ok`, or a failure) is reported now.
    func wants(_ outcome: String) -> Bool { outcome != "ok" || wantsRoutine() }
}
