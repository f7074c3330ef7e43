import Foundation
import Testing
@testable import Tracing
import WireFormat
import WireProtocol

@Suite("Trace tree")
struct TraceTreeTests {
    @Test func hopsAndEventsNestUnderWhatCausedThem() throws {
        let fixture = CycleFixture.rejectedAtRisk()
        let tree = try #require(TraceTree(traceId: fixture.traceId, records: fixture.records))
        #expect(tree.roots.count == 1)
        let signal = tree.roots[0]
        #expect(signal.id == "sig")
        // analyze, assess, decision — in time order.
        #expect(signal.children.map(\.id) == ["req-a", "req-r", "dec"])
        #expect(signal.children[0].children.map(\.id) == ["an"])
        #expect(signal.children[1].children.map(\.id) == ["req-i", "rk"])
        guard case .hop(let assess) = signal.children[1].content else { Issue.record("assess is not a hop"); return }
        #expect(assess.caller == "trading-director")
        #expect(assess.callee == "risk-manager")
        #expect(assess.servedUs == 3_500)
        #expect(signal.children[1].endUs - signal.children[1].startUs == 5_000)
    }

    @Test func recordsOfOtherTracesAndHeartbeatsAreLeftOut() {
        var fixture = CycleFixture.rejectedAtRisk()
        fixture.records.append(Envelope(id: "hb", type: EventType.heartbeat, traceId: fixture.traceId, parentId: nil,
                                                    source: "bus", ts: 1_000_100, payload: .object([:])))
        fixture.records.append(Envelope(id: "x", type: EventType.signal, traceId: "11111111111111111111111111111111",
                                                    parentId: nil, source: "hedgectl", ts: 1, payload: .object([:])))
        let tree = TraceTree(traceId: fixture.traceId, records: fixture.records)
        #expect(tree?.allNodes.count == 7)
        #expect(TraceTree(traceId: "22222222222222222222222222222222", records: fixture.records) == nil)
    }

    @Test func aTraceOfBackgroundEventsAloneIsSummedUpByKind() {
        let trace = "33333333333333333333333333333333"
        func record(_ id: String, _ type: String, parent: String? = nil) -> TraceRecord {
            Envelope(id: id, type: type, traceId: trace, parentId: parent, source: "market-maker", ts: 1, payload: .object([:]))
        }
        let ticks = [record("m1", EventType.market), record("m2", EventType.market), record("a1", EventType.account)]
        #expect(TraceTree(traceId: trace, records: ticks) == nil)
        #expect(TraceTree.backgroundOnly(traceId: trace, records: ticks) == "2 market ticks and 1 account event")
        #expect(TraceTree.backgroundOnly(traceId: trace, records: [record("h", EventType.heartbeat)]) == "1 heartbeat")
        // An account event with a parent belongs to a cycle: the trace is not background alone.
        let cycle = ticks + [record("a2", EventType.account, parent: "ord")]
        #expect(TraceTree.backgroundOnly(traceId: trace, records: cycle) == nil)
        #expect(TraceTree.backgroundOnly(traceId: "44444444444444444444444444444444", records: ticks) == nil)
    }

    @Test func textShowsOffsetsDurationsAndTheTotal() throws {
        let fixture = CycleFixture.rejectedAtRisk()
        let lines = try #require(TraceTree(traceId: fixture.traceId, records: fixture.records)).text()
        #expect(lines.first == "trace \(fixture.traceId)")
        #expect(lines.contains { $0.hasPrefix("+    0.00 ms  signal  hedgectl: buy BTC-USD") })
        #expect(lines.contains { $0.contains("├─ assess  trading-director → risk-manager  ok 5.00 ms (handler 3.50 ms)") })
        #expect(lines.contains { $0.contains("│  ├─ inventory.get  risk-manager → market-maker  ok 1.00 ms (handler 0.40 ms)") })
        #expect(lines.contains { $0.contains("└─ decision  trading-director:") })
        #expect(lines.last == "total 9.00 ms from signal to decision (rejected)")
    }

