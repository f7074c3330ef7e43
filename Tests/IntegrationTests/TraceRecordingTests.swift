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
}
