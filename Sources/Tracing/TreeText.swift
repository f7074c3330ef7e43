import Foundation
import WireFormat
import WireProtocol

extension TraceTree {
    /// The tree as indented text: time offset from the start, the node, its duration.
    ///
    ///     +   0.00 ms  signal  hedgectl: buy BTC-USD confidence 0.82
    ///     +   0.41 ms  ├─ analyze  trading-director → quant-analyst  ok  3.49 ms (handler 1.01 ms)
    public func text() -> [String] {
        var lines = ["trace \(traceId)"]
        func emit(_ node: Node, prefix: String, branch: String) {
            let offset = String(format: "+%8.2f ms", Double(node.startUs - startUs) / 1_000)
            lines.append("\(offset)  \(prefix)\(branch)\(Self.label(node))")
            let childPrefix = prefix + (branch == "├─ " ? "│  " : branch == "└─ " ? "   " : "")
            for (index, child) in node.children.enumerated() {
                emit(child, prefix: childPrefix, branch: index == node.children.count - 1 ? "└─ " : "├─ ")
            }
        }
        for root in roots { emit(root, prefix: "", branch: "") }
        if analysisTakenFromLastReport {
            lines.append("no analyze hop: the analysis is the symbol's last report, which holds until its next tick")
        }
        lines.append(totalLine())
        return lines
    }

    /// Whether the signal's decision carries an analysis that no `analyze` hop of this trace
    /// asked for: the director took the symbol's last report (docs/PROTOCOL.md §3). Said only of
    /// a trace that holds hops, since a recording without any shows no `analyze` either.
    public var analysisTakenFromLastReport: Bool {
        guard first(EventType.signal) != nil, let decision = first(EventType.decision),
              let analysis = decision.payload["analysis"], analysis != .null else { return false }
        let hops = allNodes.compactMap { node -> Hop? in
            if case .hop(let hop) = node.content { return hop }
            return nil
        }
        return !hops.isEmpty && !hops.contains { $0.requestType == "analyze" }
    }

    /// "total …" from the signal to its decision when both are present, else first to last record.
    public func totalLine() -> String {
        if let signal = first(EventType.signal), let decision = first(EventType.decision) {
            let outcome = decision.payload["outcome"]?.string ?? "?"
            return String(format: "total %.2f ms from signal to decision (%@)", Double(decision.ts - signal.ts) / 1_000, outcome)
        }
        if let exit = first(EventType.exit), let decision = first(EventType.decision) {
            let outcome = decision.payload["outcome"]?.string ?? "?"
            let opener = String((exit.payload["opening_trace_id"]?.string ?? "?").prefix(8))
            return String(format: "total %.2f ms from exit to decision (%@); the position was opened in trace %@",
                          Double(decision.ts - exit.ts) / 1_000, outcome, opener)
        }
        return String(format: "span %.2f ms (no signal→decision pair in this trace)", Double(endUs - startUs) / 1_000)
    }

    static func label(_ node: Node) -> String {
        switch node.content {
        case .event(let record):
            let summary = EventSummary(record)
            return "\(record.type)  \(record.source): \(summary.text)"
        case .hop(let hop):
            let total = Double(node.endUs - node.startUs) / 1_000
            let served = hop.servedUs.map { String(format: " (handler %.2f ms)", Double($0) / 1_000) } ?? ""
            let retries = hop.attempts > 1 ? " after \(hop.attempts) attempts" : ""
            let detail = hop.detail.map { " — \($0)" } ?? ""
            return String(format: "%@  %@ → %@  %@ %.2f ms", hop.requestType, hop.caller, hop.callee, hop.outcome, total) + served + retries + detail
        }
    }
}
