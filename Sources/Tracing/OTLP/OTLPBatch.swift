import Foundation
import WireFormat

/// An envelope an agent published, waiting in the span push's queue for its batch: queuing it
/// only keeps the envelope, and its span is made when the batch is sent, off the agent's loop.
public struct PendingSpan: Sendable {
    private let encoded: @Sendable () -> Data?

    /// The envelope, kept as it is.
    public init<P: MessagePayload>(_ envelope: Envelope<P>) {
        encoded = { try? JSONEnvelopeCodec().encode(envelope) }
    }

    /// The envelope as a trace record; nil when it cannot be encoded.
    func record() -> TraceRecord? { encoded().flatMap(TraceRecord.decode) }
}

/// One OTLP/HTTP request of the span push: the spans of a batch of published envelopes, mapped
/// by `OTLPMapping`, and their OTLP/JSON. Everything the push does for a batch but the POST.
public enum OTLPBatch {
    /// The spans of `batch`'s envelopes, in order; heartbeats and ticks have none.
    public static func spans(of batch: [PendingSpan]) -> [OTLPSpan] {
        batch.compactMap { $0.record() }.compactMap(OTLPMapping.span(of:))
    }

    /// The OTLP/JSON request body of `spans` (`OTLPMapping.request`).
    public static func body(of spans: [OTLPSpan]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(OTLPMapping.request(spans))
    }
}
