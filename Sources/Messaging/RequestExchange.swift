import WireFormat

/// What a `RequestClient` records of a request type, taken once where the request is made so
/// that the exchange and its records need not be generic.
@usableFromInline
struct RequestKind: Sendable {
    /// The payload type, as the metrics' key.
    @usableFromInline let type: ObjectIdentifier
    /// The envelope `type` of the request.
    @usableFromInline let requestType: String

    @inlinable
    init<R: RequestPayload>(_: R.Type) {
        type = ObjectIdentifier(R.self)
        requestType = R.requestType
    }
}

/// A request sent, as its client records it when it ends (metrics and hop).
@usableFromInline
struct SentRequest: Sendable {
    let id: String
    let kind: RequestKind
    let trace: TraceContext
    /// When it was first sent, in microseconds since the Unix epoch.
    let started: Int64
    let attempts: Int

    @usableFromInline
    init(id: String, kind: RequestKind, trace: TraceContext, started: Int64, attempts: Int) {
        self.id = id
        self.kind = kind
        self.trace = trace
        self.started = started
        self.attempts = attempts
    }
}