    @Test func aCycleThatTookTheSymbolsLastReportSaysSoWhereItsAnalyzeHopWouldBe() throws {
        // The fixture's cycle asked its analysis: nothing to say.
        var asked = CycleFixture.rejectedAtRisk()
        asked.records[asked.records.count - 1].payload = .object(["outcome": .string("rejected"), "analysis": .object(["confidence": .number(0)])])
        let note = "no analyze hop: the analysis is the symbol's last report, which holds until its next tick"
        #expect(try #require(TraceTree(traceId: asked.traceId, records: asked.records)).text().contains(note) == false)
        // The same cycle without its analyze hop and analysis event: the decision's analysis was taken.
        var took = asked
        took.records.removeAll { ["req-a-c", "req-a-s", "an"].contains($0.id) }
        let lines = try #require(TraceTree(traceId: took.traceId, records: took.records)).text()
        #expect(lines.dropLast().last == note)
        // A decision without an analysis (the cycle failed before it), or a recording without hops.
        var failed = took
        failed.records[failed.records.count - 1].payload = .object(["outcome": .string("failed"), "analysis": .null])
        #expect(try #require(TraceTree(traceId: failed.traceId, records: failed.records)).analysisTakenFromLastReport == false)
        var bare = took
        bare.records.removeAll { $0.type == EventType.trace }
        #expect(try #require(TraceTree(traceId: bare.traceId, records: bare.records)).analysisTakenFromLastReport == false)
    }

    @Test func mermaidHasParticipantsArrowsInTimeOrderAndNoBreakingCharacters() throws {
        var fixture = CycleFixture.rejectedAtRisk()
        fixture.records[0].payload = .object(["symbol": .string("BTC-USD"), "side": .string("buy"), "confidence": .number(0.8), "note": .string("a; b #1")])
        let diagram = try #require(TraceTree(traceId: fixture.traceId, records: fixture.records)).mermaid()
        let lines = diagram.split(separator: "\n").map(String.init)
        #expect(lines.first == "sequenceDiagram")
        #expect(lines.contains("    participant trading_director as trading-director"))
        let request = try #require(lines.firstIndex(of: "    trading_director->>risk_manager: assess"))
        let nested = try #require(lines.firstIndex(of: "    risk_manager->>market_maker: inventory.get"))
        let reply = try #require(lines.firstIndex { $0.hasPrefix("    risk_manager-->>trading_director: assess.ok 5.00 ms") })
        #expect(request < nested && nested < reply)
        #expect(!diagram.contains(";"))
        #expect(!diagram.contains("#"))
    }

    @Test func failedHopsUseCrossedArrows() throws {
        var fixture = CycleFixture()
        fixture.event("sig", EventType.signal, source: "hedgectl", parent: nil, at: 0, ["symbol": .string("X")])
        fixture.hop("r", "execute", caller: "trading-director", callee: "execution-agent", causedBy: "sig",
                    start: 10, end: 3_000_010, handler: (20, 30), outcome: "timeout")
        let diagram = try #require(TraceTree(traceId: fixture.traceId, records: fixture.records)).mermaid()
        #expect(diagram.contains("execution_agent--xtrading_director: execute.timeout 3000.00 ms"))
    }
}

@Suite("Trace statistics")
struct TraceStatsTests {
    @Test func nearestRankPercentiles() throws {
        let p = try #require(Percentiles((1...100).map(Double.init).shuffled()))
        #expect(p.count == 100)
        #expect(p.p50 == 50)
        #expect(p.p90 == 90)
        #expect(p.p99 == 99)
        #expect(p.max == 100)
        let single = try #require(Percentiles([7]))
        #expect(single.p50 == 7 && single.p99 == 7)
        #expect(Percentiles([]) == nil)
        #expect(Percentiles([.nan]) == nil)
    }

    @Test func rowsPerHopSideAndEndToEnd() throws {
        let fixture = CycleFixture.rejectedAtRisk()
        let rows = Dictionary(uniqueKeysWithValues: TraceStats(records: fixture.records).rows.map { ($0.name, $0.latency) })
        #expect(rows["assess (round trip)"]?.p50 == 5.0)
        #expect(rows["assess (handler)"]?.p50 == 3.5)
        #expect(rows["inventory.get (round trip)"]?.count == 1)
        #expect(rows["end to end (signal → decision)"]?.max == 9.0)
        #expect(TraceStats(records: fixture.records).rows.last?.name == "end to end (signal → decision)")
    }

    @Test func jsonLinesRecordingsSkipNonEnvelopes() {
        let fixture = CycleFixture.rejectedAtRisk()
        let codec = JSONEnvelopeCodec()
        var text = Data()
        for record in fixture.records.prefix(3) {
            let envelope = Envelope(id: record.id, type: record.type, traceId: record.traceId, parentId: record.parentId,
                                    source: record.source, ts: record.ts, payload: record.payload)
            text += (try! codec.encode(envelope)) + Data("\n".utf8)
        }
        text += Data("garbage\n\n{\"v\":1}\n".utf8)
        let (entries, skipped) = TraceRecord.read(jsonLines: text)
        #expect(entries.map(\.record.id) == fixture.records.prefix(3).map(\.id))
        #expect(skipped == 2)
    }
}
