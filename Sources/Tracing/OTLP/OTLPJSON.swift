import Foundation
import WireFormat

/// Why a request cannot be written as OTLP/JSON: a `doubleValue` that is not finite.
public struct OTLPJSONError: Error, CustomStringConvertible {
    public let description: String
}

extension OTLPTraceRequest {
    /// The request as OTLP/JSON, written straight into one buffer: the document `JSONEncoder`
    /// with `.sortedKeys` makes of it (members in the byte order of their names, the order it
    /// sorts these names into; numbers and escapes as it writes them), except that `/` is not
    /// escaped, as in every HedgeBus message. What the span push posts.
    public func json() throws(OTLPJSONError) -> Data {
        let out = ByteBuffer(capacity: 16_384)
        var object = JSONObjectWriter(out)
        object.name("resourceSpans")
        try out.appendArray(resourceSpans) { resource throws(OTLPJSONError) in try OTLPJSONWriter.write(resource, to: out) }
        object.close()
        return out.takeData()
    }
}

/// The members of each OTLP/JSON object, in the byte order of their names (`JSONObjectWriter`
/// checks it in debug builds); optionals left out when nil, as synthesized `Codable` does.
enum OTLPJSONWriter {
    static func write(_ resourceSpans: OTLPResourceSpans, to out: ByteBuffer) throws(OTLPJSONError) {
        var object = JSONObjectWriter(out)
        object.name("resource")
        var resource = JSONObjectWriter(out)
        resource.name("attributes")
        try attributes(resourceSpans.resource.attributes, to: out)
        resource.close()
        object.name("scopeSpans")
        try out.appendArray(resourceSpans.scopeSpans) { scopeSpans throws(OTLPJSONError) in
            var members = JSONObjectWriter(out)
            members.name("scope")
            var scope = JSONObjectWriter(out)
            scope.string("name", scopeSpans.scope.name)
            scope.optionalString("version", scopeSpans.scope.version)
            scope.close()
            members.name("spans")
            try out.appendArray(scopeSpans.spans) { span throws(OTLPJSONError) in try write(span, to: out) }
            members.close()
        }
        object.close()
    }

    static func write(_ span: OTLPSpan, to out: ByteBuffer) throws(OTLPJSONError) {
        var object = JSONObjectWriter(out)
        object.name("attributes")
        try attributes(span.attributes, to: out)
        object.string("endTimeUnixNano", span.endTimeUnixNano)
        object.integer("kind", span.kind.rawValue)
        if let links = span.links {
            object.name("links")
            try out.appendArray(links) { link throws(OTLPJSONError) in
                var members = JSONObjectWriter(out)
                if let linkAttributes = link.attributes {
                    members.name("attributes")
                    try attributes(linkAttributes, to: out)
                }
                members.string("spanId", link.spanId)
                members.string("traceId", link.traceId)
                members.close()
            }
        }
        object.string("name", span.name)
        object.optionalString("parentSpanId", span.parentSpanId)
        object.string("spanId", span.spanId)
        object.string("startTimeUnixNano", span.startTimeUnixNano)
        object.name("status")
        var status = JSONObjectWriter(out)
        status.integer("code", span.status.code)
        status.optionalString("message", span.status.message)
        status.close()
        object.string("traceId", span.traceId)
        object.close()
    }

    static func attributes(_ attributes: [OTLPKeyValue], to out: ByteBuffer) throws(OTLPJSONError) {
        try out.appendArray(attributes) { attribute throws(OTLPJSONError) in
            var object = JSONObjectWriter(out)
            object.string("key", attribute.key)
            object.name("value")
            try value(attribute.value, to: out)
            object.close()
        }
    }

    /// An `AnyValue`: one member named for its type (`intValue` a decimal string), or none.
    static func value(_ value: OTLPAnyValue, to out: ByteBuffer) throws(OTLPJSONError) {
        var object = JSONObjectWriter(out)
        switch value {
        case .string(let text):
            object.string("stringValue", text)
        case .bool(let flag):
            object.bool("boolValue", flag)
        case .int(let number):
            object.string("intValue", String(number))
        case .double(let number):
            do { try object.double("doubleValue", number) } catch { throw OTLPJSONError(description: "doubleValue \(number) is not a JSON number") }
        case .array(let values):
            object.name("arrayValue")
            var array = JSONObjectWriter(out)
            array.name("values")
            try out.appendArray(values) { element throws(OTLPJSONError) in try self.value(element, to: out) }
            array.close()
        case .keyValues(let values):
            object.name("kvlistValue")
            var kvlist = JSONObjectWriter(out)
            kvlist.name("values")
            try attributes(values, to: out)
            kvlist.close()
        case .empty:
            break
        }
        object.close()
    }
}
