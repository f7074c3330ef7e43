// The hand-written JSON form of a payload kept as plain JSON (`JSONValue`): how trace records
// are read, from a recording (`hedgectl trace`) or from the envelopes the span push maps.

extension JSONValue: FastWireCodable {
    public static let fastJSON: FastJSONForm<JSONValue>? = FastJSONForm(
        encode: { envelope throws(ProtocolError) in try FastEnvelopeCoding.encodeEnvelope(envelope) },
        decode: { data throws(ProtocolError) in try FastEnvelopeCoding.decodeEnvelope(JSONValue.self, from: data) },
        decodeOpened: { message throws(ProtocolError) in try FastEnvelopeCoding.decodeOpened(JSONValue.self, from: message) })

    /// As `encode(to:)` writes it: an integral number below 10¹⁵ as an integer, members in the
    /// byte order of their names; a non-finite number declines.
    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        switch self {
        case .null:
            out.append("null")
        case .bool(let value):
            out.append(value ? "true" : "false")
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 {
                JSONWriter.appendInteger(Int64(value), to: out)
            } else {
                guard value.isFinite else { throw FastPathDeclined() }
                JSONWriter.appendDouble(value, to: out)
            }
        case .string(let value):
            JSONWriter.appendQuoted(value, to: out)
        case .array(let items):
            try out.appendArray(items) { item throws(FastPathDeclined) in try item.writeFastJSON(to: out) }
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (position, name) in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.appendQuoted(name, to: out)
                out.append(UInt8(ascii: ":"))
                try members[name]?.writeFastJSON(to: out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// As `init(from:)` reads it. A member name with escapes or bytes beyond ASCII, or one
    /// repeated, declines: the `Codable` path compares names as Swift strings.
    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        switch value.next {
        case UInt8(ascii: "{"):
            _ = try value.open()
            var members: [String: JSONValue] = [:]
            var first = true
            while try value.nextMember(first: &first) {
                let name = try value.plainName()
                try value.skipColon()
                guard members.updateValue(try JSONValue(fastJSON: value), forKey: name) == nil else { throw FastPathDeclined() }
            }
            self = .object(members)
        case UInt8(ascii: "["):
            self = .array(try value.array { element throws(FastPathDeclined) in try JSONValue(fastJSON: element) })
        case UInt8(ascii: "\""):
            self = .string(try value.string())
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            self = .bool(try value.bool())
        case UInt8(ascii: "n"):
            _ = try value.readNull()
            self = .null
        default:
            self = .number(try value.double())
        }
    }
}
