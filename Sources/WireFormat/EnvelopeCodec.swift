import Foundation

/// Turns envelopes into bytes and back. The hot path of every message, so it is a protocol: a
/// faster codec can replace the JSON one without touching callers.
public protocol EnvelopeCodec: Sendable {
    /// Encodes an envelope to one frame.
    func encode<P: MessagePayload>(_ envelope: Envelope<P>) throws(ProtocolError) -> Data
    /// Decodes and validates an envelope whose payload is `P`.
    func decode<P: MessagePayload>(_ type: P.Type, from data: Data) throws(ProtocolError) -> Envelope<P>
    /// Reads and validates the header of a received envelope (the payload must be an object,
    /// whose contents may be left for `decode(_:from:)` of the message to check), keeping what it
    /// parsed so that that decode need not parse it again.
    func open(_ data: Data) throws(ProtocolError) -> InboundMessage
    /// Decodes and validates the payload of an opened message as `P`, with the same result and
    /// errors as `decode(_:from:)` of its body.
    func decode<P: MessagePayload>(_ type: P.Type, from message: InboundMessage) throws(ProtocolError) -> Envelope<P>
    /// Where a received reply's parent id and type are, when the codec finds them without
    /// reading the rest of the message (which `decode(_:from:)` of the bytes then reads whole);
    /// nil when the message must be opened.
    func glance(_ data: Data) -> EnvelopeGlance?
}

extension EnvelopeCodec {
    /// Decodes and validates only the header, leaving the payload unread (it must be an object).
    public func decodeHeader(from data: Data) throws(ProtocolError) -> Envelope<OpaquePayload> {
        try decode(OpaquePayload.self, from: data)
    }

    /// The header alone; the payload is parsed again when decoded.
    public func open(_ data: Data) throws(ProtocolError) -> InboundMessage {
        InboundMessage(body: data, header: try decodeHeader(from: data))
    }

    /// Decodes the message's body again.
    public func decode<P: MessagePayload>(_ type: P.Type, from message: InboundMessage) throws(ProtocolError) -> Envelope<P> {
        try decode(P.self, from: message.body)
    }

    /// None: every reply is opened.
    public func glance(_ data: Data) -> EnvelopeGlance? { nil }
}

/// The wire codec: JSON with sorted keys, snake_case field names, integers for `ts`. Uses
/// `WireJSONEncoder` and `WireJSONDecoder`, which write and accept exactly what Foundation's
/// `JSONEncoder` (`.sortedKeys`, `.withoutEscapingSlashes`) and `JSONDecoder` do. Payloads of a
/// cycle's messages take a hand-written path first (`FastEnvelopeCoding`) with the same bytes
/// and values; whatever it declines, including every error, goes through `Codable`.
public struct JSONEnvelopeCodec: EnvelopeCodec {
    /// Creates the codec.
    public init() {}

    public func encode<P: MessagePayload>(_ envelope: Envelope<P>) throws(ProtocolError) -> Data {
        if let form = P.fastJSON { return try form.encode(envelope) }
        return try encodeWithCodable(envelope)
    }

    /// The `Codable` path alone.
    @usableFromInline
    func encodeWithCodable<P: MessagePayload>(_ envelope: Envelope<P>) throws(ProtocolError) -> Data {
        do {
            return try WireJSONEncoder().encode(envelope)
        } catch {
            throw ProtocolError(.invalidValue, "cannot encode '\(envelope.type)': \(error)")
        }
    }

    public func decode<P: MessagePayload>(_ type: P.Type, from data: Data) throws(ProtocolError) -> Envelope<P> {
        if let form = P.fastJSON { return try form.decode(data) }
        return try decodeWithCodableAndValidate(P.self, from: data)
    }

    /// Reads the header of `data` and keeps where its payload lies. The payload is passed over
    /// unread, by its place where this codec wrote the message and by its brackets otherwise:
    /// `decode(_:from:)` of the message checks it as it reads it, with the same errors as for
    /// the whole body. Input the fast path declines, and a header
    /// that fails validation (which may have been read from a payload passed over wrongly because
    /// it is not JSON), go through `decodeHeader`, which reads it or reports the error.
    public func open(_ data: Data) throws(ProtocolError) -> InboundMessage {
        guard let (header, payload) = FastEnvelopeCoding.open(data), (try? header.validate()) != nil else {
            return InboundMessage(body: data, header: try decodeHeader(from: data))
        }
        return InboundMessage(body: data, header: header, payload: payload)
    }

    /// The parent id and type where this codec writes them, at the message's two ends
    /// (`EnvelopeGlance.init(json:)`).
    public func glance(_ data: Data) -> EnvelopeGlance? { EnvelopeGlance(json: data) }

    /// Reads the payload from where the message's header read found it when the payload type
    /// has a fast form; otherwise, or when the fast form declines, decodes the body as
    /// `decode(_:from:)` does.
    public func decode<P: MessagePayload>(_ type: P.Type, from message: InboundMessage) throws(ProtocolError) -> Envelope<P> {
        if let form = P.fastJSON { return try form.decodeOpened(message) }
        return try decodeWhole(P.self, from: message)
    }

    /// The body of an opened message decoded whole by the `Codable` path, with the header it was
    /// routed by. Apart from `decode(_:from:)`, so that the fast path's frame holds no envelope
    /// of `P` (whose layout it would look up on every call).
    private func decodeWhole<P: MessagePayload>(_ type: P.Type, from message: InboundMessage) throws(ProtocolError) -> Envelope<P> {
        try message.routedAs(decode(P.self, from: message.body))
    }

    /// The `Codable` path alone, without validation.
    func decodeWithCodable<P: MessagePayload>(_ type: P.Type, from data: Data) throws(ProtocolError) -> Envelope<P> {
        do {
            return try WireJSONDecoder().decode(Envelope<P>.self, from: data)
        } catch let error as DecodingError {
            throw ProtocolError(decoding: error)
        } catch {
            throw ProtocolError(.malformedJSON, "\(error)")
        }
    }

    /// The `Codable` path alone, validated.
    @usableFromInline
    func decodeWithCodableAndValidate<P: MessagePayload>(_ type: P.Type, from data: Data) throws(ProtocolError) -> Envelope<P> {
        let envelope = try decodeWithCodable(P.self, from: data)
        try envelope.validate()
        return envelope
    }
}

extension ProtocolError {
    /// Rephrases Foundation's decoding errors as messages that name the wire field.
    init(decoding error: DecodingError) {
        func path(_ keys: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let all = keys + (last.map { [$0] } ?? [])
            return all.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case let .keyNotFound(key, context):
            self.init(.missingField, "missing required field '\(path(context.codingPath, key))'")
        case let .typeMismatch(expected, context):
            self.init(.wrongType, "field '\(path(context.codingPath))' has the wrong type: expected \(Self.jsonName(expected))")
        case let .valueNotFound(expected, context):
            self.init(.missingField, "field '\(path(context.codingPath))' is null: expected \(Self.jsonName(expected))")
        case let .dataCorrupted(context) where context.codingPath.isEmpty:
            let detail = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            self.init(.malformedJSON, "message is not valid JSON" + (detail.map { ": \($0)" } ?? ""))
        case let .dataCorrupted(context):
            self.init(.invalidValue, "field '\(path(context.codingPath))': \(context.debugDescription)")
        @unknown default:
            self.init(.malformedJSON, "\(error)")
        }
    }

    private static func jsonName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: type is any Collection.Type ? "an array" : "an object"
        }
    }
}
