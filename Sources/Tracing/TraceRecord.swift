import Foundation
import WireFormat
import WireProtocol

/// One envelope seen on the bus, its payload kept as plain JSON: the unit every trace view
/// (timeline, tree, diagram, stats) works from. It is the envelope itself, not a copy of it.
public typealias TraceRecord = Envelope<JSONValue>


extension Envelope where Payload == JSONValue {
    /// Decodes one encoded envelope; nil when it is not a valid envelope.
    public static func decode(_ body: Data) -> TraceRecord? {
        try? JSONEnvelopeCodec().decode(JSONValue.self, from: body)
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

    /// A record of the market's clock rather than of a cycle: a heartbeat, a market tick, or
    /// the account event a tick round published (no parent); trace views leave them out.
    public var isBackground: Bool {
        let kind = kind
        return kind == EventType.heartbeat || kind == EventType.market || (kind == EventType.account && parentId == nil)
    }

    /// The type's first segment (`order.submit` → `order`).
    public var kind: String { String(type.split(separator: ".").first ?? "") }

    /// The payload's `symbol`, when it has one.
    public var symbol: String? { payload["symbol"]?.string }
}
