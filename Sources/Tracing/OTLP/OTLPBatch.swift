import Foundation
import WireFormat

/// An envelope an agent published, waiting in the span push's queue for its batch: queuing it
/// only keeps the envelope, and its span is made when the batch is sent, off the agent's loop.
public struct PendingSpan: Sendable {
    private let make: @Sendable () -> OTLPSpan?

    /// The envelope, kept as it is.
    public init<P: MessagePayload>(_ envelope: Envelope<P>) {
        make = { OTLPMapping.span(published: envelope) }
    }

    /// The envelope's span (`OTLPMapping.span(published:)`).
    func span() -> OTLPSpan? { make() }
}

/// One OTLP/HTTP request of the span push: the spans of a batch of published envelopes, mapped
/// by `OTLPMapping`, and their OTLP/JSON. Everything the push does for a batch but the POST.
public enum OTLPBatch {
    /// The spans of `batch`'s envelopes, in order; heartbeats and ticks have none.
    public static func spans(of batch: [PendingSpan]) -> [OTLPSpan] {
        batch.compactMap { $0.span() }
    }

    /// The OTLP/JSON request body of `spans` (`OTLPMapping.request`, written by `json()`).
    public static func body(of spans: [OTLPSpan]) throws(OTLPJSONError) -> Data {
        try OTLPMapping.request(spans).json()
    }
}
