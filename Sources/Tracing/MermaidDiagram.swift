import WireFormat
import WireProtocol

extension TraceTree {
    /// The trace as a Mermaid sequence diagram: requests as solid arrows, replies dashed (crossed
    /// on failure), bus events as async arrows to a `bus` participant, in time order.
    public func mermaid() -> String {
        var steps: [(at: Int64, order: Int, line: String)] = []
        var participants: [String] = []
        func see(_ name: String) -> String {
            let id = Self.participantID(name)
            if !participants.contains(name) { participants.append(name) }
            return id
        }
        for (index, node) in allNodes.enumerated() {
            switch node.content {
            case .event(let record):
                let from = see(record.source)
                let bus = see("bus")
                steps.append((node.startUs, index * 2, "    \(from)-)\(bus): \(Self.clean(record.type + " " + EventSummary(record).text, limit: 90))"))
            case .hop(let hop):
                let caller = see(hop.caller)
                let callee = see(hop.callee)
                steps.append((node.startUs, index * 2, "    \(caller)->>\(callee): \(Self.clean(hop.requestType, limit: 40))"))
                let arrow = hop.outcome == "ok" ? "-->>" : "--x"
                let ms = Double(node.endUs - node.startUs) / 1_000
                steps.append((node.endUs, index * 2 + 1, "    \(callee)\(arrow)\(caller): \(Self.clean("\(hop.requestType).\(hop.outcome) \(String(format: "%.2f", ms)) ms", limit: 60))"))
            }
        }
        let header = ["sequenceDiagram"] + participants.map { "    participant \(Self.participantID($0)) as \($0)" }
        let body = steps.sorted { ($0.at, $0.order) < ($1.at, $1.order) }.map(\.line)
        return (header + body + ["    Note over \(Self.participantID(participants.first ?? "bus")): \(Self.clean(totalLine(), limit: 90))"]).joined(separator: "\n")
    }

    /// Mermaid participant ids may not contain '-'.
    static func participantID(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// Message text without the characters that end or break a Mermaid statement.
    static func clean(_ text: String, limit: Int) -> String {
        let safe = text.replacingOccurrences(of: ";", with: ",").replacingOccurrences(of: "#", with: "no.")
            .replacingOccurrences(of: "\n", with: " ")
        return safe.count > limit ? String(safe.prefix(limit - 1)) + "…" : safe
    }
}
