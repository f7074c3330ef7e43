import Foundation
import WireProtocol

/// Renders bus envelopes for `hedgectl trace`: one line per event, or the raw JSON.
struct TracePrinter: Sendable {
    let json: Bool
    let color: Bool

    /// Prints `body` if it passes `filter`; returns whether it printed. Undecodable input is
    /// reported on standard error, never fatal.
    func show(_ body: Data, filter: TraceFilter) -> Bool {
        guard let envelope = try? JSONEnvelopeCodec().decode(JSONValue.self, from: body) else {
            FileHandle.standardError.write(Data("skipped a message that is not a valid envelope (\(body.count) bytes)\n".utf8))
            return false
        }
        guard filter.accepts(envelope) else { return false }
        let text = (json ? String(decoding: body, as: UTF8.self) : line(envelope)) + "\n"
        FileHandle.standardOutput.write(Data(text.utf8))
        return true
    }

    func line(_ envelope: Envelope<JSONValue>) -> String {
        let p = envelope.payload
        let time = Self.clock(envelope.ts)
        let trace = String(envelope.traceId.prefix(8))
        let (route, summary) = Self.describe(envelope.type, source: envelope.source, p)
        return "\(time) \(trace)  \(paint(route.padding(toLength: 34, withPad: " ", startingAt: 0), Self.tone(envelope.type, p)))  \(summary)"
    }

    static func describe(_ type: String, source: String, _ p: JSONValue) -> (String, String) {
        func s(_ key: String) -> String { p[key]?.string ?? "?" }
        func n(_ key: String, _ digits: Int = 4) -> String { p[key]?.number.map { format($0, digits) } ?? "-" }
        switch type {
        case EventType.trace:
            let ms = ((p["end_us"]?.number ?? 0) - (p["start_us"]?.number ?? 0)) / 1_000
            let arrow = s("role") == "client" ? "\(source) → \(s("peer"))" : "\(s("peer")) ⇢ \(source)"
            let detail = p["detail"]?.string.map { " — \($0)" } ?? ""
            return (arrow, "\(s("request_type")) \(s("role") == "client" ? "sent" : "served") \(s("outcome")) \(format(ms, 2)) ms\(detail)")
        case EventType.signal:
            return ("\(source) ▶ signal", "\(s("side")) \(s("symbol")) confidence \(n("confidence", 2))\(p["note"]?.string.map { " (\($0))" } ?? "")")
        case EventType.analysis:
            return ("\(source) ▶ analysis", "\(s("symbol")) \(s("direction")) confidence \(n("confidence", 2)): \(s("thesis"))")
        case EventType.risk:
            let verdict = p["approved"]?.bool == true ? "approved \(n("qty")) @ \(n("price", 2))" : "rejected [\(p["limit"]?.string ?? "-")]"
            return ("\(source) ▶ risk", "\(s("symbol")) \(s("side")) \(verdict): \(s("reason"))")
        case EventType.order:
            return ("\(source) ▶ order", "\(s("order_id")) \(s("account")) \(s("side")) \(n("qty")) \(s("symbol")) → \(s("status")) \(n("filled_qty")) @ \(n("avg_price", 2))\(p["reason"]?.string.map { " (\($0))" } ?? "")")
        case EventType.fill:
            return ("\(source) ▶ fill", "\(s("order_id")) \(s("account")) \(s("side")) \(n("qty")) \(s("symbol")) @ \(n("price", 2)) fee \(n("fee", 2))")
        case EventType.inventory:
            var positions: [JSONValue] = []
            if case .array(let list)? = p["positions"] { positions = list }
            let rows = positions.map { (row: JSONValue) -> String in
                "\(row["account"]?.string ?? "?") base \(format(row["base"]?.number ?? 0, 4)) quote \(format(row["quote"]?.number ?? 0, 2))"
            }
            return ("\(source) ▶ inventory", rows.joined(separator: "; "))
        case EventType.decision:
            return ("\(source) ▶ decision", "\(s("symbol")) \(s("side")) \(s("outcome").uppercased()) at \(s("stage")): \(s("reason"))")
        case EventType.market:
            return ("\(source) ▶ market", "\(s("symbol")) bid \(n("bid", 2)) ask \(n("ask", 2)) last \(n("last", 2))")
        case EventType.heartbeat:
            return ("\(source) ♥", "seq \(n("seq", 0)) up \(n("uptime_ms", 0)) ms handled \(n("handled", 0)) errors \(n("errors", 0))")
        default:
            return ("\(source) ▶ \(type)", "")
        }
    }

    static func tone(_ type: String, _ p: JSONValue) -> Int {
        switch (type, p["outcome"]?.string) {
        case (EventType.decision, "filled"?), (EventType.trace, "ok"?): 32
        case (EventType.decision, "rejected"?): 33
        case (EventType.decision, _), (EventType.trace, _): 31
        case (EventType.fill, _): 36
        default: 0
        }
    }

    func paint(_ text: String, _ code: Int) -> String { color && code != 0 ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

    static func format(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

    static func clock(_ micros: Int64) -> String {
        var seconds = time_t(micros / 1_000_000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return String(format: "%02d:%02d:%02d.%03d", parts.tm_hour, parts.tm_min, parts.tm_sec, Int(micros % 1_000_000) / 1_000)
    }
}
