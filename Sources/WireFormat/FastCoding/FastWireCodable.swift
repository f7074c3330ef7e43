import Foundation

/// A type with a hand-written JSON form next to its `Codable` one, for the messages of every
/// cycle. Both forms must agree byte for byte (members in byte order of their names, numbers
/// and strings written by `JSONWriter`) and accept the same input with the same values; where
/// the fast form is unsure it declines and the `Codable` form runs instead.
///
/// Usable from inlinable code (and so each conformance's two members are marked
/// `@usableFromInline`): the envelope and array code around a payload is inlined into the
/// module that defines the payload and specialized for it there, without generic metadata
/// look-ups on every message.
@usableFromInline
package protocol FastWireCodable {
    /// Writes the value as `WireJSONEncoder` would.
    func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined)
    /// Reads the value as `WireJSONDecoder` would, or declines.
    init(fastJSON value: JSONValueReader) throws(FastPathDeclined)
    /// Whether an envelope of this payload keeps the bytes its payload was read from
    /// (`Envelope.receivedPayload`), for a receiver that writes the payload again whole.
    static var keepsReceivedJSON: Bool { get }
}

extension FastWireCodable {
    /// Most payloads are not written again by their receivers: their bytes are not kept.
    @inlinable
    package static var keepsReceivedJSON: Bool { false }

    /// Reads the payload of an envelope of a type that keeps its bytes (`keepsReceivedJSON`) at
    /// `value`, and with it where in the document the bytes it was read from are, when they hold
    /// no member the read passed over.
    @inlinable
    package static func readPayload(_ value: JSONValueReader) throws(FastPathDeclined) -> (payload: Self, bytes: Range<Int>?) {
        let start = value.position, passedOver = value.irregularMembers
        let payload = try Self(fastJSON: value)
        return (payload, value.irregularMembers == passedOver ? start ..< value.position : nil)
    }
}

extension FastWireCodable {
    /// What `writeFastJSON(to:)` writes for the value, as bytes of its own; nil where it
    /// declines. For a value written once and then taken as bytes in several places.
    package func writtenFastJSON(capacity: Int = 1_024) -> Data? {
        let out = ByteBuffer(capacity: capacity)
        do { try writeFastJSON(to: out) } catch { return nil }
        return out.takeData()
    }

    /// What `writeFastJSON(to:)` writes for the value, as a `String`; nil where it declines.
    /// Written in the thread's buffer, so the string is the only allocation.
    package func writtenFastJSONText() -> String? {
        CodecThreadState.text { out in
            do { try writeFastJSON(to: out) } catch { return false }
            return true
        }
    }
}

/// The hand-written JSON form of a payload type (`MessagePayload.fastJSON`): how the codec writes
/// and reads its envelopes. Reached through the payload type's own conformance, so the codec
/// needs no dynamic cast to find it; each function is specialized for the type and does the
/// whole job (the hand-written path, the `Codable` path where it declines, validation), so the
/// codec's generic entry points only pass the envelope or bytes through, without looking up
/// the metadata of `Envelope<Payload>` on every message. A class, so the codec's look-up of a
/// form per message retains one reference rather than copying its three closures.
public final class FastJSONForm<Payload: MessagePayload>: Sendable {
    /// `JSONEnvelopeCodec.encode(_:)` for this payload type.
    package let encode: @Sendable (Envelope<Payload>) throws(ProtocolError) -> Data
    /// `JSONEnvelopeCodec.decode(_:from:)` of bytes for this payload type.
    package let decode: @Sendable (Data) throws(ProtocolError) -> Envelope<Payload>
    /// `JSONEnvelopeCodec.decode(_:from:)` of an opened message for this payload type.
    package let decodeOpened: @Sendable (InboundMessage) throws(ProtocolError) -> Envelope<Payload>

    /// A form from its three functions. Each payload type keeps its form in a stored constant,
    /// made once with closures that name the type, rather than making it anew on every message.
    package init(encode: @escaping @Sendable (Envelope<Payload>) throws(ProtocolError) -> Data,
                 decode: @escaping @Sendable (Data) throws(ProtocolError) -> Envelope<Payload>,
                 decodeOpened: @escaping @Sendable (InboundMessage) throws(ProtocolError) -> Envelope<Payload>) {
        self.encode = encode
        self.decode = decode
        self.decodeOpened = decodeOpened
    }
}

