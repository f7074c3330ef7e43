import ArgumentParser
import Configuration
import Foundation
import Messaging
import WireFormat
import WireProtocol

/// `hedgectl metrics`: every agent's counters, gauges and histograms.
struct MetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Print the metrics of every agent (or one) as a table, or raw Prometheus text.")

    @OptionGroup var options: CtlOptions
    @Option(help: "Only this agent.") var agent: AgentName?
    @Option(help: "Only metrics whose name contains this text.") var match: String?
    @Flag(help: "Print the Prometheus text exposition as each agent reports it.") var prometheus = false

    func run() async throws {
        let topology = try options.loadTopology()
        let agents = agent.map { [$0] } ?? AgentName.startOrder
        let policy = RequestPolicy(attemptTimeout: options.timeoutDuration, attempts: 1)
        let reports = try await withMessageLoop { loop in
            try await withThrowingTaskGroup(of: (AgentName, Result<MetricsReport, ProtocolError>).self) { group in
                for agent in agents {
                    let client = try await RequestClient.connect(loop: loop, peer: agent.rawValue, endpoint: try topology.endpoint(of: agent).endpoint,
                                                                 source: "hedgectl", policy: policy,
                                                                 curve: try options.curve(to: agent.rawValue, on: topology))
                    group.addTask {
                        do {
                            return (agent, .success(try await client.request(MetricsRequest(), trace: .root()).payload))
                        } catch let error as ProtocolError {
                            return (agent, .failure(error))
                        }
                    }
                }
                return try await group.reduce(into: [AgentName: Result<MetricsReport, ProtocolError>]()) { $0[$1.0] = $1.1 }
            }
        }
        var rows: [[String]] = []
        var failed = 0
        for agent in agents {
            switch reports[agent] {
            case .success(let report)?:
                if prometheus {
                    emit("# agent \(agent.rawValue)")
                    emit(report.exposition)
                    continue
                }
                rows += PrometheusText.samples(report.exposition)
                    .filter { match.map($0.name.contains) ?? true }
                    .map { [agent.rawValue, $0.name, $0.labels, $0.value] }
            case .failure(let error)?:
                failed += 1
                StandardStreams.error("\(agent.rawValue): \(error.message)\n")
            case nil:
                failed += 1
            }
        }
        if !prometheus { printTable(["AGENT", "METRIC", "LABELS", "VALUE"], rows.sorted { $0.lexicographicallyPrecedes($1) }) }
        if failed > 0 { throw ExitCode(1) }
    }
}

extension AgentName: ExpressibleByArgument {}

/// Reads the sample lines of a Prometheus text exposition, leaving out histogram buckets (the
/// `_count` and `_sum` lines stay) and comments.
enum PrometheusText {
    struct Sample {
        let name: String
        let labels: String
        let value: String
    }

    static func samples(_ text: String) -> [Sample] {
        text.split(separator: "\n").compactMap { line -> Sample? in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " ") else { return nil }
            let series = line[..<space]
            let value = String(line[line.index(after: space)...])
            let name = String(series.prefix { $0 != "{" })
            guard !name.hasSuffix("_bucket") else { return nil }
            let labels = series.contains("{") ? String(series.drop { $0 != "{" }.dropFirst().dropLast()) : ""
            return Sample(name: name, labels: labels, value: value)
        }
    }
}
