import Agents
import AgentsTesting
import Foundation
import Ledger
import Testing
import WireFormat
import WireProtocol

/// A decision the director records is published from its record's bytes: the event's payload is
/// those bytes, not the decision written a second time, and reads back as the decision.
@Suite(.timeLimit(.minutes(1)))
struct RecordedDecisionTests {
    /// The bytes of the envelope's `payload` member: what lies between it and `"source"`, the
    /// member after it (the envelope's members are sorted by name).
    static func payloadBytes(_ body: Data) throws -> Data {
        let start = try #require(body.firstRange(of: Data(#","payload":"#.utf8))).upperBound
        let end = try #require(body.lastRange(of: Data(#","source":"#.utf8))).lowerBound
        return body[start..<end]
    }

    @Test("with a journal, each decision event carries its record's bytes as its payload")
    func recorded() async throws {
        let path = try DirectorRecoveryTests.storePath()
        defer { DirectorRecoveryTests.removeStore(at: path) }
        let (journal, _) = try DirectorRecoveryTests.open(path)
        let fixture = try DirectorFixture(journal: journal)
        fixture.risk.on(AssessRequest.self) { request in
            RiskVerdict(symbol: request.payload.symbol, side: request.payload.side, approved: false, qty: 0, price: 100, notional: 0,
                        reason: "fixture refuses \"ETH-USD\" / é", limit: "maxTotalExposurePct")
        }
        let signals = try [DirectorFixture.signal("BTC-USD", .buy), DirectorFixture.signal("ETH-USD", .sell)]
        var decisions: [Envelope<DecisionPayload>] = []
        try await SignalCycleTests.running(fixture) {
            for signal in signals { fixture.director.receive(topic: signal.topic, body: signal.body) }
            decisions = try await fixture.decisions(2)
        }
        await journal.close()

        let store = try DirectorStore(path: path)
        let events = fixture.bus.events.filter { $0.type == EventType.decision }
        #expect(events.count == 2)
        for (event, decision) in zip(events, decisions) {
            #expect(event.payloadType == "RecordedDecision", "published from the record, not written again")
            let signalId = try #require(decision.parentId)
            let record = try #require(try store.decision(of: signalId))
            #expect(try Self.payloadBytes(event.body) == record)
            #expect(decision.payload.outcome == .rejected && decision.payload.reason.contains("fixture refuses"))
        }
    }

    @Test("without a journal the decision is written for its event")
    func unrecorded() async throws {
        let fixture = try DirectorFixture()
        let signal = try DirectorFixture.signal("BTC-USD", .buy)
        try await SignalCycleTests.running(fixture) {
            fixture.director.receive(topic: signal.topic, body: signal.body)
            let decisions = try await fixture.decisions(1)
            #expect(decisions.first?.payload.outcome == .filled)
        }
        #expect(fixture.bus.events.filter { $0.type == EventType.decision }.map(\.payloadType) == ["DecisionPayload"])
    }
}
