import Foundation

/// `otlp`: where agents push their spans over OTLP/HTTP (JSON), e.g.
/// `{"endpoint": "http://127.0.0.1:4318/v1/traces", "interval_ms": 1000}`. Absent, nothing is pushed.
public struct OTLPSection: Sendable, Decodable, Hashable {
    /// The collector's traces URL: plain `http://host:port/path` (no TLS).
    public var endpoint: String
    /// How often a batch is sent, in milliseconds.
    public var intervalMs: Int = 1_000
    /// Spans an agent keeps waiting for the next batch; beyond it new spans are dropped and counted.
    public var maxQueue: Int = 8_192
    /// Spans sent in one request at most; a fuller queue is sent in several.
    public var maxBatch: Int = 1_024
    /// How long one POST may take (connect, send, answer) before it is abandoned, in milliseconds.
    public var timeoutMs: Int = 2_000

    enum CodingKeys: String, CodingKey {
        case endpoint, intervalMs = "interval_ms", maxQueue = "max_queue", maxBatch = "max_batch", timeoutMs = "timeout_ms"
    }

    /// A section pushing to `endpoint`, every other setting at its default.
    public init(endpoint: String) { self.endpoint = endpoint }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        endpoint = try c.decode(String.self, forKey: .endpoint)
        try c.update(&intervalMs, .intervalMs)
        try c.update(&maxQueue, .maxQueue)
        try c.update(&maxBatch, .maxBatch)
        try c.update(&timeoutMs, .timeoutMs)
    }

    /// The endpoint's parts.
    public struct Target: Sendable, Hashable {
        public var host: String
        public var port: Int
        public var path: String

        /// `path` on `host:port`.
        public init(host: String, port: Int, path: String) {
            self.host = host
            self.port = port
            self.path = path
        }
    }

    /// The endpoint as host, port (80 when absent) and path; nil when it is not `http://host[:port][/path]`.
    public var target: Target? {
        guard let url = URL(string: endpoint), url.scheme == "http", let host = url.host, !host.isEmpty else { return nil }
        let port = url.port ?? 80
        guard (1...65_535).contains(port) else { return nil }
        let path = url.path.isEmpty ? "/" : url.path
        return Target(host: host, port: port, path: url.query.map { "\(path)?\($0)" } ?? path)
    }

    /// Why the section cannot be used, if it cannot.
    var problem: String? {
        if target == nil { return "otlp.endpoint '\(endpoint)' is not an http://host:port/path URL" }
        guard intervalMs >= 10, maxQueue > 0, maxBatch > 0, timeoutMs > 0 else {
            return "otlp.interval_ms must be at least 10, and max_queue, max_batch and timeout_ms positive"
        }
        return nil
    }
}
