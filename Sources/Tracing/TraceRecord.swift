import Foundation
import WireFormat
import WireProtocol

/// One envelope seen on the bus, kept with its payload as plain JSON: the unit every trace view
/// (timeline, tree, diagram, stats) works from.
public struct TraceRecord: Sendable, Hashable {
    public var id: String
    public var type: String
    public var traceId: String
    public var parentId: String?
    public var source: String
    /// Send time, Unix microseconds.
    public var ts: Int64
    public var payload: JSONValue

    /// Creates a record from a decoded envelope.
    public init(_ envelope: Envelope<JSONValue>) {
        id = envelope.id
        type = envelope.type
        traceId = envelope.traceId
        parentId = envelope.parentId
        source = envelope.source
        ts = envelope.ts
        payload = envelope.payload
    }

    /// Decodes one encoded envelope; nil when it is not a valid envelope.
    public static func decode(_ body: Data) -> TraceRecord? {
        (try? JSONEnvelopeCodec().decode(JSONValue.self, from: body)).map(TraceRecord.init)
    }

    /// Reads a JSON Lines recording: each record with its original line, and how many lines
    /// were not envelopes.
    public static func read(jsonLines data: Data) -> (entries: [(record: TraceRecord, raw: Data)], skipped: Int) {
        var entries: [(TraceRecord, Data)] = []
        var skipped = 0
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.allSatisfy({ $0 == UInt8(ascii: " ") }) {
            let raw = Data(line)
            if let record = decode(raw) { entries.append((record, raw)) } else { skipped += 1 }
        }
        return (entries, skipped)
    }

    /// The type's first segment (`order.submit` → `order`).
    public var kind: String { String(type.split(separator: ".").first ?? "") }

    /// The payload's `symbol`, when it has one.
    public var symbol: String? { payload["symbol"]?.string }
}
