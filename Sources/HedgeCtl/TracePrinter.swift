import Foundation
import Tracing
import WireFormat
import WireProtocol

/// Renders bus records for `hedgectl trace`: one line per event, or the raw JSON.
struct TracePrinter: Sendable {
    let json: Bool
    let color: Bool

    func line(_ record: TraceRecord, raw: Data) -> String {
        if json { return String(decoding: raw, as: UTF8.self) }
        let summary = EventSummary(record)
        let route = summary.route.padding(toLength: 34, withPad: " ", startingAt: 0)
        return "\(Self.clock(record.ts)) \(record.traceId.prefix(8))  \(paint(route, Self.tone(record)))  \(summary.text)"
    }

    static func tone(_ record: TraceRecord) -> Int {
        switch (record.type, record.payload["outcome"]?.string) {
        case (EventType.decision, "filled"?), (EventType.trace, "ok"?): 32
        case (EventType.decision, "rejected"?): 33
        case (EventType.decision, _), (EventType.trace, _): 31
        case (EventType.fill, _): 36
        default: 0
        }
    }

    func paint(_ text: String, _ code: Int) -> String { color && code != 0 ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

    static func clock(_ micros: Int64) -> String {
        var seconds = time_t(micros / 1_000_000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return String(format: "%02d:%02d:%02d.%03d", parts.tm_hour, parts.tm_min, parts.tm_sec, Int(micros % 1_000_000) / 1_000)
    }
}

/// Writes text to standard output without buffering surprises when piped.
func emit(_ text: String) {
    StandardStreams.out(Data((text + "\n").utf8))
}
