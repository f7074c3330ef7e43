import Foundation
import Testing
import Trading
@testable import WireFormat
@testable import WireProtocol

/// Envelopes written in the thread's reused buffer (`CodecThreadState.encode`): each encode hands
/// out bytes of its own, a large message does not leave a large buffer behind, and an encode
/// inside another gets a buffer of its own.
struct CodecThreadBufferTests {
    private let codec = JSONEnvelopeCodec()

    @Test(arguments: [71, 72] as [UInt64])
    func eachEncodeHandsOutBytesOfItsOwn(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        var written: [(Data, Data)] = []
        for index in 0 ..< 300 {
            let note = String(repeating: "n", count: Int.random(in: 0 ... 3_000, using: &generator))
            let signal = SamplePayloads.envelope("signal", SignalPayload(symbol: "BTC-USD", side: .buy, confidence: 0.5, note: note))
            let report = SamplePayloads.envelope("order.submit.ok", SamplePayloads.report)
            let data = index.isMultiple(of: 2) ? try codec.encode(signal) : try codec.encode(report)
            let reference = index.isMultiple(of: 2) ? try codec.encodeWithCodable(signal) : try codec.encodeWithCodable(report)
            written.append((data, reference))
        }
        // Every earlier result is unchanged by the encodes after it.
        for (data, reference) in written { #expect(data == reference) }
    }

    @Test func aLargeMessageLeavesNoLargeBufferBehind() throws {
        let note = String(repeating: "x", count: 4 * CodecThreadState.largestKeptBuffer)
        let large = SamplePayloads.envelope("signal", SignalPayload(symbol: "BTC-USD", side: .sell, confidence: 0.25, note: note))
        let small = SamplePayloads.envelope("order.submit", SamplePayloads.submit)
        #expect(try codec.encode(large) == (try codec.encodeWithCodable(large)))
        #expect((CodecThreadState.current.pointee.buffer?.capacity ?? 0) <= CodecThreadState.largestKeptBuffer)
        #expect(try codec.encode(small) == (try codec.encodeWithCodable(small)))
        #expect((CodecThreadState.current.pointee.buffer?.capacity ?? 0) == CodecThreadState.bufferCapacity)
    }

    @Test func anEncodeInsideAnotherGetsABufferOfItsOwn() throws {
        let inner = SamplePayloads.envelope("order.submit", SamplePayloads.submit)
        var innerData: Data?
        let outer = CodecThreadState.encode { out in
            out.append("outer:")
            innerData = FastEnvelopeCoding.encode(inner)
            out.append("done")
            return true
        }
        #expect(outer == Data("outer:done".utf8))
        #expect(innerData == (try codec.encodeWithCodable(inner)))
        #expect(CodecThreadState.encode { _ in false } == nil)
    }
}
