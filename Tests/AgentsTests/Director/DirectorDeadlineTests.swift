import Agents
import AgentsTesting
import Configuration
import Foundation
import Logging
import Testing
import Trading
import WireFormat
import WireProtocol

/// Deadlines and back-pressure: a signal that cannot start before it expires, or finds its
/// symbol's queue full, still gets its one decision saying why; latency counts from the
/// signal's timestamp; a failed step names the agent that did not answer.
@Suite(.timeLimit(.minutes(1)))
struct DirectorDeadlineTests {
    /// A signal stamped `age` seconds before the fixture's clock reads now.
    static func signal(_ symbol: String, sentAgo age: Double, ttlMs: Int? = nil, time: ManualTime) throws -> (topic: String, body: Data, id: String) {
        let envelope = Envelope(id: MessageID.make(), type: EventType.signal, traceId: TraceID.make(), parentId: nil, source: "hedgectl",
                                ts: time.nowMicros() - Int64(age * 1_000_000),
                                payload: SignalPayload(symbol: symbol, side: .buy, confidence: 0.8, ttlMs: ttlMs))
        return (Topic.signal(symbol), try JSONEnvelopeCodec().encode(envelope), envelope.id)
    }

    @Test func aSignalPastItsExpiryFailsWithoutACycleAndItsOwnTtlOverridesTheDefault() async throws {
        var settings = DirectorSection()
        settings.signalTtlMs = 1_000
        let fixture = try DirectorFixture(settings: settings)
        let stale = try Self.signal("BTC-USD", sentAgo: 5, time: fixture.time)
        let patient = try Self.signal("ETH-USD", sentAgo: 5, ttlMs: 60_000, time: fixture.time)
        try await SignalCycleTests.running(fixture) {
            fixture.director.receive(topic: stale.topic, body: stale.body)
            fixture.director.receive(topic: patient.topic, body: patient.body)
            let decisions = try await fixture.decisions(2).map(\.payload)
            let expired = try #require(decisions.first { $0.signalId == stale.id })
            #expect(expired.outcome == .failed && expired.stage == "queue")
            #expect(expired.reason.hasPrefix("expired before its cycle could start: sent 5000 ms ago") && expired.reason.hasSuffix("ttl 1000 ms"))
            #expect(expired.latencyUs >= 5_000_000)
            let filled = try #require(decisions.first { $0.signalId == patient.id })
            #expect(filled.outcome == .filled && filled.latencyUs >= 5_000_000 && filled.queuedUs != nil)
        }
        // Only the patient signal was analysed.
        #expect(fixture.analyst.received.count == 1)
    }

    @Test func aFullQueueRejectsTheNextSignalAtOnceNamingTheLimit() async throws {
        var settings = DirectorSection()
        settings.maxQueuedPerSymbol = 2
        let fixture = try DirectorFixture(settings: settings)
        let (entered, enter) = AsyncStream.makeStream(of: Void.self)
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        let first = try DirectorFixture.signal("BTC-USD", .buy)
        fixture.analyst.on(AnalyzeRequest.self) { request in
            if request.parentId == first.id {
                enter.yield()
                for await _ in gate { break }
            }
            return AnalysisReport(symbol: request.payload.symbol, direction: .flat, confidence: 0, sampleCount: 50, lastPrice: 100, thesis: "gated")
        }
        let rest = try (0..<3).map { _ in try DirectorFixture.signal("BTC-USD", .buy) }
        try await SignalCycleTests.running(fixture) {
            fixture.director.receive(topic: first.topic, body: first.body)
            // The first is running (held at its analysis): two more may wait, the third may not.
            for await _ in entered { break }
            for signal in rest { fixture.director.receive(topic: signal.topic, body: signal.body) }
            let refused = try #require(try await fixture.decisions(1).first).payload
            #expect(refused.signalId == rest[2].id && refused.outcome == .rejected && refused.stage == "queue")
            #expect(refused.reason.hasPrefix("2 signals already wait for BTC-USD (max_queued_per_symbol)"))
            open.yield()
            let all = try await fixture.decisions(4).map(\.payload.signalId)
            #expect(all == [rest[2].id, first.id, rest[0].id, rest[1].id])
        }
    }

    @Test func aFailedStepNamesTheAgentThatDidNotAnswerBehindThePeer() async throws {
        // The RiskManager itself cannot reach the MarketMaker: its error names it…
        let venue = InMemoryPeer(name: "market-maker")
        let risk = RiskManager(settings: RiskSection(), accounts: [AccountSection()], listed: ["BTC-USD"], venue: venue,
                               publisher: RecordingPublisher(source: "risk-manager"),
                               logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let ask = Envelope.make(type: AssessRequest.requestType, source: "trading-director", trace: .root(),
                                payload: AssessRequest(symbol: "BTC-USD", side: .buy, account: "desk", signalConfidence: 0.8,
                                                       analysis: AnalysisReport(symbol: "BTC-USD", direction: .long, confidence: 0.5,
                                                                                sampleCount: 50, thesis: "t")))
        let error = await #expect(throws: ProtocolError.self) { try await risk.assess(ask) }
        #expect(error?.code == .unreachable && error?.message.contains("market-maker") == true)
        // …and the director's decision carries that error, not "risk-manager did not answer".
        let fixture = try DirectorFixture()
        fixture.risk.on(AssessRequest.self) { request in try await risk.assess(request) }
        let signal = try DirectorFixture.signal("BTC-USD", .buy)
        try await SignalCycleTests.running(fixture) {
            fixture.director.receive(topic: signal.topic, body: signal.body)
            let decision = try #require(try await fixture.decisions(1).first).payload
            #expect(decision.outcome == .failed && decision.stage == "assess")
            #expect(decision.reason.hasPrefix("assess failed: market-maker"))
        }
    }

    @Test func timestampsAtTheEndsOfTheRangeAreDecidedWithoutOverflow() async throws {
        let fixture = try DirectorFixture()
        let codec = JSONEnvelopeCodec()
        var bodies: [(String, Data)] = []
        for ts in [Int64.max, Int64.min, 0] {
            let envelope = Envelope(id: MessageID.make(), type: EventType.signal, traceId: TraceID.make(), parentId: nil, source: "hedgectl",
                                    ts: ts, payload: SignalPayload(symbol: "BTC-USD", side: .buy, confidence: 0.8, ttlMs: 3_600_000))
            bodies.append((envelope.id, try codec.encode(envelope)))
        }
        try await SignalCycleTests.running(fixture) {
            for (_, body) in bodies { fixture.director.receive(topic: "signal.BTC-USD", body: body) }
            let decisions = try await fixture.decisions(3).map(\.payload)
            #expect(decisions.map(\.signalId) == bodies.map(\.0))
            // From the far future: not expired, latency 0. From the far past: expired.
            #expect(decisions[0].outcome != .failed && decisions[0].latencyUs == 0)
            #expect(decisions[1].outcome == .failed && decisions[1].stage == "queue" && decisions[1].latencyUs == .max)
            #expect(decisions[2].outcome == .failed && decisions[2].stage == "queue")
        }
    }
}
