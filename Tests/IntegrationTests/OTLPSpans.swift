import Foundation
import HedgeBusTesting
import WireFormat

/// The spans `Interop/otlp_spans.py` read with the official opentelemetry-proto package.
struct ParsedSpan: Decodable {
    struct Link: Decodable {
        let traceId: String
        let spanId: String
        enum CodingKeys: String, CodingKey { case traceId = "trace_id", spanId = "span_id" }
    }

    let service: String
    let traceId: String
    let spanId: String
    let parentSpanId: String
    let name: String
    let kind: String
    let startNs: UInt64
    let endNs: UInt64
    let status: String
    let attributes: [String: AttributeValue]
    let links: [Link]

    enum CodingKeys: String, CodingKey {
        case service, traceId = "trace_id", spanId = "span_id", parentSpanId = "parent_span_id", name, kind
        case startNs = "start_ns", endNs = "end_ns", status, attributes, links
    }

    /// A string attribute.
    func string(_ key: String) -> String? { if case .string(let value) = attributes[key] { value } else { nil } }
}

/// An attribute value as the parser printed it (scalars only are compared).
enum AttributeValue: Decodable {
    case string(String)
    case number(Double)
    case other

    init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if let text = try? single.decode(String.self) { self = .string(text) }
        else if let number = try? single.decode(Double.self) { self = .number(number) }
        else { self = .other }
    }
}

/// Runs the opentelemetry-proto parser of `Interop/otlp_spans.py`.
enum OTLPParser {
    static let script = SchemaValidation.interop.appendingPathComponent("otlp_spans.py").path

    /// The spans of one line the script printed (`{"spans": [...]}`); throws on `{"error": …}`.
    static func spans(ofLine line: Substring) throws -> [ParsedSpan] {
        struct Line: Decodable { let spans: [ParsedSpan]?; let error: String? }
        let decoded = try JSONDecoder().decode(Line.self, from: Data(line.utf8))
        if let error = decoded.error { throw TestFailure("opentelemetry-proto could not read the spans: \(error)") }
        return decoded.spans ?? []
    }

    /// The envelopes of a JSON Lines recording.
    static func recorded(_ path: String) throws -> [Envelope<JSONValue>] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            .map { try JSONEnvelopeCodec().decode(JSONValue.self, from: Data($0.utf8)) }
    }

    /// Parses the OTLP/JSON file at `path` in `processes`, bounded in time.
    static func parse(_ path: String, in processes: ProcessGroup) async throws -> [ParsedSpan] {
        let handle = try processes.start(path: "/usr/bin/env", ["python3", script, "parse", path])
        let status = await processes.exitStatus(handle, within: .seconds(60))
        let output = processes.log(handle)
        guard status == 0, let line = output.split(separator: "\n").last(where: { $0.hasPrefix("{") }) else {
            throw TestFailure("otlp_spans.py parse exited \(status.map(String.init) ?? "late"):\n\(output)")
        }
        return try spans(ofLine: line)
    }
}

/// Checks on the spans of one trace.
struct SpanTree {
    let spans: [ParsedSpan]

    /// The one span named `name` of `kind` from `service`.
    func one(_ name: String, _ kind: String, from service: String) throws -> ParsedSpan {
        let found = spans.filter { $0.name == name && $0.kind == kind && $0.service == service }
        guard found.count == 1 else {
            throw TestFailure("expected one \(kind) span '\(name)' from \(service), found \(found.count) among \(spans.map { "\($0.service)/\($0.name)/\($0.kind)" })")
        }
        return found[0]
    }

    /// A hop's client span (from `caller`, under `parent`) and server span (from `callee`, under the client).
    func hop(_ name: String, from caller: String, to callee: String) throws -> (client: ParsedSpan, server: ParsedSpan) {
        (try one(name, "SPAN_KIND_CLIENT", from: caller), try one(name, "SPAN_KIND_SERVER", from: callee))
    }
}
