import WireFormat
import WireProtocol

/// How HedgeBus records become OpenTelemetry spans. Each record maps on its own, so an agent
/// pushing the spans of what it publishes and `hedgectl trace export` reading a whole recording
/// produce the same spans:
///
/// - a `trace` event (one side of a req/rep hop) is a span of the side that published it:
///   the server side is a `SERVER` span whose id is the request's message id, so everything the
///   request caused (whose `parent_id` is the request's id) nests under the handler that did it;
///   the client side is a `CLIENT` span with an id derived from the request's (`clientSpanId`),
///   the server span's parent, itself the child of the message that caused the request;
/// - every other message published on the bus is a `PRODUCER` span of its source, with the
///   message id as span id and its parent's id as parent span, at the time it was sent (a
///   message can cause further work — a signal its hops, a fill its hedge — so it is a span
///   rather than a span event); an exit, whose parent is the opening signal in another trace,
///   links to it instead;
/// - heartbeats, market ticks and tick-round account events are left out, as in `hedgectl trace show`.
public enum OTLPMapping {
    /// The scope name every span carries.
    public static let scopeName = "hedgebus"

    /// The span of `record`; nil for heartbeats, market ticks and tick-round account events.
    public static func span(of record: TraceRecord) -> OTLPSpan? {
        guard !record.isBackground else { return nil }
        guard TraceID.isValid(record.traceId) else { return nil }
        if record.type == EventType.trace { return hopSpan(record) }
        return messageSpan(record)
    }

    /// The request of every span, grouped by service (one resource each, sorted by name). A
    /// message published again under its own id (`hedgectl inject` re-sends a signal until it is
    /// decided) is one span: the first of those with the same trace and span id is kept.
    public static func request(_ spans: [OTLPSpan]) -> OTLPTraceRequest {
        var seen = Set<String>()
        let unique = spans.filter { seen.insert($0.traceId + "/" + $0.spanId).inserted }
        let byService = Dictionary(grouping: unique, by: \.service)
        return OTLPTraceRequest(resourceSpans: byService.keys.sorted().map { service in
            OTLPResourceSpans(resource: .init(attributes: [OTLPKeyValue("service.name", .string(service)),
                                                           OTLPKeyValue("service.namespace", .string("hedgebus"))]),
                              scopeSpans: [.init(scope: .init(name: scopeName, version: nil), spans: byService[service] ?? [])])
        })
    }

    /// The request of every record's span.
    public static func request(_ records: [TraceRecord]) -> OTLPTraceRequest {
        request(records.compactMap(span(of:)))
    }

    /// The span id of the message `id`: the id itself when it is 16 hex digits (as every
    /// HedgeBus agent makes them), else a hash of it.
    public static func spanId(_ id: String) -> String {
        isSpanId(id) ? id : hashedId(id)
    }

    /// The id of the client side of the request `requestId` (the server side has the request's own).
    public static func clientSpanId(_ requestId: String) -> String {
        hashedId("\(requestId)/client")
    }

    private static func hopSpan(_ record: TraceRecord) -> OTLPSpan {
        let p = record.payload
        let requestId = p["request_id"]?.string ?? record.parentId ?? record.id
        let isServer = p["role"]?.string == "server"
        let type = p["request_type"]?.string ?? "request"
        let outcome = p["outcome"]?.string ?? "ok"
        let startUs = p["start_us"]?.number.map { Int64($0) } ?? record.ts
        let endUs = p["end_us"]?.number.map { Int64($0) } ?? record.ts
        var attributes = [OTLPKeyValue("rpc.system", .string("hedgebus")), OTLPKeyValue("rpc.method", .string(type)),
                          OTLPKeyValue("hedgebus.request.id", .string(requestId)),
                          OTLPKeyValue("hedgebus.outcome", .string(outcome)),
                          OTLPKeyValue("hedgebus.message.id", .string(record.id))]
        if let peer = p["peer"]?.string { attributes.append(OTLPKeyValue("peer.service", .string(peer))) }
        if let reply = p["reply_id"]?.string { attributes.append(OTLPKeyValue("hedgebus.reply.id", .string(reply))) }
        if let attempts = p["attempts"]?.number { attributes.append(OTLPKeyValue("hedgebus.attempts", .int(Int64(attempts)))) }
        if let detail = p["detail"]?.string { attributes.append(OTLPKeyValue("hedgebus.detail", .string(detail))) }
        let status: OTLPSpan.Status = outcome == "ok" ? .ok : .error(p["detail"]?.string ?? outcome)
        let parent = isServer ? clientSpanId(requestId) : p["request_parent_id"]?.string.map(spanId)
        return OTLPSpan(service: record.source, traceId: record.traceId,
                        spanId: isServer ? spanId(requestId) : clientSpanId(requestId), parentSpanId: parent,
                        name: type, kind: isServer ? .server : .client, startUs: startUs, endUs: endUs,
                        attributes: attributes, status: status)
    }

    private static func messageSpan(_ record: TraceRecord) -> OTLPSpan {
        var attributes = [OTLPKeyValue("messaging.system", .string("zeromq")),
                          OTLPKeyValue("messaging.operation", .string("publish")),
                          OTLPKeyValue("messaging.destination.name", .string(record.symbol.map { "\(record.type).\($0)" } ?? record.type)),
                          OTLPKeyValue("hedgebus.message.id", .string(record.id))]
        if case .object(let fields) = record.payload {
            attributes += fields.keys.sorted().map { OTLPKeyValue("hedgebus.payload.\($0)", value(fields[$0] ?? .null)) }
        }
        var parent = record.parentId.map(spanId)
        var links: [OTLPSpan.Link]?
        // An exit starts a trace of its own; its parent, the opening signal, is in another one.
        if let opening = record.payload["opening_trace_id"]?.string, opening != record.traceId, TraceID.isValid(opening), let parentId = record.parentId {
            links = [OTLPSpan.Link(traceId: opening, spanId: spanId(parentId),
                                   attributes: [OTLPKeyValue("hedgebus.link", .string("opening_signal"))])]
            parent = nil
        }
        var status = OTLPSpan.Status.unset
        if record.type == EventType.decision, record.payload["outcome"]?.string == "failed" {
            status = .error(record.payload["reason"]?.string)
        }
        return OTLPSpan(service: record.source, traceId: record.traceId, spanId: spanId(record.id), parentSpanId: parent,
                        name: record.type, kind: .producer, startUs: record.ts, endUs: record.ts,
                        attributes: attributes, links: links, status: status)
    }

    /// A payload value as an attribute value: integers as `intValue`, objects as key/value lists.
    static func value(_ json: JSONValue) -> OTLPAnyValue {
        switch json {
        case .null: .empty
        case .bool(let value): .bool(value)
        case .number(let value): value.rounded() == value && abs(value) < 9e15 ? .int(Int64(value)) : .double(value)
        case .string(let value): .string(value)
        case .array(let items): .array(items.map(value))
        case .object(let fields): .keyValues(fields.keys.sorted().map { OTLPKeyValue($0, value(fields[$0] ?? .null)) })
        }
    }

    private static func isSpanId(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.count == 16 && bytes.contains { $0 != UInt8(ascii: "0") }
            && bytes.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    /// FNV-1a (64 bits) of `text` as 16 hex digits, never all zeros.
    private static func hashedId(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash == 0 ? 1 : hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
