import ArgumentParser
import Foundation
import Tracing
import WireFormat
import WireProtocol

/// `hedgectl trace export --otlp FILE`: a recording as OpenTelemetry spans in OTLP/JSON.
struct TraceExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a recording's traces as OTLP/JSON (an ExportTraceServiceRequest) for Jaeger, Tempo or an OpenTelemetry Collector.",
        discussion: """
            hedgectl trace export --otlp run/trace.otlp.json --from run/trace.jsonl
            curl -H 'Content-Type: application/json' --data-binary @run/trace.otlp.json http://127.0.0.1:4318/v1/traces
            Each req/rep hop is a CLIENT span (caller) and a SERVER span (callee); every other bus
            message is a PRODUCER span of its source; one resource per agent (service.name).
            Heartbeats and market ticks are left out.
            """)

    @Option(help: "Where to write the OTLP/JSON (`-` for standard output).") var otlp: String
    @Option(help: "The JSON Lines recording to read (from `hedgectl trace --record`).") var from = "run/trace.jsonl"
    @Argument(help: "Only the traces whose id starts with this (default: every trace).") var traceId: String?

    func run() throws {
        guard let data = FileManager.default.contents(atPath: from) else { throw CtlFailure("cannot read recording '\(from)'") }
        let (entries, skipped) = TraceRecord.read(jsonLines: data)
        if skipped > 0 { StandardStreams.error("skipped \(skipped) line(s) of \(from) that are not envelopes\n") }
        let records = entries.map(\.record).filter { traceId.map($0.traceId.hasPrefix) ?? true }
        let spans = records.compactMap(OTLPMapping.span(of:))
        guard !spans.isEmpty else {
            throw CtlFailure("no spans to export from \(from)\(traceId.map { " for traces starting with '\($0)'" } ?? "")")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = try encoder.encode(OTLPMapping.request(spans))
        if otlp == "-" {
            StandardStreams.out(body + Data("\n".utf8))
            return
        }
        guard FileManager.default.createFile(atPath: otlp, contents: body) else { throw CtlFailure("cannot write '\(otlp)'") }
        let traces = Set(spans.map(\.traceId)).count, services = Set(spans.map(\.service)).count
        StandardStreams.error("wrote \(spans.count) spans of \(traces) trace(s) from \(services) service(s) to \(otlp)\n")
    }
}
