import Instrumentation
import Testing
import WireProtocol
@testable import Agents

/// `DecisionInstruments` counts each decision in the `hedgebus_decisions_total` counter of its
/// outcome and stage — the one `Instruments` hands out for that label and those dimensions —
/// making each counter once.
@Suite struct DecisionInstrumentsTests {
    private func decision(_ outcome: DecisionOutcome, _ stage: String) -> DecisionPayload {
        DecisionPayload(signalId: "sig-\(outcome.rawValue)-\(stage)", symbol: "BTC-USD", side: .buy, outcome: outcome,
                        reason: "test", stage: stage, latencyUs: 1_250)
    }

    @Test func eachOutcomeAndStageIsCountedInItsOwnLabelledCounterMadeOnce() throws {
        let instruments = DecisionInstruments()
        #expect(instruments.countersKept == 0)
        let order: [(DecisionOutcome, String)] = [(.filled, "done"), (.rejected, "assess"), (.filled, "done"),
                                                  (.failed, "execute"), (.rejected, "assess"), (.filled, "done")]
        for (outcome, stage) in order { instruments.record(decision(outcome, stage)) }
        #expect(instruments.countersKept == 3)
        for (outcome, stage) in [(DecisionOutcome.filled, "done"), (.rejected, "assess"), (.failed, "execute")] {
            let kept = try #require(instruments.counter(of: outcome, at: stage), "\(outcome) at \(stage)")
            #expect(kept === Instruments.counter("hedgebus_decisions_total", [("outcome", outcome.rawValue), ("stage", stage)]))
        }
        #expect(instruments.counter(of: .filled, at: "assess") == nil)
        #expect(instruments.counter(of: .filled, at: "done") !== instruments.counter(of: .rejected, at: "assess"))
    }
}
