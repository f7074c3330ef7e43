import Foundation
import WireFormat

/// A publisher that can tell whether anyone downstream subscribes to a topic before it sends.
///
/// It publishes through an XPUB socket connected to the bus's XSUB side; the bus forwards every
/// subscription upstream, so the XPUB receives them. `awaitSubscriber(for:)` is the handshake
/// that replaces "sleep and hope" for one-shot publishers such as `hedgectl inject`.
public final class GatedPublisher: Sendable {
    let loop: MessageLoop
    let socket: SocketHandle
    let codec: any EnvelopeCodec
    let registry: SubscriptionRegistry

    /// Connects to the bus's publish endpoint; with `curve` (a `.client` role) as that identity.
    public static func connect(loop: MessageLoop, endpoint: String, codec: any EnvelopeCodec = JSONEnvelopeCodec(),
                               curve: CurveRole? = nil) async throws -> GatedPublisher {
        var options = SocketOptions()
        options.curve = curve
        options.sendHighWaterMark = 100_000
        options.xpubVerbose = true
        let registry = SubscriptionRegistry()
        // XPUB delivers 0x01<prefix> on subscribe and 0x00<prefix> on unsubscribe.
        let socket = try await loop.open(SocketSpec(kind: .xpub, connects: [endpoint], options: options)) { frames in
            registry.apply(frames)
        }
        return GatedPublisher(loop: loop, socket: socket, codec: codec, registry: registry)
    }

    private init(loop: MessageLoop, socket: SocketHandle, codec: any EnvelopeCodec, registry: SubscriptionRegistry) {
        self.loop = loop
        self.socket = socket
        self.codec = codec
        self.registry = registry
    }

    /// Waits until some subscriber's prefix matches `topic`; false when `timeout` passes first.
    public func awaitSubscriber(for topic: String, timeout: Duration) async -> Bool {
        await registry.wait(for: Data(utf8Of: topic), timeout: timeout)
    }

    /// Encodes and sends `envelope` under `topic`.
    public func publish<P>(_ envelope: Envelope<P>, topic: String) async throws {
        try await loop.send([Data(utf8Of: topic), try codec.encode(envelope)], on: socket)
    }

    /// Sends frames exactly as given, for tools and tests that speak the wire format by hand.
    public func publishRaw(_ frames: Frames) async throws {
        try await loop.send(frames, on: socket)
    }
}
