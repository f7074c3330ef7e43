import Configuration
import Foundation
import HedgeBusTesting
import Ledger
import Messaging
import Testing
import WireFormat
import WireProtocol

/// Where the director's records commit: in a process of its own at the end of its message
/// loop's iteration (no thread of their own); in one process there too while signals come
/// slowly, and on a `director-journal` thread once they come fast, since there the one loop runs
/// every agent (`HybridCommitPolicy`; which of the two a commit takes is `HybridCommitTests`').
/// Either way a decision is published only once its record is committed.
@Suite("Where the director's records commit", .serialized, .timeLimit(.minutes(3)))
struct DirectorJournalThreadTests {
    @Test(arguments: AgentLayout.allCases)
    func onlyOneProcessHasAJournalThreadAndEitherCommitsBeforeTheDecisionIsPublished(layout: AgentLayout) async throws {
        try await RunningTopology.run(extra: pipelineSections, layout: layout) { running in
            let loop = try MessageLoop(name: "journal-thread-test")
            let recorder = try await BusRecorder.start(loop: loop, topology: running.topology)
            try await recorder.awaitEveryHeartbeat(timeout: .seconds(20))
            let publisher = try await GatedPublisher.connect(loop: loop, endpoint: running.topology.bus.publish)
            #expect(await publisher.awaitSubscriber(for: "signal.BTC-USD", timeout: .seconds(10)))

            let director = layout == .oneProcess ? RunningTopology.allAgents : AgentName.tradingDirector.rawValue
            let pid = try #require(running.handles[director]).pid
            // Linux keeps the first 15 bytes of a thread's name.
            let threads = ThreadPolicyTests.threadPolicies(of: pid).map(\.name)
            #expect(threads.contains("director-journa") == (layout == .oneProcess), "\(director)'s threads: \(threads)")

            let signal = Envelope.make(type: EventType.signal, source: "test", trace: .root(),
                                       payload: SignalPayload(symbol: "BTC-USD", side: .buy, confidence: 0.9))
            try await publisher.publish(signal, topic: Topic.signal("BTC-USD"))
            #expect(await recorder.wait(timeout: .seconds(30)) { messages in
                messages.contains { $0.topic.hasPrefix("decision.") && (try? JSONEnvelopeCodec().decodeHeader(from: $0.body).parentId) == signal.id }
            })
            // The record was committed before the decision left: another connection reads it now.
            let store = try DirectorStore(path: "\(running.processes.logDirectory)/director.sqlite")
            let recorded = try #require(try store.decision(of: signal.id), "no decision recorded for the published one")
            #expect(String(decoding: recorded, as: UTF8.self).contains("\"signal_id\":\"\(signal.id)\""))
            await loop.shutdown()
        }
    }
}
