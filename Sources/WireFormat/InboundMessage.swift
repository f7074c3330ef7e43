import Foundation

/// A received envelope whose header was read and validated; its payload, passed over unread
/// (`JSONEnvelopeCodec.open(_:)`), is read and checked when it is decoded
/// (`EnvelopeCodec.decode(_:from:)`), from where it lies, without reading the header again. A
/// message is routed or matched by its header and then handled.
public struct InboundMessage: Sendable {
    /// The envelope as it came off the wire.
    public let body: Data
    /// Its header, validated.
    public let header: Envelope<OpaquePayload>
    /// Where the payload lies in `body`, from its `{` to its `}`, when the codec found it: a
    /// payload read from there must end there too, or the body is decoded whole.
    @usableFromInline let payload: Range<Int>?

    /// A message whose payload a codec reads from `body` again (codecs that keep no place).
    public init(body: Data, header: Envelope<OpaquePayload>) {
        self.init(body: body, header: header, payload: nil)
    }

    init(body: Data, header: Envelope<OpaquePayload>, payload: Range<Int>?) {
        self.body = body
        self.header = header
        self.payload = payload
    }

    /// `envelope`, the body decoded whole, when it has the header the message was opened with;
    /// otherwise an error. Only a message whose payload was passed over by its place can be
    /// read two ways: one that names a member twice, or has members between its payload and
    /// its source, read from its two ends (`WrittenPayloadPlace`), whose payload did not end
    /// where it was taken to. It is refused rather than handled by a header it was not routed by.
    @usableFromInline
    func routedAs<P>(_ envelope: Envelope<P>) throws(ProtocolError) -> Envelope<P> {
        guard payload == nil || envelope.hasHeader(of: header) else {
            throw ProtocolError(.malformedJSON, "the envelope reads two ways: a member named twice; send each member once")
        }
        return envelope
    }
}
