import Foundation

/// A received envelope whose JSON was scanned once: its header is read and validated, and its
/// payload is decoded later (`EnvelopeCodec.decode(_:from:)`) from the same scan. A message is
/// routed or matched by its header and then handled without being parsed a second time.
public struct InboundMessage: Sendable {
    /// The envelope as it came off the wire.
    public let body: Data
    /// Its header, validated; the payload is known to be a JSON object.
    public let header: Envelope<OpaquePayload>
    /// The scan of `body` and where its payload is, when the codec kept them.
    let scan: ScannedEnvelope?

    /// A message whose payload a codec reads from `body` again (codecs that keep no scan).
    public init(body: Data, header: Envelope<OpaquePayload>) {
        self.init(body: body, header: header, scan: nil)
    }

    init(body: Data, header: Envelope<OpaquePayload>, scan: ScannedEnvelope?) {
        self.body = body
        self.header = header
        self.scan = scan
    }
}

/// The nodes of a scanned envelope and the index of its payload's node.
struct ScannedEnvelope: Sendable {
    let nodes: [JSONNode]
    let payload: Int
}
