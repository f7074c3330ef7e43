@testable import Agents
import Foundation
import Testing
import Trading
import WireFormat
import WireProtocol

/// The director's records written by their hand-written forms are the bytes the `Codable` path
/// writes, over samples and seeded random values; steps and decisions read back by those forms
/// are the values the `Codable` path reads; what a form declines still comes out the same.
@Suite(.timeLimit(.minutes(1)))
struct DirectorRecordFormsTests {
    /// The hand-written form's own bytes; fails the test when it declines.
    static func formBytes<Value: FastWireCodable>(_ value: Value) throws -> Data {
        let out = ByteBuffer(capacity: 64)
        try value.writeFastJSON(to: out)
        return out.takeData()
    }

    /// A fixed-point value of up to `whole` units with up to 8 decimals, positive.
    static func fixed<Kind>(_ random: inout SeededGenerator, upTo whole: Int64) -> FixedPoint<Kind> {
        let decimals = Int64.random(in: 0...8, using: &random)
        var step: Int64 = 1
        for _ in 0..<(8 - decimals) { step *= 10 }
        return FixedPoint(raw: Int64.random(in: 1...(whole * 100_000_000 / step), using: &random) * step)
    }

    static let texts = ["momentum 5/20 up", "\"quoted\" é → ✓", "tab\tand\nnewline", "back\\slash", ""]

    static func step(_ random: inout SeededGenerator) throws -> ExecutionStep {
        func maybe(_ value: Double) -> Double? { Bool.random(using: &random) ? value : nil }
        let price = Double.random(in: 0.01...90_000, using: &random)
        let analysis = AnalysisReport(
            symbol: ["BTC-USD", "ETH-USD", "SOL/USD"].randomElement(using: &random)!, direction: Bool.random(using: &random) ? .long : .short,
            confidence: Double.random(in: 0...1, using: &random), technicalScore: Double.random(in: -1...1, using: &random),
            trendStrength: Double.random(in: 0...3, using: &random), sampleCount: Int.random(in: 0...500, using: &random),
            fastEma: maybe(price * 1.01), slowEma: maybe(price * 0.99), rsi: maybe(Double.random(in: 0...100, using: &random)),
            atr: maybe(price / 50), momentumZ: maybe(Double.random(in: -4...4, using: &random)), volatility: maybe(1e-7 * price),
            keyLevels: Bool.random(using: &random) ? KeyLevelsPayload(support: price * 0.9, resistance: price * 1.1) : nil,
            lastPrice: maybe(price), thesis: texts.randomElement(using: &random)!)
        let units = Int64.random(in: 1...10_000_000_000, using: &random)
        let plan = try DirectorFixture.plan(stop: WireDecimal(units: units / 2 + 1), target: WireDecimal(units: units * 2),
                                            qty: WireDecimal(units: units / 5 + 1))
        let verdict = RiskVerdict(symbol: analysis.symbol, side: analysis.direction == .long ? .buy : .sell, approved: Bool.random(using: &random),
                                  qty: WireDecimal(units: units), price: WireDecimal(units: units / 3 + 1), notional: WireDecimal(units: units * 7),
                                  reason: texts.randomElement(using: &random)!, limit: Bool.random(using: &random) ? "max_position" : nil,
                                  observed: maybe(0.3), allowed: maybe(0.25), plan: Bool.random(using: &random) ? plan : nil)
        return ExecutionStep(analysis: analysis, verdict: verdict)
    }

