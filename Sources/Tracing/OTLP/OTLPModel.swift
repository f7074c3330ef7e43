/// The OTLP/JSON encoding of an `ExportTraceServiceRequest` (opentelemetry-proto
/// `collector/trace/v1`): what `hedgectl trace export --otlp` writes and what agents POST to an
/// OTLP/HTTP collector. Field names are the protobuf JSON names; as the OTLP specification
/// requires, trace and span ids are lowercase hex (not base64), enums are integers and 64-bit
/// integers (times, `intValue`) are decimal strings.
public struct OTLPTraceRequest: Sendable, Codable, Equatable {
    /// One entry per service (agent) that produced spans.
    public var resourceSpans: [OTLPResourceSpans]

    /// A request holding these resources.
    public init(resourceSpans: [OTLPResourceSpans]) { self.resourceSpans = resourceSpans }
}

/// The spans of one resource, i.e. one HedgeBus process (`service.name` = its agent name).
public struct OTLPResourceSpans: Sendable, Codable, Equatable {
    /// The resource's attributes (`service.name`, `service.namespace`).
    public struct Resource: Sendable, Codable, Equatable {
        public var attributes: [OTLPKeyValue]
    }

    /// The spans of one instrumentation scope.
    public struct ScopeSpans: Sendable, Codable, Equatable {
        /// The instrumentation scope: HedgeBus itself.
        public struct Scope: Sendable, Codable, Equatable {
            public var name: String
            public var version: String?
        }
        public var scope: Scope
        public var spans: [OTLPSpan]
    }

    public var resource: Resource
    public var scopeSpans: [ScopeSpans]
}

/// One span: a req/rep hop seen from one side, or one bus message.
public struct OTLPSpan: Sendable, Codable, Equatable {
    /// `Span.SpanKind` as the integers OTLP/JSON uses.
    public enum Kind: Int, Sendable, Codable {
        case `internal` = 1, server = 2, client = 3, producer = 4, consumer = 5
    }

    /// `Status`: `code` 0 unset, 1 ok, 2 error.
    public struct Status: Sendable, Codable, Equatable {
        public var code: Int
        public var message: String?

        public static let unset = Status(code: 0)
        public static let ok = Status(code: 1)
        public static func error(_ message: String?) -> Status { Status(code: 2, message: message) }
    }

    /// A link to a span of another trace (an exit's link to the signal that opened the position).
    public struct Link: Sendable, Codable, Equatable {
        public var traceId: String
        public var spanId: String
        public var attributes: [OTLPKeyValue]?
    }

    public var traceId: String
    public var spanId: String
    public var parentSpanId: String?
    public var name: String
    public var kind: Kind
    public var startTimeUnixNano: String
    public var endTimeUnixNano: String
    public var attributes: [OTLPKeyValue]
    public var links: [Link]?
    public var status: Status

    /// The service (agent) that produced the span; not part of the span's encoding, it picks
    /// the span's resource.
    public var service = ""

    enum CodingKeys: String, CodingKey {
        case traceId, spanId, parentSpanId, name, kind, startTimeUnixNano, endTimeUnixNano, attributes, links, status
    }

    /// A span of `service`, times in microseconds since the Unix epoch.
    public init(service: String, traceId: String, spanId: String, parentSpanId: String?, name: String, kind: Kind,
                startUs: Int64, endUs: Int64, attributes: [OTLPKeyValue], links: [Link]? = nil, status: Status = .unset) {
        self.traceId = traceId
        self.spanId = spanId
        self.parentSpanId = parentSpanId
        self.name = name
        self.kind = kind
        startTimeUnixNano = String(startUs * 1_000)
        endTimeUnixNano = String(max(startUs, endUs) * 1_000)
        self.attributes = attributes
        self.links = links
        self.status = status
        self.service = service
    }
}

/// An attribute: a key and a typed value.
public struct OTLPKeyValue: Sendable, Codable, Equatable {
    public var key: String
    public var value: OTLPAnyValue

    /// The attribute `key` = `value`.
    public init(_ key: String, _ value: OTLPAnyValue) {
        self.key = key
        self.value = value
    }
}

/// `AnyValue`: exactly one of its typed fields is set.
public indirect enum OTLPAnyValue: Sendable, Codable, Equatable {
    case string(String)
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case array([OTLPAnyValue])
    case keyValues([OTLPKeyValue])
    /// A JSON `null`: an `AnyValue` with no field set.
    case empty

    private struct Values<Element: Codable & Sendable & Equatable>: Codable, Equatable, Sendable { var values: [Element] }

    enum CodingKeys: String, CodingKey {
        case stringValue, boolValue, intValue, doubleValue, arrayValue, kvlistValue
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .string(let value): try container.encode(value, forKey: .stringValue)
        case .bool(let value): try container.encode(value, forKey: .boolValue)
        case .int(let value): try container.encode(String(value), forKey: .intValue)
        case .double(let value): try container.encode(value, forKey: .doubleValue)
        case .array(let values): try container.encode(Values(values: values), forKey: .arrayValue)
        case .keyValues(let values): try container.encode(Values(values: values), forKey: .kvlistValue)
        case .empty: break
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let value = try container.decodeIfPresent(String.self, forKey: .stringValue) { self = .string(value) }
        else if let value = try container.decodeIfPresent(Bool.self, forKey: .boolValue) { self = .bool(value) }
        else if let text = try? container.decodeIfPresent(String.self, forKey: .intValue), let value = Int64(text) { self = .int(value) }
        else if let value = try container.decodeIfPresent(Int64.self, forKey: .intValue) { self = .int(value) }
        else if let value = try container.decodeIfPresent(Double.self, forKey: .doubleValue) { self = .double(value) }
        else if let list = try container.decodeIfPresent(Values<OTLPAnyValue>.self, forKey: .arrayValue) { self = .array(list.values) }
        else if let list = try container.decodeIfPresent(Values<OTLPKeyValue>.self, forKey: .kvlistValue) { self = .keyValues(list.values) }
        else { self = .empty }
    }
}
