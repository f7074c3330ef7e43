import Foundation
import Testing
import Trading
@testable import WireFormat
@testable import WireProtocol

/// The reader that decodes as it scans (`JSONValueReader`), against the `Codable` path on
/// documents rewritten at random from what the encoder writes: members in any order, unknown and
/// repeated members, whitespace, escapes, unicode, a BOM; then truncated, corrupted and nested
/// deeply.
extension FastEnvelopeDecodingTests {
    /// Rewrites of `envelope`'s document read back as exactly `envelope` on the fast path, with
    /// the `Codable` path's outcome through the codec (and through `open`); every proper prefix
    /// tried is declined and fails as the `Codable` path fails.
    func expectRewritesRead<P: MessagePayload & FastWireCodable & Equatable>(_ envelope: Envelope<P>, _ variants: inout JSONVariants,
                                                                             sourceLocation: SourceLocation = #_sourceLocation) throws {
        let tree = JSONTree.parse(try FastCodingSupport.codec.encodeWithCodable(envelope))
        for _ in 0 ..< 3 {
            let data = variants.document(tree)
            let read = FastEnvelopeCoding.decode(P.self, from: data)
            #expect(read.map(FastCodingSupport.Snapshot.init) == FastCodingSupport.Snapshot(envelope),
                    "\(String(decoding: data, as: UTF8.self))", sourceLocation: sourceLocation)
            expectSameOutcome(P.self, data, .reads, sourceLocation: sourceLocation)
            let last = try #require(data.lastIndex(of: UInt8(ascii: "}")))
            for _ in 0 ..< 3 {
                expectSameOutcome(P.self, data.prefix(Int.random(in: 0 ..< last, using: &variants.generator)), .declines,
                                  sourceLocation: sourceLocation)
            }
        }
    }

    @Test(arguments: [21, 22, 23, 24, 25, 26] as [UInt64])
    func rewrittenDocumentsReadAsTheEnvelopesWritten(seed: UInt64) throws {
        var random = RandomPayloads(seed: seed)
        var variants = JSONVariants(seed: seed)
        for _ in 0 ..< 20 {
            try expectRewritesRead(random.envelope(random.signal()), &variants)
            try expectRewritesRead(random.envelope(random.submit()), &variants)
            try expectRewritesRead(random.envelope(random.report()), &variants)
            try expectRewritesRead(random.envelope(ExecuteRequest(order: random.submit())), &variants)
            try expectRewritesRead(random.envelope(random.analysis()), &variants)
        }
    }

    /// Dictionaries (liquidation prices by symbol) read every member, so their rewrites only
    /// move members and add whitespace and escapes.
    @Test(arguments: [27, 28] as [UInt64])
    func rewrittenSnapshotsWithDictionariesReadAsWritten(seed: UInt64) throws {
        var random = RandomPayloads(seed: seed)
        var variants = JSONVariants(seed: seed)
        variants.addsMembers = false
        for _ in 0 ..< 20 {
            let snapshot = InventorySnapshot(positions: (0 ..< Int.random(in: 0 ... 2, using: &random.generator)).map { _ in random.position() },
                                             accounts: (0 ..< Int.random(in: 1 ... 3, using: &random.generator)).map { _ in random.account() },
                                             venueEpoch: random.optionalString())
            try expectRewritesRead(random.envelope(snapshot), &variants)
        }
    }

    /// One byte of a rewritten document replaced: whatever the result, it is the `Codable`
    /// path's, and a value the fast path reads is the one the `Codable` path reads.
    @Test(arguments: [31, 32, 33] as [UInt64])
    func corruptedDocumentsGetTheCodablePathsOutcome(seed: UInt64) throws {
        var random = RandomPayloads(seed: seed)
        var variants = JSONVariants(seed: seed)
        let replacements: [UInt8] = Array("{}[],:\"\\0-e.+ nt9".utf8) + [0x00, 0x01, 0x7F, 0x80, 0xC3, 0xED, 0xF4, 0xFF]
        var read = 0, refused = 0
        for _ in 0 ..< 150 {
            let envelope = random.envelope(random.report())
            var data = variants.document(JSONTree.parse(try FastCodingSupport.codec.encodeWithCodable(envelope)))
            data[Int.random(in: 0 ..< data.count, using: &variants.generator)] = replacements.randomElement(using: &variants.generator)!
            expectSameOutcome(OrderReport.self, data, .either)
            if (try? FastCodingSupport.codec.decodeWithCodable(OrderReport.self, from: data)) != nil { read += 1 } else { refused += 1 }
        }
        // Both kinds of input were exercised: still an order report, and not one.
        #expect(read > 10)
        #expect(refused > 10)
    }

    /// Unknown members are skipped and checked at any depth the `Codable` path accepts (512
    /// arrays and objects in all, the envelope and the payload being two); deeper documents are
    /// left to it.
    @Test func deeplyNestedUnknownMembersReadOrFailAsTheCodablePath() {
        for depth in [1, 2, 63, 64, 65, 300, 510, 511, 600] {
            let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            let objects = String(repeating: #"{"a":"#, count: depth) + "[]" + String(repeating: "}", count: depth)
            let mixed = String(repeating: #"[{"k":"#, count: depth / 2) + "7" + String(repeating: "}]", count: depth / 2)
            for (nested, levels) in [(arrays, depth), (objects, depth + 1), (mixed, depth / 2 * 2)] {
                let json = Self.order(#""qty":0.5"#, with: #""qty":0.5,"unknown":\#(nested)"#)
                expectSameOutcome(OrderSubmit.self, json, levels + 2 <= 512 ? .reads : .declines)
                let codable = FastCodingSupport.decodedWithCodable(OrderSubmit.self, Data(json.utf8))
                #expect(codable.isValue == (levels + 2 <= 512), "\(levels) levels")
            }
        }
    }

    /// Quantities and prices are read in one pass when they are plain (at most ten integer and
    /// eight fraction digits, no exponent), eight bytes at a time, from a zero-padded copy at
    /// the end of the input; every number text gives what the general reading
    /// (the scanner's grammar, then `DecimalUnits.parse`) gives, and a text that is not a JSON
    /// number is declined.
    @Test(arguments: [41, 42] as [UInt64])
    func decimalsReadAsTheGeneralReadingReadsThem(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        func digits(_ count: Int) -> String {
            String((0 ..< count).map { _ in "0123456789".randomElement(using: &generator)! })
        }
        var plain = 0
        for _ in 0 ..< 4_000 {
            var text = Bool.random(using: &generator) ? "-" : ""
            switch Int.random(in: 0 ... 5, using: &generator) {
            case 0: text += "0"
            case 1: text += "0" + digits(Int.random(in: 1 ... 2, using: &generator))
            case 2: text += ""
            default: text += String("123456789".randomElement(using: &generator)!) + digits(Int.random(in: 0 ... 11, using: &generator))
            }
            switch Int.random(in: 0 ... 4, using: &generator) {
            case 0: break
            case 1: text += "."
            default: text += "." + digits(Int.random(in: 1 ... 10, using: &generator))
            }
            if Int.random(in: 0 ... 5, using: &generator) == 0 {
                text += ["e", "E", "e-", "E+"].randomElement(using: &generator)! + digits(Int.random(in: 0 ... 2, using: &generator))
            }
            let isNumber = Data(text.utf8).withUnsafeBytes { raw in
                var scanner = JSONScanner(raw.bindMemory(to: UInt8.self))
                return (try? scanner.scan()) != nil
            }
            let expected = isNumber ? WireDecimal(text)?.units : nil
            // At the very end of the input the number is read from a zero-padded copy; with
            // room after it for every word `DigitWords` loads, in place.
            for room in [0, DigitWords.readable, DigitWords.readable + 7] {
                let padded = text + String(repeating: " ", count: room)
                let read = JSONValueReader.read(Data(padded.utf8)) { value throws(FastPathDeclined) in try value.decimal() }
                #expect(read?.units == expected, "\(text) with \(room) spaces after it")
            }
            if expected != nil, !text.contains("e"), !text.contains("E") { plain += 1 }
        }
        #expect(plain > 500)
    }

    /// A member whose value the type does not read is skipped (and checked); a type that stops
    /// reading an object halfway gets no value, so a result is never made from part of a document.
    @Test func valuesLeftUnreadAreSkippedAndHalfReadObjectsDecline() {
        let document = Data(#"{"first":{"x":[1,{"y":"z"}]},"second":"two"}"#.utf8)
        #expect(JSONValueReader.read(document) { root throws(FastPathDeclined) in try SecondOnly(fastJSON: root) } == SecondOnly(second: "two"))
        #expect(JSONValueReader.read(Data(#"{"first":{"x":[1,{"y":}]},"second":"two"}"#.utf8)) { root throws(FastPathDeclined) in
            try SecondOnly(fastJSON: root)
        } == nil)
        #expect(JSONValueReader.read(document) { root throws(FastPathDeclined) in try FirstMemberOnly(fastJSON: root) } == nil)
        #expect(JSONValueReader.read(Data(#"{"first":1}"#.utf8)) { root throws(FastPathDeclined) in try FirstMemberOnly(fastJSON: root) } == nil)
    }
}

extension FastCodingSupport.Outcome {
    var isValue: Bool {
        if case .value = self { return true }
        return false
    }
}

/// Reads only `second`; the value of `first` is handed out and left unread.
private struct SecondOnly: FastWireCodable, Equatable {
    var second: String
    private static let keys = JSONKeyTable("first", "second")

    init(second: String) { self.second = second }

    func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {}

    init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var second: String?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            if field == 1 { second = try value.string() }
        }
        guard let second else { throw FastPathDeclined() }
        self.second = second
    }
}

/// Stops after the first member, leaving its object open.
private struct FirstMemberOnly: FastWireCodable, Equatable {
    private static let keys = JSONKeyTable("first")

    func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {}

    init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var members = try value.members(Self.keys)
        _ = try members.next()
    }
}
