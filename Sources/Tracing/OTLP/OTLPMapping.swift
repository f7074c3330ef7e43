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

    /// The span id of the message `id`: the id itself when it is 16 hex digits (as HedgeBus
    /// agents made them before ids had 15), the id after a `0` when it is 15 (as they make them
    /// now: the same number), else a hash of it.
    public static func spanId(_ id: String) -> String {
        if isHexId(id, digits: 16) { return id }
        if isHexId(id, digits: 15) { return "0" + id }
        return hashedId(id)
    }

    /// The id of the client side of the request `requestId` (the server side has the request's own).
    public static func clientSpanId(_ requestId: String) -> String {
        hashedId("\(requestId)/client")
    }

    /// The span of an envelope as an agent published it: what `span(of:)` gives for the same
    /// envelope encoded and read back as a record. A hop's trace event is mapped from its fields
    /// without that round trip; any other payload goes through it, since its attributes are the
    /// members of its JSON form.
    public static func span<P: MessagePayload>(published envelope: Envelope<P>) -> OTLPSpan? {
        guard envelope.type == EventType.trace, let hop = envelope.payload as? TraceEventPayload else {
            guard let body = try? JSONEnvelopeCodec().encode(envelope), let record = TraceRecord.decode(body) else { return nil }
            return span(of: record)
        }
        // What decoding the record would have checked (a trace event is never background).
        guard (try? envelope.validate()) != nil else { return nil }
        return hopSpan(Hop(hop), source: envelope.source, traceId: envelope.traceId, messageId: envelope.id)
    }

    /// The fields of one side's trace event of a hop that its span is made of.
    private struct Hop {
        var requestId: String, requestParentId: String?, replyId: String?
        var isServer: Bool
        var type: String, outcome: String, peer: String?, detail: String?
        var startUs: Int64, endUs: Int64
        var attempts: Int64?

        /// The event of a record, with defaults for what it lacks.
        init(_ record: TraceRecord) {
            let p = record.payload
            requestId = p["request_id"]?.string ?? record.parentId ?? record.id
            requestParentId = p["request_parent_id"]?.string
            replyId = p["reply_id"]?.string
            isServer = p["role"]?.string == "server"
            type = p["request_type"]?.string ?? "request"
            outcome = p["outcome"]?.string ?? "ok"
            peer = p["peer"]?.string
            detail = p["detail"]?.string
            startUs = p["start_us"]?.number.map { Int64($0) } ?? record.ts
            endUs = p["end_us"]?.number.map { Int64($0) } ?? record.ts
            attempts = p["attempts"]?.number.map { Int64($0) }
        }

        /// The event as published (times below 2⁵³ µs, as every real one, read back the same).
        init(_ event: TraceEventPayload) {
            requestId = event.requestId
            requestParentId = event.requestParentId
            replyId = event.replyId
            isServer = event.role == "server"
            type = event.requestType
            outcome = event.outcome
            peer = event.peer
            detail = event.detail
            startUs = event.startUs
            endUs = event.endUs
            attempts = Int64(event.attempts)
        }
    }

    private static func hopSpan(_ record: TraceRecord) -> OTLPSpan {
        hopSpan(Hop(record), source: record.source, traceId: record.traceId, messageId: record.id)
    }

    private static func hopSpan(_ hop: Hop, source: String, traceId: String, messageId: String) -> OTLPSpan {
        var attributes = [OTLPKeyValue("rpc.system", .string("hedgebus")), OTLPKeyValue("rpc.method", .string(hop.type)),
                          OTLPKeyValue("hedgebus.request.id", .string(hop.requestId)),
                          OTLPKeyValue("hedgebus.outcome", .string(hop.outcome)),
                          OTLPKeyValue("hedgebus.message.id", .string(messageId))]
        if let peer = hop.peer { attributes.append(OTLPKeyValue("peer.service", .string(peer))) }
        if let reply = hop.replyId { attributes.append(OTLPKeyValue("hedgebus.reply.id", .string(reply))) }
        if let attempts = hop.attempts { attributes.append(OTLPKeyValue("hedgebus.attempts", .int(attempts))) }
        if let detail = hop.detail { attributes.append(OTLPKeyValue("hedgebus.detail", .string(detail))) }
        let status: OTLPSpan.Status = hop.outcome == "ok" ? .ok : .error(hop.detail ?? hop.outcome)
        let parent = hop.isServer ? clientSpanId(hop.requestId) : hop.requestParentId.map(spanId)
        return OTLPSpan(service: source, traceId: traceId,
                        spanId: hop.isServer ? spanId(hop.requestId) : clientSpanId(hop.requestId), parentSpanId: parent,
                        name: hop.type, kind: hop.isServer ? .server : .client, startUs: hop.startUs, endUs: hop.endUs,
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

    /// Whether `text` is `digits` lowercase hex digits, not all zeros.
    private static func isHexId(_ text: String, digits: Int) -> Bool {
        let bytes = text.utf8
        return bytes.count == digits && bytes.contains { $0 != UInt8(ascii: "0") }
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
