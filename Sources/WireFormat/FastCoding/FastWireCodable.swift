import Foundation

/// A type with a hand-written JSON form next to its `Codable` one, for the messages of every
/// cycle. Both forms must agree byte for byte (members in byte order of their names, numbers
/// and strings written by `JSONWriter`) and accept the same input with the same values; where
/// the fast form is unsure it declines and the `Codable` form runs instead.
package protocol FastWireCodable {
    /// Writes the value as `WireJSONEncoder` would.
    func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined)
    /// Reads the value as `WireJSONDecoder` would, or declines.
    init(fastJSON value: JSONValueReader) throws(FastPathDeclined)
}

/// The envelope around a `FastWireCodable` payload, without `Codable`: one pass to write it and
/// one scan to read it, header and payload together. Nil means "use the `Codable` path".
package enum FastEnvelopeCoding {
    /// Envelope members in byte order: id, parent_id, payload, source, trace_id, ts, type, v.
    private static let keys = JSONKeyTable("id", "parent_id", "payload", "source", "trace_id", "ts", "type", "v")

    /// The bytes `WireJSONEncoder` writes for `envelope`, or nil when its payload has no fast form
    /// or holds a value only the `Codable` path handles (a non-finite number).
    package static func encode<P: MessagePayload>(_ envelope: Envelope<P>) -> Data? {
        guard let payloadType = P.self as? any FastWireCodable.Type else { return nil }
        return encode(envelope, as: payloadType)
    }

    private static func encode<P: MessagePayload, Fast: FastWireCodable>(_ envelope: Envelope<P>, as type: Fast.Type) -> Data? {
        guard let payload = envelope.payload as? Fast else { return nil }
        let out = ByteBuffer(capacity: 512)
        var object = JSONObjectWriter(out)
        object.string("id", envelope.id)
        object.stringOrNull("parent_id", envelope.parentId)
        do { try object.value("payload", payload) } catch { return nil }
        object.string("source", envelope.source)
        object.string("trace_id", envelope.traceId)
        object.integer("ts", envelope.ts)
        object.string("type", envelope.type)
        object.integer("v", envelope.v)
        object.close()
        return out.takeData()
    }

    /// The envelope `WireJSONDecoder` reads from `data`, or nil when the payload type has no fast
    /// form or the input is anything but a well-formed envelope of it (the `Codable` path then
    /// reads it or reports the error). Not validated.
    package static func decode<P: MessagePayload>(_ type: P.Type, from data: Data) -> Envelope<P>? {
        guard let payloadType = P.self as? any FastWireCodable.Type else { return nil }
        return JSONValueReader.read(data) { root throws(FastPathDeclined) in try envelope(root, payloadType) }
    }

    private static func envelope<P: MessagePayload>(_ root: JSONValueReader, _ payloadType: any FastWireCodable.Type)
        throws(FastPathDeclined) -> Envelope<P> {
        var id: String?, parentId: String?, payload: P?, source: String?, traceId: String?, ts: Int64?, type: String?, v: Int?
        var members = try root.members(keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: id = try value.string()
            case 1: parentId = try value.optionalString()
            case 2: payload = try self.payload(value, payloadType) as P
            case 3: source = try value.string()
            case 4: traceId = try value.string()
            case 5: ts = try value.integer()
            case 6: type = try value.string()
            default: v = try value.integer()
            }
        }
        guard let id, let payload, let source, let traceId, let ts, let type, let v else { throw FastPathDeclined() }
        var envelope = Envelope(id: id, type: type, traceId: traceId, parentId: parentId, source: source, ts: ts, payload: payload)
        envelope.v = v
        return envelope
    }

    private static func payload<P, Fast: FastWireCodable>(_ value: JSONValueReader, _ type: Fast.Type) throws(FastPathDeclined) -> P {
        guard let payload = try Fast(fastJSON: value) as? P else { throw FastPathDeclined() }
        return payload
    }
}
