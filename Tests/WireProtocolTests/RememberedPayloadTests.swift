import Foundation
import Testing
import Trading
@testable import WireFormat
@testable import WireProtocol

/// Payloads that come again byte for byte (an analyst's report between two ticks): the same
/// bytes are read once and taken after, only where a read of them would have been accepted and
/// with the members it passed over counted; and a value written alike is written as the bytes
/// kept for it, alike meaning the same bytes, not `==`.
struct RememberedPayloadTests {
    /// What one read through a memo gave: the value, the members passed over, where it ended.
    struct Read: Equatable {
        var levels: KeyLevelsPayload
        var passedOver: Int
        var end: Int
    }

    /// Reads the object at byte `start` of `document`, nested `depth` deep, through `memo`,
    /// adding 1 to `reads` for each time the object's bytes were read rather than taken.
    static func read(_ document: String, at start: Int = 0, depth: Int = 0, memo: RememberedValues<KeyLevelsPayload>,
                     reads: inout Int) -> Read? {
        JSONValueReader.read(Data(document.utf8), at: start, depth: depth) { value throws(FastPathDeclined) -> Read in
            let levels = try value.remembered(in: memo) { value throws(FastPathDeclined) in
                reads += 1
                return try KeyLevelsPayload(fastJSON: value)
            }
            return Read(levels: levels, passedOver: value.irregularMembers, end: value.position)
        }
    }

    @Test func theSameBytesAreReadOnceAndOtherBytesAreReadAgain() {
        let memo = RememberedValues<KeyLevelsPayload>(capacity: 4)
        var reads = 0
        let plain = #"{"resistance":2.5,"support":1}"#
        let first = Self.read(plain, memo: memo, reads: &reads)
        #expect(first == Read(levels: KeyLevelsPayload(support: 1, resistance: 2.5), passedOver: 0, end: plain.utf8.count))
        #expect(Self.read(plain, memo: memo, reads: &reads) == first)
        #expect(reads == 1 && memo.count == 1)
        // The same value in other bytes is read, and kept beside the first.
        let spaced = #"{"resistance":2.5, "support":1.0}"#
        #expect(Self.read(spaced, memo: memo, reads: &reads)?.levels == first?.levels)
        #expect(reads == 2 && memo.count == 2)
        // Bytes after the object are no part of it: taken, ending where the object ends.
        #expect(Self.read(plain + #"  ,"x":1"#, memo: memo, reads: &reads) == first)
        #expect(reads == 2)
    }

    @Test func membersPassedOverAreCountedWhenTheValueIsTaken() {
        let memo = RememberedValues<KeyLevelsPayload>(capacity: 4)
        var reads = 0
        let document = #"{"resistance":2.5,"note":[1,{"a":2}],"support":1,"support":3}"#
        let first = Self.read(document, memo: memo, reads: &reads)
        #expect(first?.passedOver == 2 && first?.levels.support == 1)
        #expect(Self.read(document, memo: memo, reads: &reads) == first)
        #expect(reads == 1)
    }

    /// A value read at one nesting is taken at that nesting or a shallower one; deeper, its bytes
    /// are read again, since a read there may be refused for its depth.
    @Test func aValueIsTakenNoDeeperThanItWasRead() {
        let memo = RememberedValues<KeyLevelsPayload>(capacity: 4)
        var reads = 0
        let document = #"[{"resistance":2,"support":1}]"#
        #expect(Self.read(document, at: 1, depth: 1, memo: memo, reads: &reads) != nil)
        #expect(Self.read(document, at: 1, depth: 0, memo: memo, reads: &reads) != nil)
        #expect(reads == 1)
        #expect(Self.read(document, at: 1, depth: 3, memo: memo, reads: &reads) != nil)
        #expect(reads == 2)
        #expect(Self.read(document, at: 1, depth: 2, memo: memo, reads: &reads) != nil)
        #expect(reads == 2 && memo.count == 1)
        // Past the deepest nesting a reader accepts, the read refuses it, and it is not taken.
        let tooDeep = JSONScanner.maximumDepth
        #expect(Self.read(document, at: 1, depth: tooDeep, memo: memo, reads: &reads) == nil)
    }

    @Test func objectsThatDoNotReadAreNeitherKeptNorTaken() {
        let memo = RememberedValues<KeyLevelsPayload>(capacity: 4)
        var reads = 0
        for broken in [#"{"resistance":2,"support":1"#, #"{"resistance":2,"support":}"#, #"{"resistance":"2","support":1}"#, "null"] {
            #expect(Self.read(broken, memo: memo, reads: &reads) == nil, "\(broken)")
            #expect(Self.read(broken, memo: memo, reads: &reads) == nil, "\(broken)")
        }
        #expect(memo.count == 0)
    }

