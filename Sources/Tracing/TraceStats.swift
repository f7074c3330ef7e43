import WireFormat
import WireProtocol

/// Latency per req/rep hop type and end to end, over any set of records.
public struct TraceStats: Sendable {
    /// One row: a hop type seen from one side, or the end-to-end cycle.
    public struct Row: Sendable, Hashable {
        public let name: String
        /// Milliseconds.
        public let latency: Percentiles
    }

    public let rows: [Row]

    /// Client-side time per request type (what the caller waited), server-side handler time per
    /// request type, and signal → decision per trace.
    public init(records: [TraceRecord]) {
        var samples: [String: [Double]] = [:]
        for record in records where record.type == EventType.trace {
            let p = record.payload
            guard let type = p["request_type"]?.string, let role = p["role"]?.string,
                  let start = p["start_us"]?.number, let end = p["end_us"]?.number else { continue }
            samples["\(type) (\(role == "client" ? "round trip" : "handler"))", default: []].append((end - start) / 1_000)
        }
        var signals: [String: Int64] = [:]
        for record in records where record.type == EventType.signal { signals[record.id] = record.ts }
        for record in records where record.type == EventType.decision {
            if let parent = record.parentId, let sent = signals[parent] {
                samples["end to end (signal → decision)", default: []].append(Double(record.ts - sent) / 1_000)
            }
        }
        rows = samples.compactMap { name, values in Percentiles(values).map { Row(name: name, latency: $0) } }
            .sorted { ($0.name.hasPrefix("end to end") ? 1 : 0, $0.name) < ($1.name.hasPrefix("end to end") ? 1 : 0, $1.name) }
    }
}