/// The envelope around a `FastWireCodable` payload, without `Codable`: one pass to write it and
/// one pass to read it, header and payload together. Nil means "use the `Codable` path".
@usableFromInline
package enum FastEnvelopeCoding {
    /// Envelope members in byte order: id, parent_id, payload, source, trace_id, ts, type, v.
    @usableFromInline
    static let keys = JSONKeyTable("id", "parent_id", "payload", "source", "trace_id", "ts", "type", "v")

    /// The bytes `WireJSONEncoder` writes for `envelope`, or nil when its payload has no fast form
    /// or holds a value only the `Codable` path handles (a non-finite number). Written in the
    /// thread's buffer, which keeps its memory from one encode to the next. A payload that
    /// carries the bytes it was read from (`Envelope.receivedPayload`) is written as those bytes.
    @inlinable
    package static func encode<P: FastWireCodable & MessagePayload>(_ envelope: Envelope<P>) -> Data? {
        CodecThreadState.encode { out in
            var object = JSONObjectWriter(out)
            object.string("id", envelope.id)
            object.stringOrNull("parent_id", envelope.parentId)
            // Decided when the function is specialized for `P`: most payloads never keep bytes.
            if P.keepsReceivedJSON, let received = envelope.receivedPayload.json {
                received.withUnsafeBytes { object.written("payload", $0) }
            } else {
                do { try object.value("payload", envelope.payload) } catch { return false }
            }
            object.string("source", envelope.source)
            object.string("trace_id", envelope.traceId)
            object.integer("ts", envelope.ts)
            object.string("type", envelope.type)
            object.integer("v", envelope.v)
            object.close()
            return true
        }
    }

    /// The envelope `WireJSONDecoder` reads from `data`, or nil when the input is anything but a
    /// well-formed envelope of `P` (the `Codable` path then reads it or reports the error). Not
    /// validated.
    @inlinable
    package static func decode<P: FastWireCodable & MessagePayload>(_ type: P.Type, from data: Data) -> Envelope<P>? {
        // Decided when the function is specialized for `P`: most payloads take the plain path.
        guard P.keepsReceivedJSON else { return JSONValueReader.read(data) { root throws(FastPathDeclined) in try envelope(root, P.self) } }
        return JSONValueReader.read(data) { root throws(FastPathDeclined) in
            // Kept where the envelope is made: taken out of the read and changed after it, the
            // envelope was copied once more.
            var received: Range<Int>?
            var envelope = try envelope(root, P.self, received: &received)
            if let received { envelope.keepReceivedPayload(data, received) }
            return envelope
        }
    }

    /// `FastJSONForm.encode`: the hand-written bytes, or the `Codable` path's where it declines.
    @inlinable
    package static func encodeEnvelope<P: FastWireCodable & MessagePayload>(_ envelope: Envelope<P>) throws(ProtocolError) -> Data {
        if let data = encode(envelope) { return data }
        return try JSONEnvelopeCodec().encodeWithCodable(envelope)
    }

    /// `FastJSONForm.decode`: the envelope read by hand or, where that declines, by the
    /// `Codable` path; validated.
    @inlinable
    package static func decodeEnvelope<P: FastWireCodable & MessagePayload>(_ type: P.Type, from data: Data) throws(ProtocolError) -> Envelope<P> {
        guard let envelope = decode(P.self, from: data) else { return try JSONEnvelopeCodec().decodeWithCodableAndValidate(P.self, from: data) }
        try envelope.validate()
        return envelope
    }

    /// `FastJSONForm.decodeOpened`: the payload read by hand from where the message's header read
    /// found it, with that header; where there is no such place or the payload declines (or does
    /// not end where it was taken to), the body decoded as `decodeEnvelope` does, which must
    /// then have the header the message was routed by (`InboundMessage.payload`). Validated.
    @inlinable
    package static func decodeOpened<P: FastWireCodable & MessagePayload>(_ type: P.Type, from message: InboundMessage) throws(ProtocolError) -> Envelope<P> {
        if !P.keepsReceivedJSON, let place = message.payload,
           let payload = JSONValueReader.read(message.body, payload: place, depth: 1, { reader throws(FastPathDeclined) in try P(fastJSON: reader) }) {
            let envelope = message.header.withPayload(payload)
            try envelope.validate()
            return envelope
        }
        if P.keepsReceivedJSON, let place = message.payload,
           let read = JSONValueReader.read(message.body, payload: place, depth: 1, { reader throws(FastPathDeclined) in
               try P.readPayload(reader)
           }) {
            var envelope = message.header.withPayload(read.payload)
            if let bytes = read.bytes { envelope.keepReceivedPayload(message.body, bytes) }
            try envelope.validate()
            return envelope
        }
        return try message.routedAs(decodeEnvelope(P.self, from: message.body))
    }

    /// The header of the envelope in `data` and where its payload lies, or nil when `data` is
    /// anything but a well-formed envelope with an object payload (the `Codable` path then
    /// reads it or reports the error). The header is checked as JSON; the payload is passed
    /// over unread, by its place in a message written as this codec writes one
    /// (`WrittenPayloadPlace`) or else by its brackets alone (`skipContainerUnchecked`): it is
    /// checked when it is decoded, and must end where it was taken to. Not validated.
    static func open(_ data: Data) -> (Envelope<OpaquePayload>, payload: Range<Int>)? {
        var payloadAt = -1, payloadEnd = -1
        guard let header = JSONValueReader.read(data, { root throws(FastPathDeclined) in
            try envelope(root, payloadAt: &payloadAt) { value throws(FastPathDeclined) in
                // Its one reader, the payload's decoder, checks it as it reads it; checking it
                // here as well made every request and reply read its payload twice.
                guard value.next == UInt8(ascii: "{") else { throw FastPathDeclined() }
                let bytes = value.cursor.pointee.lexer.bytes
                if bytes.count - value.position > WrittenPayloadPlace.worthFinding,
                   let end = WrittenPayloadPlace.end(in: bytes, payloadAt: value.position) {
                    value.cursor.pointee.lexer.position = end
                } else {
                    try value.skipContainerUnchecked()
                }
                payloadEnd = value.position
                return OpaquePayload()
            }
        }) else { return nil }
        return (header, payloadAt ..< payloadEnd)
    }

    /// Reads the envelope at `root`, its payload with `P`'s hand-written form.
    @inlinable
    static func envelope<P: FastWireCodable & MessagePayload>(_ root: JSONValueReader, _: P.Type) throws(FastPathDeclined) -> Envelope<P> {
        var payloadAt = -1
        return try envelope(root, payloadAt: &payloadAt) { value throws(FastPathDeclined) in try P(fastJSON: value) }
    }

    /// The same, with where the bytes its payload was read from are in `received` when its
    /// type keeps them (`FastWireCodable.readPayload`).
    @inlinable
    static func envelope<P: FastWireCodable & MessagePayload>(_ root: JSONValueReader, _: P.Type, received: inout Range<Int>?)
        throws(FastPathDeclined) -> Envelope<P> {
        var payloadAt = -1
        return try envelope(root, payloadAt: &payloadAt) { value throws(FastPathDeclined) in
            let read = try P.readPayload(value)
            received = read.bytes
            return read.payload
        }
    }

    /// Reads the envelope at `root`, its payload with `readPayload`, setting `payloadAt` to the
    /// byte offset of the payload.
    @inlinable
    static func envelope<P: MessagePayload>(_ root: JSONValueReader, payloadAt: inout Int,
                                            payload readPayload: (JSONValueReader) throws(FastPathDeclined) -> P) throws(FastPathDeclined) -> Envelope<P> {
        var id: String?, parentId: String?, payload: P?, source: String?, traceId: String?, ts: Int64?, type: String?, v: Int?
        var members = try root.members(keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: id = try value.string()
            case 1: parentId = try value.optionalString()
            case 2:
                payloadAt = value.position
                payload = try readPayload(value)
            case 3: source = try value.recurringString()
            case 4: traceId = try value.recurringString()
            case 5: ts = try value.integer(Int64.self)
            case 6: type = try value.recurringString()
            default: v = try value.integer(Int.self)
            }
        }
        // The payload is moved out of its optional, not copied (a report holds a dozen strings).
        guard let id, let source, let traceId, let ts, let type, let v, let read = payload.take() else { throw FastPathDeclined() }
        var envelope = Envelope(id: id, type: type, traceId: traceId, parentId: parentId, source: source, ts: ts, payload: consume read)
        envelope.v = v
        return envelope
    }
}

extension OpaquePayload: FastWireCodable {
    public static let fastJSON: FastJSONForm<OpaquePayload>? = FastJSONForm(
        encode: { envelope throws(ProtocolError) in try FastEnvelopeCoding.encodeEnvelope(envelope) },
        decode: { data throws(ProtocolError) in try FastEnvelopeCoding.decodeEnvelope(OpaquePayload.self, from: data) },
        decodeOpened: { message throws(ProtocolError) in try FastEnvelopeCoding.decodeOpened(OpaquePayload.self, from: message) })

    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        JSONObjectWriter(out).close()
    }

    /// No member is read: the payload only has to be an object, which is skipped (and checked).
    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        guard value.next == UInt8(ascii: "{") else { throw FastPathDeclined() }
        try value.skipValue()
        self.init()
    }
}
