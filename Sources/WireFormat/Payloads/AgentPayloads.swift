/// `heartbeat.<agent>`: published at least once a second by every agent and the bus.
public struct HeartbeatPayload: MessagePayload, Hashable {
    public var agent: String
    public var pid: Int32
    public var seq: Int
    public var uptimeMs: Int64
    /// The agent's req/rep endpoint, when it has one.
    public var endpoint: String?
    /// Envelopes handled since start.
    public var handled: Int
    /// Requests answered with `error`, and inbound messages dropped as malformed.
    public var errors: Int
    /// Conditions a person should know about (e.g. failed hedges); absent when all is well.
    public var notes: [String]?

    enum CodingKeys: String, CodingKey {
        case agent, pid, seq, uptimeMs = "uptime_ms", endpoint, handled, errors, notes
    }

    /// Creates a heartbeat.
    public init(agent: String, pid: Int32, seq: Int, uptimeMs: Int64, endpoint: String?, handled: Int, errors: Int, notes: [String]? = nil) {
        self.notes = notes
        self.agent = agent
        self.pid = pid
        self.seq = seq
        self.uptimeMs = uptimeMs
        self.endpoint = endpoint
        self.handled = handled
        self.errors = errors
    }
}

/// `ping`: answered by every agent's req/rep endpoint; used to wait for start-up.
public struct PingRequest: RequestPayload, Hashable {
    public static var requestType: String { "ping" }
    public typealias Reply = HeartbeatPayload

    /// Creates a ping.
    public init() {}
}

/// `error`: the reply to a request that could not be processed.
public struct ErrorPayload: MessagePayload, Hashable {
    public var code: ProtocolError.Code
    public var message: String

    /// Creates an error payload.
    public init(_ error: ProtocolError) {
        code = error.code
        message = error.message
    }

    /// The error this payload carries.
    public var error: ProtocolError { ProtocolError(code, message) }
}

/// `trace.<agent>`: one req/rep hop, published by the side that sent it and by the side that
/// answered it, so a trace shows hops that never cross the bus.
public struct TraceEventPayload: MessagePayload, Hashable {
    /// `client` (sent the request) or `server` (answered it).
    public var role: String
    public var requestType: String
    public var requestId: String
    /// Id of the message that caused the request (the request's own `parent_id`), so hops nest
    /// under what triggered them.
    public var requestParentId: String?
    public var replyId: String?
    /// The other side: an agent name or endpoint.
    public var peer: String
    public var startUs: Int64
    public var endUs: Int64
    /// `ok`, `error`, `timeout` or `unreachable`.
    public var outcome: String
    public var attempts: Int
    public var detail: String?

    enum CodingKeys: String, CodingKey {
        case role, requestType = "request_type", requestId = "request_id", requestParentId = "request_parent_id"
        case replyId = "reply_id", peer
        case startUs = "start_us", endUs = "end_us", outcome, attempts, detail
    }

    /// Creates a trace event.
    public init(role: String, requestType: String, requestId: String, requestParentId: String?, replyId: String?, peer: String,
                startUs: Int64, endUs: Int64, outcome: String, attempts: Int, detail: String?) {
        self.role = role
        self.requestType = requestType
        self.requestId = requestId
        self.requestParentId = requestParentId
        self.replyId = replyId
        self.peer = peer
        self.startUs = startUs
        self.endUs = endUs
        self.outcome = outcome
        self.attempts = attempts
        self.detail = detail
    }
}

/// `metrics`: answered by every agent with its metrics in Prometheus text exposition format.
public struct MetricsRequest: RequestPayload, Hashable {
    public static var requestType: String { "metrics" }
    public typealias Reply = MetricsReport

    /// Creates a request.
    public init() {}
}

/// `metrics.ok`: an agent's counters, gauges and histograms.
public struct MetricsReport: MessagePayload, Hashable {
    public var agent: String
    /// Prometheus text exposition format (version 0.0.4).
    public var exposition: String

    /// Creates a report.
    public init(agent: String, exposition: String) {
        self.agent = agent
        self.exposition = exposition
    }
}
