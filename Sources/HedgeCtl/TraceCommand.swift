import ArgumentParser
import Configuration
import Foundation
import Messaging
import Tracing
import WireFormat
import WireProtocol

/// `hedgectl trace`: what crosses the bus, req/rep hops included.
struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Follow the bus, show one signal's cycle as a tree or diagram, summarise latencies, or export OpenTelemetry spans.",
        subcommands: [TraceTail.self, TraceShow.self, TraceStatsCommand.self, TraceExport.self],
        defaultSubcommand: TraceTail.self)
}

/// Where trace records come from: a recording, or the live bus for a while.
struct RecordSource: ParsableArguments {
    @Option(help: "Read a JSON Lines recording (from `hedgectl trace --json` or --record) instead of the live bus.") var from: String?

    /// Reads the recording (records with their original lines); nil when live.
    func recorded() throws -> [(record: TraceRecord, raw: Data)]? {
        guard let from else { return nil }
        guard let data = FileManager.default.contents(atPath: from) else { throw CtlFailure("cannot read recording '\(from)'") }
        let (entries, skipped) = TraceRecord.read(jsonLines: data)
        if skipped > 0 { StandardStreams.error("skipped \(skipped) line(s) of \(from) that are not envelopes\n") }
        return entries
    }
}

/// Streams bus messages as records to `handle` until it returns false, `limit` passes, or `stop`
/// returns. The records are read and handled on the loop thread that receives them, as an
/// agent's messages are: a watcher of a busy desk takes each message without waking a second
/// thread for it.
func followBus(topology: Topology, curve: CurveRole?, topics: [String], limit: Duration?, stop: (@Sendable () async -> Void)? = nil,
               _ handle: @escaping @Sendable (TraceRecord, Data) -> Bool) async throws {
    try await followBus(topology: topology, curve: curve, topics: topics, limit: limit, stop: stop, reading: JSONValue.self, handle)
}

/// Streams bus messages to `handle` as `followBus(topology:curve:topics:limit:stop:_:)` does,
/// each read as an envelope of `P`: `OpaquePayload` checks that a message is an envelope and
/// reads its header only, for a reader that looks at nothing else.
func followBus<P: MessagePayload>(topology: Topology, curve: CurveRole?, topics: [String], limit: Duration?, stop: (@Sendable () async -> Void)? = nil,
                                  reading _: P.Type, _ handle: @escaping @Sendable (Envelope<P>, Data) -> Bool) async throws {
    try await withMessageLoop { loop in
        let messages = try await BusSubscriber.connect(loop: loop, endpoint: topology.bus.subscribe, topics: topics, curve: curve).messages
        await withTaskGroup(of: Void.self) { group in
            group.addTask(executorPreference: loop) {
                for await message in messages {
                    guard let record = try? JSONEnvelopeCodec().decode(P.self, from: message.body) else {
                        StandardStreams.error("skipped a message on '\(message.topic)' that is not a valid envelope\n")
                        continue
                    }
                    if !handle(record, message.body) { break }
                }
            }
            if let limit { group.addTask { try? await Task.sleep(for: limit) } }
            if let stop { group.addTask { await stop() } }
            await group.next()
            group.cancelAll()
        }
    }
}
