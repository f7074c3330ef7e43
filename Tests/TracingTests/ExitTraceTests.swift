import Testing
@testable import Tracing
import WireFormat
import WireProtocol

@Suite struct ExitTraceTests {
    /// An exit cycle: the exit event (its parent is the opening signal, in another trace),
    /// the execute hop it caused, and the decision.
    static func exitCycle() -> CycleFixture {
        var f = CycleFixture()
        f.event("ex", EventType.exit, source: "trading-director", parent: "opening-signal", at: 2_000_000,
                ["symbol": .string("BTC-USD"), "reason": .string("take_profit"), "target_index": .number(1), "side": .string("sell"),
                 "qty": .number(0.3), "trigger_price": .number(60_120), "observed_price": .number(60_125.5), "remaining_after": .number(0.2),
                 "opening_signal_id": .string("opening-signal"), "opening_trace_id": .string("4bf92f3577b34da6a3ce929d0e0e4736")])
        f.hop("req-x", "execute", caller: "trading-director", callee: "execution-agent", causedBy: "ex",
              start: 2_000_500, end: 2_004_000, handler: (2_001_000, 2_003_500))
        f.event("dec", EventType.decision, source: "trading-director", parent: "ex", at: 2_005_000,
                ["symbol": .string("BTC-USD"), "side": .string("sell"), "outcome": .string("filled"), "stage": .string("exit"), "reason": .string("take-profit 2")])
        return f
    }

    @Test func theExitSummaryNamesReasonTargetNumbersAndTheOpeningTrace() throws {
        let exit = try #require(Self.exitCycle().records.first)
        let summary = EventSummary(exit)
        #expect(summary.route == "trading-director ▶ exit")
        #expect(summary.text == "BTC-USD take-profit 2: sell 0.3000 (trigger 60120.00, seen 60125.50, 0.2000 left) of the position opened in trace 4bf92f35")
    }

    @Test func anExitTraceIsATreeRootedAtTheExitWithItsOwnTotal() throws {
        let fixture = Self.exitCycle()
        let tree = try #require(TraceTree(traceId: fixture.traceId, records: fixture.records))
        let lines = tree.text()
        #expect(lines.contains { $0.contains("exit  trading-director: BTC-USD take-profit 2") })
        #expect(lines.contains { $0.contains("execute  trading-director → execution-agent") })
        #expect(lines.last == "total 5.00 ms from exit to decision (filled); the position was opened in trace 4bf92f35")
    }
}
