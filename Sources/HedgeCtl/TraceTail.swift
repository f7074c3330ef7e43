import ArgumentParser
import Configuration
import Foundation
import Ledger
import Synchronization
import Tracing
import WireFormat
import WireProtocol

/// `hedgectl trace [tail]`: a live (or recorded) timeline, one line per hop or event.
struct TraceTail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print a timeline of bus events and req/rep hops (the default `trace` command).",
        discussion: """
            Heartbeats, market ticks and the account events of tick rounds are hidden unless --all or --type asks for them.
            --json prints envelopes as JSON Lines; --record FILE saves every envelope seen (all
            types, unfiltered) for `trace show`, `trace stats` or `--from` later.
            """)

    @OptionGroup var options: CtlOptions
    @OptionGroup var source: RecordSource
    @Flag(help: "Print envelopes as JSON Lines instead of readable lines.") var json = false
    @Option(name: .customLong("trace-id"), help: "Only this trace (a prefix of the 32-hex trace id is enough).") var traceId: String?
    @Option(name: .customLong("type"), help: "Only these envelope types (repeatable), e.g. --type decision --type fill.") var types: [String] = []
    @Option(help: "Only events about this symbol.") var symbol: String?
    @Option(help: "Only what this agent sent, or hops it took part in.") var agent: String?
    @Flag(help: "Include heartbeats, market ticks and tick-round account events.") var all = false
    @Option(help: "Stop after printing this many events.") var count: Int?
    @Option(help: "Stop after this many seconds.") var duration: Double?
    @Option(help: "Also append every envelope seen to this JSON Lines file.") var record: String?
    @Flag(help: "Print nothing (with --record: only record).") var quiet = false
    @Option(name: .customLong("ready-file"), help: "Create this file once a heartbeat from every process has arrived, i.e. the tail is live for every publisher.")
    var readyFile: String?

    func run() async throws {
        var filter = TraceFilter(traceId: traceId, types: Set(types), symbol: symbol, agent: agent, all: all)
        let printer = TracePrinter(json: json, color: !json && isatty(STDOUT_FILENO) != 0)
        let limit = count ?? .max
        if let recorded = try source.recorded() {
            var printed = 0
            for entry in recorded where printed < limit && filter.accepts(entry.record) {
                emit(printer.line(entry.record, raw: entry.raw))
                printed += 1
            }
            return
        }
        let topology = try options.loadTopology()
        let recorder = try record.map { try Recording(path: $0) }
        defer { recorder?.flush() }
        let state = Mutex((printed: 0, ready: ReadyMarker(path: readyFile), filter: filter))
        let topics = types.isEmpty || record != nil || readyFile != nil ? [""] : types.map { $0 + "." }
        // A recording drains on SIGTERM/SIGINT so the last cycles' trailing events are kept.
        let graceful = recorder == nil ? nil : GracefulStop()
        var stop: (@Sendable () async -> Void)?
        if let graceful { stop = { await graceful.deadline() } }
        let limitDuration: Duration? = duration.map { .milliseconds(Int($0 * 1_000)) }
        let curve = try options.curve(to: busName, on: topology)
        if quiet {
            // Nothing is printed: the drain and the ready file need each envelope's header only.
            try await followBus(topology: topology, curve: curve, topics: topics, limit: limitDuration, stop: stop, reading: OpaquePayload.self) { header, raw in
                if recorder?.append(raw) == false { return false }
                if graceful?.observe(header) == true { return false }
                state.withLock { $0.ready.observe(header) }
                return true
            }
            try recorder?.finish()
            return
        }
        try await followBus(topology: topology, curve: curve, topics: topics, limit: limitDuration, stop: stop) { record, raw in
            if recorder?.append(raw) == false { return false }
            if graceful?.observe(record) == true { return false }
            return state.withLock { state in
                state.ready.observe(record)
                guard state.filter.accepts(record) else { return true }
                emit(printer.line(record, raw: raw))
                state.printed += 1
                return state.printed < limit
            }
        }
        try recorder?.finish()
    }
}

/// Appends raw envelopes to a JSON Lines file, many lines per write: the lines gathered are
/// written once they reach 64 KiB, with the first line that comes 50 ms or more after the last
/// write, and at `flush()` (when the tail stops). A write per line was a system call per message
/// on the thread that receives them (docs/PERFORMANCE.md, change 127). The file's writeback
/// starts every MiB written (`AppendWriteback`, change 130), so a long recording never
/// leaves the disk a burst to write that holds up the ledger's syncs. A write that fails (a full
/// disk) ends the recording: what came before it stays in the file, and `finish()` says why.
final class Recording: Sendable {
    private static let batchBytes = 65_536
    private static let batchAge: Duration = .milliseconds(50)

    private let path: String
    private let descriptor: Int32
    private let writeback: AppendWriteback
    private let pending = Mutex<(lines: Data, lastWrite: ContinuousClock.Instant, failure: String?)>((Data(), .now, nil))

    init(path: String) throws {
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw CtlFailure("cannot open recording '\(path)': \(String(cString: strerror(errno))); give --record a file in a folder that exists and that you can write to") }
        self.path = path
        writeback = AppendWriteback(descriptor: descriptor)
    }

    deinit { close(descriptor) }

    /// Gathers `raw` as a line, writing the lines gathered when they are due; false once a write
    /// has failed (nothing more is recorded).
    func append(_ raw: Data) -> Bool {
        pending.withLock { pending in
            guard pending.failure == nil else { return false }
            pending.lines.append(raw)
            pending.lines.append(UInt8(ascii: "\n"))
            let now = ContinuousClock.now
            guard pending.lines.count >= Self.batchBytes || now - pending.lastWrite >= Self.batchAge else { return true }
            write(&pending)
            pending.lastWrite = now
            return pending.failure == nil
        }
    }

    /// Writes the lines gathered since the last write.
    func flush() {
        pending.withLock { pending in
            guard !pending.lines.isEmpty, pending.failure == nil else { return }
            write(&pending)
            pending.lastWrite = .now
        }
    }

    /// Writes what is gathered, and throws when the recording ended on a failed write.
    func finish() throws {
        flush()
        if let failure = pending.withLock({ $0.failure }) { throw CtlFailure(failure) }
    }

    private func write(_ pending: inout (lines: Data, lastWrite: ContinuousClock.Instant, failure: String?)) {
        if let failed = writeAll(pending.lines, to: descriptor) {
            pending.failure = "recording to '\(path)' stopped: \(String(cString: strerror(failed))); what came before is in the file. Free space on its disk, or record to another (--record), and start again"
        } else {
            writeback.appended(pending.lines.count)
        }
        pending.lines.removeAll(keepingCapacity: true)
    }
}

/// Writes the `--ready-file` once every process of the topology has been heard from.
struct ReadyMarker: Sendable {
    private let path: String?
    private var missing = Set([busName] + AgentName.allCases.map(\.rawValue))

    init(path: String?) { self.path = path }

    mutating func observe<P>(_ record: Envelope<P>) {
        guard let path, !missing.isEmpty, record.type == EventType.heartbeat else { return }
        // Any replica of a replicated agent (`quant-analyst#2`) counts for its agent.
        missing.remove(String(record.source.prefix { $0 != "#" }))
        if missing.isEmpty { _ = FileManager.default.createFile(atPath: path, contents: Data()) }
    }
}
