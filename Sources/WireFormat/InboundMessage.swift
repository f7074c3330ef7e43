import Foundation

/// A received envelope whose JSON was checked whole when its header was read and validated; its
/// payload is decoded later (`EnvelopeCodec.decode(_:from:)`) from where it starts, without
/// reading the header or checking the document again. A message is routed or matched by its
/// header and then handled.
public struct InboundMessage: Sendable {
    /// The envelope as it came off the wire.
    public let body: Data
    /// Its header, validated; the payload is known to be a JSON object.
    public let header: Envelope<OpaquePayload>
    /// The byte offset of the payload in `body`, when the codec kept it.
    @usableFromInline let payloadOffset: Int?

    /// A message whose payload a codec reads from `body` again (codecs that keep no scan).
    public init(body: Data, header: Envelope<OpaquePayload>) {
        self.init(body: body, header: header, payloadOffset: nil)
    }

    init(body: Data, header: Envelope<OpaquePayload>, payloadOffset: Int?) {
        self.body = body
        self.header = header
        self.payloadOffset = payloadOffset
    }
}
