@testable import Agents
import AgentsTesting
import Foundation
import Ledger
import Testing
import WireFormat
import WireProtocol

/// A director sends on the analysis and the verdict it got as the bytes they came in, rather
/// than writing them again: in its `assess` request, its order's record and its decision.
@Suite struct ReceivedRepliesTests {
    /// `json` with a space after every colon and comma outside strings: the same JSON in
    /// another writer's form.
    static func spaced(_ json: Data) -> Data {
        var out = Data(capacity: json.count * 5 / 4)
        var inString = false, escaped = false
        for byte in json {
            out.append(byte)
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: ":") || byte == UInt8(ascii: ",") {
                out.append(UInt8(ascii: " "))
            }
        }
        return out
    }

    @Test func theAnalysisAndTheVerdictTravelOnAsTheyCame() async throws {
        let path = try DirectorRecoveryTests.storePath()
        defer { DirectorRecoveryTests.removeStore(at: path) }
        let (journal, _) = try DirectorRecoveryTests.open(path)
        let fixture = try DirectorFixture(journal: journal)
        fixture.analyst.writeReplies(Self.spaced)
        fixture.risk.writeReplies(Self.spaced)
        let signal = try DirectorFixture.signal("BTC-USD", .buy)
        var event = Data()
        try await SignalCycleTests.running(fixture) {
            fixture.director.receive(topic: signal.topic, body: signal.body)
            event = try #require(await fixture.bus.waitFor(1, of: EventType.decision).first).body
        }
        await journal.close()
        let decision = try JSONEnvelopeCodec().decode(DecisionPayload.self, from: event).payload
        #expect(decision.outcome == .filled)
        let analysis = try #require(decision.analysis), verdict = try #require(decision.risk)
        let spacedAnalysis = Self.spaced(try #require(analysis.writtenFastJSON()))
        let spacedVerdict = Self.spaced(try #require(verdict.writtenFastJSON()))
        // The request to the RiskManager carries the analysis in the analyst's form.
        let assess = try #require(fixture.risk.received.first { $0.type == AssessRequest.requestType })
        #expect(assess.body.range(of: spacedAnalysis) != nil)
        // So do the order's record and the decision, with the verdict in the RiskManager's.
        #expect(event.range(of: spacedAnalysis) != nil && event.range(of: spacedVerdict) != nil)
        let recorded = try #require(try DirectorStore(path: path).decision(of: signal.id))
        #expect(recorded.range(of: spacedAnalysis) != nil && recorded.range(of: spacedVerdict) != nil)
        // Read back, they are the values the peers sent.
        #expect(try DirectorRecordCoding.decode(DecisionPayload.self, from: recorded) == decision)
    }
}
