import Foundation
import WireFormat
import WireProtocol

/// A short "who → whom" label and a one-line summary of a record's key payload fields.
public struct EventSummary: Sendable, Hashable {
    /// `source ▶ type` for events, `caller → callee` for hops.
    public let route: String
    /// The key payload fields in words.
    public let text: String

    /// Summarises `record`.
    public init(_ record: TraceRecord) {
        let p = record.payload
        func s(_ key: String) -> String { p[key]?.string ?? "?" }
        func n(_ key: String, _ digits: Int = 4) -> String { p[key]?.number.map { Self.format($0, digits) } ?? "-" }
        let source = record.source
        switch record.type {
        case EventType.trace:
            let ms = Double(Int64(p["end_us"]?.number ?? 0) - Int64(p["start_us"]?.number ?? 0)) / 1_000
            let client = s("role") == "client"
            route = client ? "\(source) → \(s("peer"))" : "\(s("peer")) ⇢ \(source)"
            text = "\(s("request_type")) \(client ? "sent" : "served") \(s("outcome")) \(Self.format(ms, 2)) ms" + (p["detail"]?.string.map { " — \($0)" } ?? "")
        case EventType.signal:
            route = "\(source) ▶ signal"
            text = "\(s("side")) \(s("symbol")) confidence \(n("confidence", 2))" + (p["note"]?.string.map { " (\($0))" } ?? "")
        case EventType.analysis:
            route = "\(source) ▶ analysis"
            text = "\(s("symbol")) \(s("direction")) confidence \(n("confidence", 2)): \(s("thesis"))"
        case EventType.risk:
            route = "\(source) ▶ risk"
            let verdict = p["approved"]?.bool == true ? "approved \(n("qty")) @ \(n("price", 2))" : "rejected [\(p["limit"]?.string ?? "-")]"
            text = "\(s("symbol")) \(s("side")) \(verdict): \(s("reason"))"
        case EventType.order:
            route = "\(source) ▶ order"
            text = "\(s("order_id")) \(s("account")) \(s("side")) \(n("qty")) \(s("symbol")) → \(s("status")) \(n("filled_qty")) @ \(n("avg_price", 2))" + (p["reason"]?.string.map { " (\($0))" } ?? "")
        case EventType.fill:
            route = "\(source) ▶ fill"
            text = "\(s("order_id")) \(s("account")) \(s("side")) \(n("qty")) \(s("symbol")) @ \(n("price", 2)) fee \(n("fee", 2))"
        case EventType.inventory:
            route = "\(source) ▶ inventory"
            var rows: [JSONValue] = []
            if case .array(let list)? = p["positions"] { rows = list }
            text = rows.map { row in
                "\(row["account"]?.string ?? "?") base \(Self.format(row["base"]?.number ?? 0, 4)) quote \(Self.format(row["quote"]?.number ?? 0, 2))"
            }.joined(separator: "; ")
        case EventType.decision:
            route = "\(source) ▶ decision"
            text = "\(s("symbol")) \(s("side")) \(s("outcome").uppercased()) at \(s("stage")): \(s("reason"))"
        case EventType.exit:
            route = "\(source) ▶ exit"
            let target = p["target_index"]?.number.map { " \(Int($0) + 1)" } ?? ""
            text = "\(s("symbol")) \(s("reason").replacingOccurrences(of: "_", with: "-"))\(target): \(s("side")) \(n("qty")) "
                + "(trigger \(n("trigger_price", 2)), seen \(n("observed_price", 2)), \(n("remaining_after")) left) "
                + "of the position opened in trace \(s("opening_trace_id").prefix(8))"
        case EventType.quote:
            route = "\(source) ▶ quote"
            func levels(_ key: String) -> String {
                guard case .array(let list)? = p[key] else { return "-" }
                return list.map { "\(Self.format($0["qty"]?.number ?? 0, 4))@\(Self.format($0["price"]?.number ?? 0, 2))" }.joined(separator: " ")
            }
            let extra = [p["flatten"]?.string.map { "flatten \($0)" }, p["problem"]?.string, p["stopped"]?.bool == true ? "stopped" : nil]
                .compactMap { $0 }.joined(separator: "; ")
            text = "\(s("symbol")) \(s("account")) bids \(levels("bids")) | asks \(levels("asks")) (placed \(n("placed", 0)), cancelled \(n("cancelled", 0)))" + (extra.isEmpty ? "" : " — \(extra)")
        case EventType.hedge:
            route = "\(source) ▶ hedge"
            text = "\(s("from")) \(s("fill_side")) \(n("qty")) → \(s("to")) \(s("status"))" + (p["hedge_order_id"]?.string.map { " \($0)" } ?? "") + (p["reason"]?.string.map { ": \($0)" } ?? "")
        case EventType.market:
            route = "\(source) ▶ market"
            text = "\(s("symbol")) bid \(n("bid", 2)) ask \(n("ask", 2)) last \(n("last", 2))"
        case LiquidationPayload.eventType:
            route = "\(source) ▶ liquidation"
            let order = p["order"], margin = p["margin"]
            var cancelled: [JSONValue] = []
            if case .array(let list)? = p["cancelled"] { cancelled = list }
            let resting = cancelled.map { "\($0["order_id"]?.string ?? "?") (\($0["client_order_id"]?.string ?? "?")) \($0["side"]?.string ?? "?") \(Self.format($0["remaining_qty"]?.number ?? 0, 4))" }
            text = "\(s("account")) \(order?["side"]?.string ?? "?") \(Self.format(order?["filled_qty"]?.number ?? 0, 4)) \(s("symbol")) @ \(Self.format(order?["avg_price"]?.number ?? 0, 2)): "
                + "equity \(Self.format(margin?["equity"]?.number ?? 0, 2)) below maintenance \(Self.format(margin?["maintenance_margin"]?.number ?? 0, 2))"
                + (resting.isEmpty ? "" : "; cancelled \(resting.joined(separator: ", "))")
        case FundingPayload.eventType:
            route = "\(source) ▶ funding"
            text = "\(s("account")) \(s("symbol")) base \(n("base")) at \(n("mark", 2)): \(n("amount", 2)) \(s("asset")) (funding time \(n("funding_time", 0)))"
        case EventType.heartbeat:
            route = "\(source) ♥"
            text = "seq \(n("seq", 0)) up \(n("uptime_ms", 0)) ms handled \(n("handled", 0)) errors \(n("errors", 0))"
        default:
            route = "\(source) ▶ \(record.type)"
            text = ""
        }
    }

    static func format(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
}
