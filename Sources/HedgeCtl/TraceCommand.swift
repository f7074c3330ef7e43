import AgentRuntime
import ArgumentParser
import Foundation
import Messaging
import WireProtocol

/// `hedgectl trace`: a live (or recorded) timeline of what crosses the bus, req/rep hops included.
struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Tail the bus: signals, analyses, risk verdicts, orders, fills, decisions and the req/rep hops between agents.",
        discussion: """
            Heartbeats and market ticks are hidden unless --all or --type asks for them.
            --json prints the envelopes as JSON Lines (redirect to a file to record a run);
            --from FILE reads such a recording instead of the live bus.
            """)

    @OptionGroup var options: CtlOptions

    @Flag(help: "Print envelopes as JSON Lines instead of readable lines.") var json = false
    @Option(name: .customLong("trace-id"), help: "Only this trace (a prefix of the 32-hex trace id is enough).") var traceId: String?
    @Option(name: .customLong("type"), help: "Only these envelope types (repeatable), e.g. --type decision --type fill.") var types: [String] = []
    @Flag(help: "Include heartbeats and market ticks.") var all = false
    @Option(help: "Stop after printing this many events.") var count: Int?
    @Option(help: "Stop after this many seconds.") var duration: Double?
    @Option(help: "Read a JSON Lines recording instead of the live bus.") var from: String?
    @Option(name: .customLong("ready-file"), help: "Create this file once a heartbeat from every process has arrived, i.e. the tail is live for every publisher.")
    var readyFile: String?

    func run() async throws {
        let filter = TraceFilter(traceId: traceId, types: Set(types), all: all)
        let printer = TracePrinter(json: json, color: !json && isatty(STDOUT_FILENO) != 0)
        if let from {
            guard let data = FileManager.default.contents(atPath: from) else { throw CtlFailure("cannot read recording '\(from)'") }
            var printed = 0
            for line in data.split(separator: UInt8(ascii: "\n")) where printed < (count ?? .max) {
                if printer.show(Data(line), filter: filter) { printed += 1 }
            }
            return
        }
        let topology = try options.loadTopology()
        let limit = count ?? .max
        let stopAfter = duration.map { Duration.milliseconds(Int($0 * 1_000)) }
        try await withMessageLoop { loop in
            let topics = filter.types.isEmpty ? [""] : filter.types.map { $0 + "." }
            let messages = try await BusSubscriber.connect(loop: loop, endpoint: topology.bus.subscribe, topics: topics).messages
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    var printed = 0
                    var ready = ReadyMarker(path: readyFile)
                    for await message in messages where printed < limit {
                        ready.observe(message)
                        if printer.show(message.body, filter: filter) { printed += 1 }
                        if printed >= limit { break }
                    }
                }
                if let stopAfter { group.addTask { try? await Task.sleep(for: stopAfter) } }
                await group.next()
                group.cancelAll()
            }
        }
    }
}

/// Which events `hedgectl trace` shows.
struct TraceFilter: Sendable {
    let traceId: String?
    let types: Set<String>
    let all: Bool

    func accepts(_ envelope: Envelope<JSONValue>) -> Bool {
        if let traceId, !envelope.traceId.hasPrefix(traceId) { return false }
        let kind = String(envelope.type.split(separator: ".").first ?? "")
        if !types.isEmpty { return types.contains(kind) || types.contains(envelope.type) }
        return all || (kind != EventType.heartbeat && kind != EventType.market)
    }
}

/// Writes the `--ready-file` once every process of the topology has been heard from.
struct ReadyMarker {
    private let path: String?
    private var missing = Set([busName] + AgentName.allCases.map(\.rawValue))

    init(path: String?) { self.path = path }

    mutating func observe(_ message: BusMessage) {
        guard let path, !missing.isEmpty, Topic.kind(of: message.topic) == EventType.heartbeat else { return }
        missing.remove(String(Topic.qualifier(of: message.topic)))
        if missing.isEmpty { FileManager.default.createFile(atPath: path, contents: Data()) }
    }
}
