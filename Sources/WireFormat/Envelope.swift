import Foundation

/// The JSON object every HedgeBus message travels in (see docs/PROTOCOL.md).
public struct Envelope<Payload: MessagePayload>: Sendable {
    /// Protocol version; this build speaks 1.
    public var v: Int
    /// Unique id of this message.
    public var id: String
    /// Message type, e.g. `signal`, `analyze`, `analyze.ok`, `error`.
    public var type: String
    /// W3C trace-id (32 lowercase hex) shared by every message of one cycle.
    public var traceId: String
    /// Id of the message that caused this one; nil for a cycle's root.
    public var parentId: String?
    /// Name of the sender.
    public var source: String
    /// Unix time of sending in microseconds.
    public var ts: Int64
    /// The type-specific body.
    public var payload: Payload {
        didSet { receivedPayload = WrittenMember() }
    }
    /// The bytes `payload` was read from, as they came, where the decoder keeps them (payload
    /// types that are written again whole, such as an analysis and a verdict a director records)
    /// and they hold no member it passed over (a name it does not know or one named twice): what
    /// they say is then exactly `payload` to any reader, so they can be written again in its
    /// place. Dropped when `payload` changes; not part of the envelope's value.
    public private(set) var receivedPayload = WrittenMember()

    /// Keeps the bytes at `offsets` of `body` (counted from its start) as those `payload` was read
    /// from: a slice of `body`, which shares its storage rather than copying it (the decoder's,
    /// `FastEnvelopeCoding`).
    @usableFromInline
    package mutating func keepReceivedPayload(_ body: Data, _ offsets: Range<Int>) {
        receivedPayload = WrittenMember(json: body[(body.startIndex + offsets.lowerBound) ..< (body.startIndex + offsets.upperBound)])
    }

    /// Takes `received` as the bytes `payload` was read from (`CarriedPayload`: the payload and
    /// those bytes of another envelope).
    @usableFromInline
    package mutating func keepReceivedPayload(_ received: WrittenMember) {
        receivedPayload = received
    }

    /// The protocol version this build writes and accepts.
    public static var currentVersion: Int { 1 }

    /// Creates an envelope. Inlinable, so a caller in another module makes its envelope with
    /// code for its payload type, without looking up `Envelope<Payload>`'s metadata at run time.
    @inlinable
    public init(id: String, type: String, traceId: String, parentId: String?, source: String, ts: Int64, payload: Payload) {
        self.v = Self.currentVersion
        self.id = id
        self.type = type
        self.traceId = traceId
        self.parentId = parentId
        self.source = source
        self.ts = ts
        self.payload = payload
    }

    /// Checks the header fields and then the payload's own rules.
    public func validate() throws(ProtocolError) {
        guard v == Self.currentVersion else {
            throw ProtocolError(.unsupportedVersion, "envelope version \(v) is not supported (this build speaks \(Self.currentVersion))")
        }
        guard !id.isEmpty else { throw ProtocolError(.invalidValue, "field 'id' must not be empty") }
        guard !type.isEmpty else { throw ProtocolError(.invalidValue, "field 'type' must not be empty") }
        guard TraceID.isValid(traceId) else {
            throw ProtocolError(.invalidValue, "field 'trace_id' must be 32 lowercase hex digits, got '\(traceId.prefix(40))'")
        }
        guard !source.isEmpty else { throw ProtocolError(.invalidValue, "field 'source' must not be empty") }
        try payload.validate()
    }

    /// The same header with another payload.
    @inlinable
    public func withPayload<Other: MessagePayload>(_ other: Other) -> Envelope<Other> {
        Envelope<Other>(id: id, type: type, traceId: traceId, parentId: parentId, source: source, ts: ts, payload: other)
    }

    /// Whether every member but the payload is `other`'s.
    @usableFromInline
    func hasHeader<Other>(of other: Envelope<Other>) -> Bool {
        v == other.v && id == other.id && type == other.type && traceId == other.traceId && parentId == other.parentId
            && source == other.source && ts == other.ts
    }
}

extension Envelope: Codable {
    enum CodingKeys: String, CodingKey {
        case v, id, type, traceId = "trace_id", parentId = "parent_id", source, ts, payload
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        v = try container.decode(Int.self, forKey: .v)
        id = try container.decode(String.self, forKey: .id)
        type = try container.decode(String.self, forKey: .type)
        traceId = try container.decode(String.self, forKey: .traceId)
        parentId = try container.decodeIfPresent(String.self, forKey: .parentId)
        source = try container.decode(String.self, forKey: .source)
        ts = try container.decode(Int64.self, forKey: .ts)
        payload = try container.decode(Payload.self, forKey: .payload)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(v, forKey: .v)
        try container.encode(id, forKey: .id)
        try container.encode(type, forKey: .type)
        try container.encode(traceId, forKey: .traceId)
        // Written as an explicit null so every envelope has the same keys.
        try container.encode(parentId, forKey: .parentId)
        try container.encode(source, forKey: .source)
        try container.encode(ts, forKey: .ts)
        try container.encode(payload, forKey: .payload)
    }
}

extension Envelope: Equatable where Payload: Equatable {}
extension Envelope: Hashable where Payload: Hashable {}
