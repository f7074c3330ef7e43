import ArgumentParser
import Configuration
import Foundation
import Synchronization
import Tracing
import WireFormat
import WireProtocol

/// `hedgectl trace stats`: latency per hop type and end to end.
struct TraceStatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Count, p50, p90, p99 and max latency for each req/rep hop type and for signal → decision.",
        discussion: "Over a recording (--from FILE) or a live window of --duration seconds.")

    @OptionGroup var options: CtlOptions
    @OptionGroup var source: RecordSource
    @Option(help: "Seconds of live traffic to measure.") var duration: Double = 10
    @Flag(help: "Print the rows as JSON.") var json = false

    func run() async throws {
        let records: [TraceRecord]
        if let recorded = try source.recorded() {
            records = recorded.map(\.record)
        } else {
            let topology = try options.loadTopology()
            let seen = Mutex<[TraceRecord]>([])
            try await followBus(topology: topology, curve: try options.curve(to: busName, on: topology), topics: [Topic.trace(""), Topic.signal(""), Topic.decision("")],
                                limit: .milliseconds(Int(duration * 1_000))) { record, _ in
                seen.withLock { $0.append(record) }
                return true
            }
            records = seen.withLock { $0 }
        }
        let stats = TraceStats(records: records)
        guard !stats.rows.isEmpty else { throw CtlFailure("no req/rep hops or signal/decision pairs to measure") }
        if json {
            let rows = stats.rows.map { ["name": .string($0.name), "count": .number(Double($0.latency.count)), "p50_ms": .number($0.latency.p50),
                                         "p90_ms": .number($0.latency.p90), "p99_ms": .number($0.latency.p99), "max_ms": .number($0.latency.max)] as [String: JSONValue] }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            emit(String(decoding: try encoder.encode(JSONValue.array(rows.map(JSONValue.object))), as: UTF8.self))
            return
        }
        let f = { (value: Double) in String(format: "%.2f", value) }
        printTable(["HOP", "COUNT", "P50 MS", "P90 MS", "P99 MS", "MAX MS"],
                   stats.rows.map { [$0.name, "\($0.latency.count)", f($0.latency.p50), f($0.latency.p90), f($0.latency.p99), f($0.latency.max)] })
    }
}
