import ArgumentParser
import Configuration
import Foundation
import Synchronization
import Tracing
import WireFormat
import WireProtocol

/// `hedgectl trace show TRACE_ID`: one signal's whole cycle as a tree or a sequence diagram.
struct TraceShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one trace as an indented tree with each step's duration, or as a Mermaid sequence diagram.",
        discussion: """
            From a recording:  hedgectl trace show 4bf92f35 --from run/trace.jsonl
            Live: start it first, then inject; it waits for the trace's decision (up to --timeout).
            A prefix of the trace id is enough when it is unique. Without an id, every signal's
            trace in the recording is shown, in order.
            """)

    @OptionGroup var options: CtlOptions
    @OptionGroup var source: RecordSource
    @Argument(help: "The trace id (or a unique prefix of it); omit it with --from to show every signal's trace.") var traceId: String?
    @Flag(help: "Print a Mermaid sequence diagram instead of the tree.") var mermaid = false

    func validate() throws {
        if traceId == nil && source.from == nil { throw ValidationError("give a trace id, or --from FILE to show every trace in a recording") }
    }

    func run() async throws {
        let records: [TraceRecord]
        if let recorded = try source.recorded() {
            records = recorded.map(\.record)
            guard traceId != nil else {
                // Signals start entry cycles; exits start their own cycles, whose parent is the opening signal.
                let signals = records.filter { $0.type == EventType.signal || $0.type == EventType.exit }
                guard !signals.isEmpty else { throw CtlFailure("no signals in \(source.from ?? "")") }
                for signal in signals {
                    guard let tree = TraceTree(traceId: signal.traceId, records: records) else { continue }
                    if mermaid { emit(tree.mermaid()) } else { tree.text().forEach(emit) }
                    emit("")
                }
                return
            }
        } else {
            let traceId = self.traceId ?? ""
            let topology = try options.loadTopology()
            let seen = Mutex<[TraceRecord]>([])
            let wanted = traceId
            try await followBus(topology: topology, curve: try options.curve(to: busName, on: topology), topics: [""], limit: options.timeoutDuration) { record, _ in
                guard record.traceId.hasPrefix(wanted) else { return true }
                seen.withLock { $0.append(record) }
                // The decision is the cycle's last event; its trace events may trail it slightly.
                return record.type != EventType.decision
            }
            records = seen.withLock { $0 }
        }
        let traceId = self.traceId ?? ""
        let ids = Set(records.map(\.traceId).filter { $0.hasPrefix(traceId) })
        guard let id = ids.first else { throw CtlFailure("no trace starting with '\(traceId)' \(source.from.map { "in \($0)" } ?? "seen on the bus within \(options.timeout)s")") }
        guard ids.count == 1 else { throw CtlFailure("'\(traceId)' matches \(ids.count) traces (\(ids.sorted().prefix(5).map { $0.prefix(12) }.joined(separator: ", "))…); give more of the id") }
        guard let tree = TraceTree(traceId: id, records: records) else {
            let held = TraceTree.backgroundOnly(traceId: id, records: records).map { "holds only \($0)" } ?? "has no events"
            throw CtlFailure("trace \(id) \(held), which trace show does not draw: heartbeats, market ticks and a tick round's "
                + "account events start no cycle (`hedgectl trace tail --all` shows them)")
        }
        if mermaid { emit(tree.mermaid()) } else { tree.text().forEach(emit) }
    }
}
