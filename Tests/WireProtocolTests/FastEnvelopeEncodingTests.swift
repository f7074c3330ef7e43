import Foundation
import Testing
import Trading
@testable import WireFormat
@testable import WireProtocol

@Suite("Hand-written envelope encoding")
struct FastEnvelopeEncodingTests {
    /// The fast path writes the value, and writes the `Codable` path's bytes, which are Foundation's;
    /// and the fast decoder reads back what the `Codable` decoder reads.
    func expectSameBytes<P: MessagePayload & FastWireCodable & Equatable>(_ envelope: Envelope<P>,
                                                                          sourceLocation: SourceLocation = #_sourceLocation) throws {
        let fast = FastEnvelopeCoding.encode(envelope)
        let codable = try FastCodingSupport.codec.encodeWithCodable(envelope)
        #expect(fast != nil, "the fast path declined \(P.self)", sourceLocation: sourceLocation)
        #expect(FastCodingSupport.text(fast) == FastCodingSupport.text(codable), sourceLocation: sourceLocation)
        #expect(FastCodingSupport.text(codable) == (try FoundationParity.foundationBytes(envelope)), sourceLocation: sourceLocation)
        let back = FastEnvelopeCoding.decode(P.self, from: codable)
        #expect(back != nil, "the fast path declined to read \(P.self)", sourceLocation: sourceLocation)
        let reference = try FastCodingSupport.codec.decodeWithCodable(P.self, from: codable)
        #expect(back.map(FastCodingSupport.Snapshot.init) == FastCodingSupport.Snapshot(reference), sourceLocation: sourceLocation)
    }

    @Test func samplePayloadsMatchTheCodablePathByteForByte() throws {
        try expectSameBytes(SamplePayloads.envelope("order.submit", SamplePayloads.submit))
        try expectSameBytes(SamplePayloads.envelope("execute", ExecuteRequest(order: SamplePayloads.submit)))
        try expectSameBytes(SamplePayloads.envelope("order.submit.ok", SamplePayloads.report, parent: "m-0"))
        try expectSameBytes(SamplePayloads.envelope("fill.x", SamplePayloads.fill))
        try expectSameBytes(SamplePayloads.envelope("signal", SignalPayload(symbol: "BTC-USD", side: .buy, confidence: 0.75, note: "breakout")))
        try expectSameBytes(SamplePayloads.envelope("signal", SignalPayload(symbol: "BTC-USD", side: .sell, confidence: 1)))
        try expectSameBytes(SamplePayloads.envelope("ping", OpaquePayload()))
        try expectSameBytes(SamplePayloads.envelope("order.submit.ok", OrderReport(
            orderId: "O-2", clientOrderId: "c-2", account: "desk", symbol: "BTC-USD", side: .sell, type: .market, status: .rejected,
            qty: 1, filledQty: 0, avgPrice: nil, fills: [], reason: "insufficient quote", reasonCode: "insufficient_quote")))
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func seededRandomValuesMatchTheCodablePathByteForByte(seed: UInt64) throws {
        var random = RandomPayloads(seed: seed)
        for _ in 0 ..< 60 {
            try expectSameBytes(random.envelope(random.signal()))
            try expectSameBytes(random.envelope(random.submit()))
            try expectSameBytes(random.envelope(ExecuteRequest(order: random.submit())))
            try expectSameBytes(random.envelope(random.report()))
            try expectSameBytes(random.envelope(random.fill()))
        }
    }

    @Test func extremeNumbersMatchTheCodablePath() throws {
        let units: [Int64] = [0, 1, -1, 10, 100_000_000, 23_364_996, 6_001_250_000_000, 9_007_199_254_740_993, .max, .min + 1]
        for value in units.map(WireDecimal.init(units:)) {
            var envelope = SamplePayloads.envelope("order.submit", OrderSubmit(clientOrderId: "c", account: "a", symbol: "s", side: .buy,
                                                                               type: .limit, qty: value, price: WireDecimal(units: 0 &- value.units)))
            for ts in [Int64.min, -1, 0, Int64.max] {
                envelope.ts = ts
                try expectSameBytes(envelope)
            }
        }
    }

    @Test func nonFiniteNumbersDeclineAndFailAsBefore() throws {
        for value in [Double.nan, .infinity, -.infinity] {
            let envelope = SamplePayloads.envelope("signal", SignalPayload(symbol: "s", side: .buy, confidence: value, note: nil))
            #expect(HeartbeatPayload.fastJSON == nil)
            var fastError: ProtocolError?
            var codableError: ProtocolError?
            do throws(ProtocolError) { _ = try FastCodingSupport.codec.encode(envelope) } catch { fastError = error }
            do throws(ProtocolError) { _ = try FastCodingSupport.codec.encodeWithCodable(envelope) } catch { codableError = error }
            #expect(fastError != nil)
            #expect(fastError == codableError)
        }
    }

    @Test func payloadsWithoutAHandWrittenFormUseTheCodablePath() throws {
        let envelope = SamplePayloads.envelope("heartbeat", HeartbeatPayload(agent: "bus", pid: 1, seq: 2, uptimeMs: 3, endpoint: nil,
                                                                              handled: 4, errors: 0, notes: ["x"]))
        #expect(HeartbeatPayload.fastJSON == nil)
        #expect(FastCodingSupport.text(try FastCodingSupport.codec.encode(envelope)) == (try FoundationParity.foundationBytes(envelope)))
    }

    @Test func encodeThenDecodeThroughTheCodecRoundTrips() throws {
        var random = RandomPayloads(seed: 99)
        for _ in 0 ..< 100 {
            var envelope = random.envelope(random.report())
            envelope.traceId = SamplePayloads.traceId
            let data = try FastCodingSupport.codec.encode(envelope)
            #expect(FastCodingSupport.decoded(OrderReport.self, data) == FastCodingSupport.decodedWithCodable(OrderReport.self, data))
        }
    }
}
