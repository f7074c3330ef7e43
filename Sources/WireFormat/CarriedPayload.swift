/// The payload of a received envelope with the bytes it came in, when the decoder kept them
/// (`Envelope.receivedPayload`): what a request handler returns to answer with what another
/// agent answered it, as an ExecutionAgent answers with the MarketMaker's order report. The
/// reply is then written with those bytes rather than by writing the payload again; where no
/// bytes were kept, the payload is written as any other.
public struct CarriedPayload<Payload: MessagePayload>: Sendable {
    /// The payload as decoded.
    public let payload: Payload
    /// The bytes it was read from, or none.
    @usableFromInline let received: WrittenMember

    /// `envelope`'s payload and the bytes it was read from.
    @inlinable
    public init(_ envelope: Envelope<Payload>) {
        payload = envelope.payload
        received = envelope.receivedPayload
    }
}

extension Envelope {
    /// A new envelope with a fresh id and the current time, placed in `trace`, whose payload is
    /// `carried`'s and is written as the bytes it came in, when they were kept.
    @inlinable
    public static func make(type: String, source: String, trace: TraceContext, carrying carried: CarriedPayload<Payload>) -> Envelope {
        var envelope = make(type: type, source: source, trace: trace, payload: carried.payload)
        envelope.keepReceivedPayload(carried.received)
        return envelope
    }
}