    @Test func aFullMemoReplacesItsOldestValue() {
        let memo = RememberedValues<KeyLevelsPayload>(capacity: 2)
        var reads = 0
        let documents = (1 ... 3).map { #"{"resistance":9,"support":\#($0)}"# }
        for document in documents { _ = Self.read(document, memo: memo, reads: &reads) }
        #expect(reads == 3 && memo.count == 2)
        _ = Self.read(documents[2], memo: memo, reads: &reads)
        #expect(reads == 3)
        _ = Self.read(documents[0], memo: memo, reads: &reads)
        #expect(reads == 4)
    }

    /// Replies and requests that carry one report again and again read as it, every time, by
    /// either read of an envelope, keeping its bytes as before.
    @Test func aReportReadAgainAndAgainIsTheReportSent() throws {
        let codec = JSONEnvelopeCodec()
        let report = AnalysisReport(symbol: "MEMO-\(UUID().uuidString.prefix(8))", direction: .short, confidence: 0.7, sampleCount: 42,
                                    rsi: 31.5, keyLevels: KeyLevelsPayload(support: 1, resistance: 2), thesis: "again")
        let reply = try codec.encode(SamplePayloads.envelope("analyze.ok", report, parent: "m-0"))
        let assess = try codec.encode(SamplePayloads.envelope("assess", AssessRequest(symbol: report.symbol, side: .sell, account: "desk",
                                                                                     signalConfidence: 0.8, analysis: report)))
        for _ in 0 ..< 3 {
            let whole = try codec.decode(AnalysisReport.self, from: reply)
            let opened = try codec.decode(AnalysisReport.self, from: try codec.open(reply))
            #expect(whole.payload == report && opened.payload == report)
            #expect(whole.receivedPayload.json != nil && whole.receivedPayload.json == opened.receivedPayload.json)
            #expect(try codec.decode(AssessRequest.self, from: try codec.open(assess)).payload.analysis == report)
        }
    }

    /// Reports equal by `==` but written apart (a zero and a negative zero, a string and a
    /// canonically equivalent one) are each written as the `Codable` path writes them, whichever
    /// was written first.
    @Test func reportsEqualButWrittenApartAreWrittenAsTheyAre() throws {
        let codec = JSONEnvelopeCodec()
        let tag = UUID().uuidString.prefix(8)
        let zero = AnalysisReport(symbol: "ZERO-\(tag)", direction: .flat, confidence: 0, sampleCount: 1, thesis: "caf\u{E9}")
        var negative = zero
        negative.confidence = -0.0
        var decomposed = zero
        decomposed.thesis = "cafe\u{301}"
        #expect(zero == negative && zero == decomposed)
        for report in [zero, negative, decomposed, zero, decomposed, negative] {
            let envelope = SamplePayloads.envelope("analyze.ok", report)
            #expect(try codec.encode(envelope) == (try codec.encodeWithCodable(envelope)))
        }
        let negativeText = String(decoding: try codec.encode(SamplePayloads.envelope("analyze.ok", negative)), as: UTF8.self)
        #expect(negativeText.contains(#""confidence":-0"#))
    }

    @Test func aValueWrittenAlikeIsWrittenAsTheBytesKeptForIt() throws {
        let written = WrittenLately<KeyLevelsPayload>(capacity: 2)
        var writes = 0
        func write(_ levels: KeyLevelsPayload) throws -> String {
            let out = ByteBuffer(capacity: 64)
            try written.write(levels, to: out, alike: { $0.support.bitPattern == $1.support.bitPattern
                && $0.resistance.bitPattern == $1.resistance.bitPattern }) { out throws(FastPathDeclined) in
                writes += 1
                try levels.writeFastJSON(to: out)
            }
            return String(decoding: out.takeData(), as: UTF8.self)
        }
        let levels = KeyLevelsPayload(support: 1, resistance: 2.5)
        let first = try write(levels)
        #expect(first == #"{"resistance":2.5,"support":1}"#)
        #expect(try write(levels) == first && writes == 1 && written.count == 1)
        #expect(try write(KeyLevelsPayload(support: -0.0, resistance: 2.5)) == #"{"resistance":2.5,"support":-0}"#)
        #expect(writes == 2)
        // A value the writer declines is declined, and nothing is kept.
        #expect(throws: FastPathDeclined.self) { try write(KeyLevelsPayload(support: .nan, resistance: 1)) }
        #expect(written.count == 2)
    }
}