    static func decision(_ step: ExecutionStep, _ random: inout SeededGenerator) -> DecisionPayload {
        let fills = (0..<Int.random(in: 0...3, using: &random)).map { n in
            FillPayload(orderId: "O-\(n)", clientOrderId: "sig-\(n)/x", account: "desk", symbol: step.analysis.symbol, side: step.verdict.side,
                        price: WireDecimal(units: Int64.random(in: 1...10_000_000_000_000, using: &random)),
                        qty: WireDecimal(units: Int64.random(in: 1...1_000_000_000, using: &random)),
                        fee: WireDecimal(units: Int64.random(in: 0...1_000_000, using: &random)))
        }
        return DecisionPayload(signalId: "a/\(random.next() % 1000)", symbol: step.analysis.symbol, side: step.verdict.side,
                               outcome: fills.isEmpty ? .rejected : .filled, reason: texts.randomElement(using: &random)!, stage: "done",
                               orderId: fills.first?.orderId, filledQty: fills.first?.qty, avgPrice: fills.first?.price,
                               analysis: Bool.random(using: &random) ? step.analysis : nil, risk: Bool.random(using: &random) ? step.verdict : nil,
                               fills: fills.isEmpty ? nil : fills, latencyUs: Int64.random(in: 0...10_000_000, using: &random),
                               queuedUs: Bool.random(using: &random) ? Int64.random(in: 0...1_000, using: &random) : nil)
    }

