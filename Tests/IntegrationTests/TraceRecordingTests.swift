import Configuration
import Foundation
import HedgeBusTesting
import Messaging
import Testing
import WireFormat

/// `hedgectl trace --record --quiet` reads only each envelope's header, and still records only
/// envelopes: what is not one is skipped and said so, and nothing else is lost.
@Suite("Trace recording", .timeLimit(.minutes(3)))
struct TraceRecordingTests {
    @Test func aQuietRecorderSkipsWhatIsNotAnEnvelopeAndKeepsTheRest() async throws {
        try await RunningTopology.run(extra: pipelineSections) { running in
            let (tail, recording) = try await ProtocolSchemaTests.startRecording(running)

            let loop = try MessageLoop(name: "recording-test")
            let publisher = try await GatedPublisher.connect(loop: loop, endpoint: running.topology.bus.publish)
            // Only the recorder's subscription (every topic) covers this one.
            #expect(await publisher.awaitSubscriber(for: "note.test", timeout: .seconds(20)))
            let garbage = ["\u{0}\u{1}not json", #"{"v":1}"#, #"[1,2,3]"#, #"{"v":1,"id":"x","type":"note","source":"t","ts":1,"payload":{}}"#]
            for body in garbage { try await publisher.publishRaw([Data("note.test".utf8), Data(body.utf8)]) }
            let good = Envelope.make(type: "note", source: "test", trace: .root(), payload: OpaquePayload())
            try await publisher.publish(good, topic: "note.test")
            await loop.shutdown()

            // SIGTERM: the recorder drains until every process has sent a heartbeat after it.
            running.processes.send(SIGTERM, to: tail)
            #expect(await running.processes.exitStatus(tail, within: .seconds(15)) == 0, "\(running.processes.log(tail))")

            let lines = try String(contentsOfFile: recording, encoding: .utf8).split(separator: "\n").map(String.init)
            let records = lines.compactMap { try? JSONEnvelopeCodec().decode(JSONValue.self, from: Data($0.utf8)) }
            #expect(records.count == lines.count, "every recorded line is an envelope")
            #expect(records.filter { $0.type == "note" }.map(\.id) == [good.id])
            for body in garbage { #expect(!lines.contains(body)) }
            let skipped = running.processes.log(tail).components(separatedBy: "skipped a message on 'note.test' that is not a valid envelope").count - 1
            #expect(skipped == garbage.count)
            // The drain: every process's heartbeats were recorded, up to the stop.
            #expect(Set(records.filter { $0.type == EventType.heartbeat }.map(\.source)).isSuperset(of: AgentName.allCases.map(\.rawValue) + ["bus"]))
        }
    }

    /// A payload of any size.
    struct Note: MessagePayload {
        let text: String
    }

    /// A recording whose write fails (here to `/dev/full`, a disk that is always full) stops with
    /// the reason and a non-zero status, where the write used to trap and dump a crash report.
    @Test func aRecordingOnAFullDiskStopsWithTheReason() async throws {
        let topology = try TestTopology.make()
        let proxy = try BusProxy(endpoints: BusProxy.Endpoints(publish: topology.topology.bus.publish, subscribe: topology.topology.bus.subscribe,
                                                               capture: nil),
                                 heartbeatInterval: .seconds(60)) { _ in nil }
        let running = Task { try await proxy.run() }
        let processes = ProcessGroup()
        let loop = try MessageLoop(name: "full-disk-test")
        do {
            let tail = try processes.start("hedgectl", ["trace", "--topology", topology.path, "--record", "/dev/full", "--quiet",
                                                        "--duration", "60"])
            let publisher = try await GatedPublisher.connect(loop: loop, endpoint: topology.topology.bus.publish)
            // The tail subscribes to every topic once it is up.
            #expect(await publisher.awaitSubscriber(for: "note.test", timeout: .seconds(20)))
            // A line over the recorder's 64 KiB batch is written at once, and the write fails.
            let note = Note(text: String(repeating: "x", count: 70_000))
            try await publisher.publish(Envelope.make(type: "note", source: "test", trace: .root(), payload: note), topic: "note.test")
            let status = await processes.exitStatus(tail, within: .seconds(30))
            let log = processes.log(tail)
            #expect(status != nil && status != 0, "\(log)")
            #expect(log.contains("recording to '/dev/full' stopped: No space left on device"), "\(log)")
            #expect(!log.contains("Fatal error"), "\(log)")
        } catch {
            Issue.record(error)
        }
        await loop.shutdown()
        await processes.stop()
        proxy.stop()
        try await running.value
    }
}
