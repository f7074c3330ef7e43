@testable import Agents
import AgentsTesting
import Foundation
import Ledger
import Testing
import Trading
import WireFormat
import WireProtocol

/// The director's records as the project's own codec writes them: they read back to the same
/// values, they are the JSON Foundation writes (so records of earlier versions read back the
/// same), non-finite numbers still round-trip, and a director recovers from records of either.
@Suite(.timeLimit(.minutes(1)))
struct DirectorRecordCodingTests {
    /// How records were written before they used the project's codec.
    static func earlierForm<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(value)
    }

    static func step() throws -> ExecutionStep {
        let analysis = AnalysisReport(symbol: "BTC-USD", direction: .long, confidence: 0.61, sampleCount: 50, lastPrice: 60_123.5,
                                      thesis: "momentum 5/20 up, \"quoted\" é")
        let plan = try DirectorFixture.plan(stop: 59_000.25, target: 62_000.75, qty: 0.015)
        let verdict = RiskVerdict(symbol: "BTC-USD", side: .buy, approved: true, qty: WireDecimal(units: 1_500_000), price: 60_123.5,
                                  notional: 901.85, reason: "within limits", limit: nil, plan: plan)
        return ExecutionStep(analysis: analysis, verdict: verdict)
    }

    static func decision(_ step: ExecutionStep) -> DecisionPayload {
        let fill = FillPayload(orderId: "O-7", clientOrderId: "sig-a/b", account: "desk", symbol: "BTC-USD", side: .buy,
                               price: WireDecimal(units: 6_012_350_000_000), qty: WireDecimal(units: 1_500_000), fee: WireDecimal(units: 90_185))
        return DecisionPayload(signalId: "a/b", symbol: "BTC-USD", side: .buy, outcome: .filled, reason: "bought 0.015 BTC-USD at 60123.5",
                               stage: "done", orderId: "O-7", filledQty: fill.qty, avgPrice: fill.price, analysis: step.analysis,
                               risk: step.verdict, fills: [fill], latencyUs: 4_210, queuedUs: 12)
    }

    @Test func aStepAndADecisionReadBackToTheSameValuesAndAreFoundationsJSON() throws {
        let step = try Self.step()
        let bytes = try DirectorRecordCoding.record(step).json
        let back = try DirectorRecordCoding.decode(ExecutionStep.self, from: bytes)
        #expect(back.analysis == step.analysis && back.verdict == step.verdict)

        let decision = Self.decision(step)
        let recorded = try DirectorRecordCoding.encode(decision)
        #expect(try DirectorRecordCoding.decode(DecisionPayload.self, from: recorded) == decision)
        // The same document Foundation writes, except that `/` is not escaped.
        let foundation = JSONEncoder()
        foundation.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(recorded == (try foundation.encode(decision)))
        #expect(bytes == (try foundation.encode(step)))
    }

    @Test func recordsWrittenByEarlierVersionsReadBackTheSame() throws {
        let step = try Self.step()
        let decision = Self.decision(step)
        let earlier = try Self.earlierForm(decision)
        #expect(String(decoding: earlier, as: UTF8.self).contains(#"a\/b"#))
        #expect(try DirectorRecordCoding.decode(DecisionPayload.self, from: earlier) == decision)
        let earlierStep = try DirectorRecordCoding.decode(ExecutionStep.self, from: try Self.earlierForm(step))
        #expect(earlierStep.analysis == step.analysis && earlierStep.verdict == step.verdict)
    }

    @Test func aNonFiniteNumberIsWrittenAsAStringAndReadBack() throws {
        var step = try Self.step()
        step.analysis.volatility = .infinity
        step.analysis.lastPrice = -.infinity
        let bytes = try DirectorRecordCoding.record(step).json
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""volatility":"inf""#) && text.contains(#""last_price":"-inf""#))
        let back = try DirectorRecordCoding.decode(ExecutionStep.self, from: bytes)
        #expect(back.analysis.volatility == .infinity && back.analysis.lastPrice == -.infinity && back.analysis == step.analysis)
        #expect(throws: (any Error).self) { try DirectorRecordCoding.decode(ExecutionStep.self, from: Data(#"{"analysis": 1}"#.utf8)) }
    }

    @Test func aWatchedPositionRecordReadsBackInEitherForm() async throws {
        let path = try DirectorRecoveryTests.storePath()
        defer { DirectorRecoveryTests.removeStore(at: path) }
        let (journal, _) = try DirectorRecoveryTests.open(path)
        let fixture = try DirectorFixture(journal: journal)
        let signal = try DirectorFixture.signal("BTC-USD", .buy)
        try await SignalCycleTests.running(fixture) {
            fixture.director.receive(topic: signal.topic, body: signal.body)
            _ = try await fixture.decisions(1)
        }
        await journal.close()
        let state = try #require(try DirectorStore(path: path).load(rememberedSignals: 10).positions.first?.state)
        let record = try DirectorRecordCoding.decode(PositionRecord.self, from: state)
        #expect(record.position.openingSignalId == signal.id && record.position.tracker.remainingQty == 2 && record.inFlight.isEmpty)
        // Written again by either encoder, it reads back to the same record.
        #expect(try DirectorRecordCoding.encode(record) == state)
        let earlier = try DirectorRecordCoding.decode(PositionRecord.self, from: try Self.earlierForm(record))
        #expect(try DirectorRecordCoding.encode(earlier) == state)
    }

    @Test func aDirectorResumesAnOrderRecordedInTheEarlierForm() async throws {
        let path = try DirectorRecoveryTests.storePath()
        defer { DirectorRecoveryTests.removeStore(at: path) }
        let signal = try DirectorFixture.signal("ETH-USD", .buy)
        let step = try Self.step()
        try DirectorStore(path: path).record([
            .accepted(signalId: signal.id, symbol: "ETH-USD", receivedUs: WallClock.micros(), envelope: signal.body),
            .executing(signalId: signal.id, step: try Self.earlierForm(step)),
        ])
        let (journal, records) = try DirectorRecoveryTests.open(path)
        let after = try DirectorFixture(journal: journal)
        DirectorRecoveryTests.venueHolds([:], on: after.venue)
        try await SignalCycleTests.running(after) {
            let recovery = await after.director.recover(records)
            #expect(recovery.ordersResent == 1 && recovery.problems.isEmpty)
            let decision = try #require(try await after.decisions(1).first)
            #expect(decision.payload.outcome == .filled && decision.payload.risk == step.verdict)
        }
        #expect(after.analyst.received.isEmpty)
        await journal.close()
        // Its decision is on record in the new form.
        let recorded = try #require(try DirectorStore(path: path).decision(of: signal.id))
        #expect(try DirectorRecordCoding.decode(DecisionPayload.self, from: recorded).outcome == .filled)
    }
}