    @Test func stepsAndDecisionsAreWrittenAndReadAsByCodable() throws {
        var random = SeededGenerator(seed: 29)
        var samples = [try DirectorRecordCodingTests.step()]
        for _ in 0..<300 { samples.append(try Self.step(&random)) }
        for step in samples {
            let codable = try DirectorRecordCoding.encodeWithCodable(step)
            #expect(try Self.formBytes(step) == codable)
            #expect(try DirectorRecordCoding.record(step).json == codable)
            let read = try #require(JSONValueReader.read(codable) { root throws(FastPathDeclined) in try ExecutionStep(fastJSON: root) })
            let expected = try DirectorRecordCoding.decodeWithCodable(ExecutionStep.self, from: codable)
            #expect(read.analysis == expected.analysis && read.verdict == expected.verdict)

            let decision = Self.decision(step, &random)
            let decisionBytes = try DirectorRecordCoding.encodeWithCodable(decision)
            #expect(try Self.formBytes(decision) == decisionBytes)
            #expect(try DirectorRecordCoding.encode(decision) == decisionBytes)
            // The cycle's path: the step written once, the decision taking its analysis and
            // verdict from those bytes, the same records byte for byte.
            let written = try #require(WrittenStep(step))
            #expect(written.json == codable)
            // Its analysis written already for the assess request, taken as it is: the same record.
            var ask = AssessRequest(symbol: step.analysis.symbol, side: step.verdict.side, account: "desk", signalConfidence: 0.5,
                                    analysis: step.analysis)
            let writtenAnalysis = ask.writeAnalysis()
            let analysis = try #require(writtenAnalysis)
            let withWritten = try #require(WrittenStep(step, writtenAnalysis: analysis))
            #expect(withWritten.json == codable && withWritten.analysis == written.analysis && withWritten.verdict == written.verdict)
            #expect(DirectorRecordCoding.written(decision, step: written) == decisionBytes)
            #expect(try DirectorRecordCoding.decode(DecisionPayload.self, from: decisionBytes)
                    == (try DirectorRecordCoding.decodeWithCodable(DecisionPayload.self, from: decisionBytes)))
        }
    }

    @Test func aStepWithAMemberMissingIsLeftToCodableAndRefused() throws {
        let partial = Data(#"{"analysis":{"confidence":0.5,"direction":"long","sample_count":1,"symbol":"X","technical_score":0,"thesis":"","trend_strength":0}}"#.utf8)
        #expect(JSONValueReader.read(partial) { root throws(FastPathDeclined) in try ExecutionStep(fastJSON: root) } == nil)
        #expect(throws: (any Error).self) { try DirectorRecordCoding.decode(ExecutionStep.self, from: partial) }
    }

    /// Positions opened, partly exited and with exits in flight, as the director's book makes them.
    static func records(_ random: inout SeededGenerator, count: Int) throws -> [PositionRecord] {
        var records: [PositionRecord] = []
        for n in 0..<count {
            var book = ExitBook(maxHoldingMicros: Bool.random(using: &random) ? Int64.random(in: 1...86_400_000_000, using: &random) : nil)
            let side: Side = Bool.random(using: &random) ? .buy : .sell
            let entry: Price = fixed(&random, upTo: 50_000)
            let qty: Quantity = fixed(&random, upTo: 100)
            let fee: Money = fixed(&random, upTo: 10)
            let distance = Price(raw: max(1, entry.raw / Int64.random(in: 5...50, using: &random)))
            let stop = side == .buy ? entry - distance : entry + distance
            var targets: [PlannedTarget] = []
            var left = qty
            for multiple in [2.0, 3.0, 4.0].prefix(Int.random(in: 0...3, using: &random)) {
                let part = Quantity(raw: left.raw / 2)
                guard part.isPositive else { break }
                let step = Price(raw: Int64(Double(distance.raw) * multiple))
                targets.append(PlannedTarget(riskReward: multiple, fraction: 0.5, price: side == .buy ? entry + step : entry - step, qty: part))
                left -= part
            }
            let id = "sig-\(n)"
            let now = Int64.random(in: 1_700_000_000_000_000...1_800_000_000_000_000, using: &random)
            try book.open(signalId: id, traceId: String(random.next(), radix: 16), symbol: "BTC-USD", account: "desk",
                          fills: [Execution(side: side, qty: qty, price: entry, fee: fee)], stopPrice: stop, targets: targets,
                          plannedQty: qty, at: now)
            // A touch past the first target (or the stop) puts exits in flight.
            var inFlight: [DueExit] = []
            if Bool.random(using: &random) {
                let far = Price(raw: distance.raw * Int64.random(in: 1...5, using: &random))
                let price = side == .buy ? entry + far : (entry.raw > far.raw ? entry - far : Price(raw: 1))
                inFlight = book.evaluate(symbol: "BTC-USD", bid: price, ask: price, at: now + 1)
            }
            records.append(PositionRecord(position: try #require(book.position(id)), inFlight: inFlight))
        }
        return records
    }

    @Test func positionRecordsAreWrittenAsByCodable() throws {
        var random = SeededGenerator(seed: 2_900)
        let records = try Self.records(&random, count: 400)
        // The sample covers what a record can hold.
        #expect(records.contains { !$0.inFlight.isEmpty && $0.inFlight.contains { $0.action.targetIndex != nil } })
        #expect(records.contains { $0.position.tracker.targetsHit.contains(true) })
        #expect(records.contains { $0.position.tracker.maxHoldingMicros != nil })
        #expect(records.contains { $0.position.tracker.targets.isEmpty })
        for record in records {
            let codable = try DirectorRecordCoding.encodeWithCodable(record)
            #expect(try Self.formBytes(record) == codable)
            #expect(try DirectorRecordCoding.encode(record) == codable)
        }
    }

    @Test func aPositionWithVenueRejectionsIsLeftToCodable() throws {
        var book = ExitBook(maxHoldingMicros: nil)
        try book.open(signalId: "s", traceId: "t", symbol: "BTC-USD", account: "desk",
                      fills: [Execution(side: .buy, qty: 1, price: 100, fee: 0)], stopPrice: 90, targets: [], plannedQty: 1, at: 1)
        let due = try #require(book.evaluate(symbol: "BTC-USD", bid: 89, ask: 89, at: 2).first)
        let retried = book.failed(due, definitive: true)
        #expect(retried)
        let record = PositionRecord(position: try #require(book.position("s")), inFlight: [])
        #expect(throws: FastPathDeclined.self) { try Self.formBytes(record) }
        let written = try DirectorRecordCoding.encode(record)
        #expect(written == (try DirectorRecordCoding.encodeWithCodable(record)))
        #expect(String(decoding: written, as: UTF8.self).contains(#""rejections":{"stop":1}"#))
        #expect(try DirectorRecordCoding.decode(PositionRecord.self, from: written).position == record.position)
    }
}
