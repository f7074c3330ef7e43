import Foundation
import Synchronization
import Testing
@testable import WireFormat

/// The per-thread table of recurring decoded strings (`RecurringStrings`, read through
/// `JSONValueReader.recurringString()`): the strings it hands out against the reader's own
/// `string()` and Foundation, the bytes it declines, what it keeps and for how long, and that
/// each thread has its own.
struct RecurringStringsTests {
    /// Pieces of strings: plain ASCII, bytes that must be escaped, non-ASCII of every UTF-8
    /// length, and a character that JSON spells with a surrogate pair when escaped.
    private static let pieces = ["a", "Z", "0", "-", ".", " ", "BTC-USD", "desk", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{1F}",
                                 "é", "€", "😀", "\u{2028}", "\u{7F}"]

    /// A pool of values, from empty to over 40 bytes, so that each is read many times in
    /// different spellings.
    private static func values(_ generator: inout SeededGenerator) -> [String] {
        (0 ..< 60).map { _ in (0 ..< Int.random(in: 0 ... 24, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined() }
    }

    /// Reads the top-level array of strings in `data` with `recurringString()`.
    private static func recurringStrings(_ data: Data) -> [String]? {
        JSONValueReader.read(data) { root throws(FastPathDeclined) in try root.array { element throws(FastPathDeclined) in try element.recurringString() } }
    }

    @Test(arguments: [61, 62, 63] as [UInt64])
    func recurringReadsGiveTheStringsTheTextsStandFor(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        var variants = JSONVariants(seed: seed)
        let pool = Self.values(&generator)
        var kept = 0, longer = 0
        for _ in 0 ..< 1_500 {
            let expected = (0 ..< Int.random(in: 1 ... 6, using: &generator)).map { _ in pool.randomElement(using: &generator)! }
            // Spelled plainly or with escapes in any way JSON allows; followed by 0 to 12 bytes
            // of whitespace, so that both the one-pass read and the lexer's read end documents.
            let text = "[" + expected.map { variants.quoted($0, escapes: variants.chance(50)) }.joined(separator: ",")
                + "]" + String(repeating: " ", count: Int.random(in: 0 ... 12, using: &generator))
            let data = Data(text.utf8)
            let read = try #require(Self.recurringStrings(data), "\(text)")
            #expect(read == expected, "\(text)")
            #expect(read == (try JSONDecoder().decode([String].self, from: data)))
            let plain = try #require(JSONValueReader.read(data) { root throws(FastPathDeclined) in try root.strings() })
            #expect(read == plain)
            for value in expected { if value.utf8.count <= RecurringStrings.longest { kept += 1 } else { longer += 1 } }
        }
        #expect(kept > 1_000 && longer > 100, "both kept and longer strings are read")
    }

    @Test(arguments: [64, 65] as [UInt64])
    func aStringTheLexerRefusesIsRefusedAsByTheReadThatMakesEveryString(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let pool = Self.values(&generator)
        let replacements: [UInt8] = [0x00, 0x1F, 0x22, 0x5C, 0x80, 0xC3, 0xED, 0xF4, 0xFF, UInt8(ascii: "u"), UInt8(ascii: "a")]
        var refused = 0, read = 0
        for _ in 0 ..< 4_000 {
            let value = pool.randomElement(using: &generator)!
            var bytes = Array(try! JSONEncoder().encode([value, "BTC-USD"]))
            switch Int.random(in: 0 ... 3, using: &generator) {
            case 0: bytes[Int.random(in: 1 ..< bytes.count, using: &generator)] = replacements.randomElement(using: &generator)!
            case 1: bytes.removeLast(Int.random(in: 1 ..< bytes.count, using: &generator))
            case 2: bytes.insert(replacements.randomElement(using: &generator)!, at: Int.random(in: 2 ..< bytes.count, using: &generator))
            default: break // as written, so that readable texts occur as often as refused ones
            }
            let data = Data(bytes)
            let recurring = Self.recurringStrings(data)
            let plain = JSONValueReader.read(data) { root throws(FastPathDeclined) in try root.strings() }
            #expect(recurring == plain, "\(bytes)")
            if recurring == nil { refused += 1 } else { read += 1 }
        }
        #expect(refused > 1_000 && read > 1_000, "both readable and unreadable texts occur")
    }

    @Test func aKeptStringIsHandedOutAgainAndOneOverTheLongestIsMadeAnew() throws {
        // Over 15 bytes, so each string made has storage of its own.
        let kept = "sig-9f1c2a7be03d4411", longer = String(repeating: "x", count: RecurringStrings.longest + 1)
        let data = Data(try JSONEncoder().encode([kept, kept, longer, longer]))
        let first = try #require(Self.recurringStrings(data)), second = try #require(Self.recurringStrings(data))
        #expect(first == [kept, kept, longer, longer] && second == first)
        #expect(Set([first[0], first[1], second[0], second[1]].map(Self.storage)).count == 1)
        #expect(Set([first[2], first[3], second[2], second[3]].map(Self.storage)).count == 4)
        let plain = try #require(JSONValueReader.read(data) { root throws(FastPathDeclined) in try root.strings() })
        #expect(Self.storage(plain[0]) != Self.storage(plain[1]), "string() makes every string anew")
        // Read near the end of a document by the lexer, and with room after it in one pass: one key.
        let atEnd = try #require(Self.recurringStrings(Data("[\"sig-0123456789abcdef\"]".utf8)))
        let withRoom = try #require(Self.recurringStrings(Data("[\"sig-0123456789abcdef\", \"BTC-USD\"]".utf8)))
        #expect(atEnd[0] == "sig-0123456789abcdef" && Self.storage(withRoom[0]) == Self.storage(atEnd[0]))
    }

    @Test(arguments: [66, 67] as [UInt64])
    func aNewStringReplacesTheLeastRecentlyReadOfItsSet(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        // Strings of 16 to 32 bytes, grouped by the set they fall in, until one set has one more
        // than it holds.
        var bySet: [Int: [String]] = [:]
        var full: [String] = []
        while full.count <= RecurringStrings.ways {
            let text = String((0 ..< Int.random(in: 16 ... 32, using: &generator)).map { _ in "abcdefghij-0123456789".randomElement(using: &generator)! })
            let set = text.utf8.withContiguousStorageIfAvailable { RecurringStringKey($0).set }!
            if bySet[set, default: []].contains(text) { continue }
            bySet[set, default: []].append(text)
            full = bySet[set]!
        }
        var table = RecurringStrings()
        defer { table.free() }
        func read(_ text: String) -> String {
            text.utf8.withContiguousStorageIfAvailable { table.string($0, hasEscapes: false) }!
        }
        let first = full.dropLast().map(read)
        #expect(full.dropLast().map(read).map(Self.storage) == first.map(Self.storage), "a full set keeps every string")
        // Read all but the first again, then one string more: the first, now the least recently
        // read, makes way for it.
        for text in full.dropFirst().dropLast() { _ = read(text) }
        let newest = read(full.last!)
        #expect(Self.storage(read(full.last!)) == Self.storage(newest))
        for (text, made) in zip(full.dropFirst().dropLast(), first.dropFirst()) { #expect(Self.storage(read(text)) == Self.storage(made)) }
        let again = read(full[0])
        #expect(again == full[0] && Self.storage(again) != Self.storage(first[0]), "the least recently read was replaced")
        #expect(table.count == RecurringStrings.ways)
    }

    @Test func theTableHoldsAtMostItsCapacity() {
        var table = RecurringStrings()
        defer { table.free() }
        for index in 0 ..< 4 * RecurringStrings.capacity {
            let text = "account-\(index)-\(String(repeating: "z", count: index % 20))"
            let read = text.utf8.withContiguousStorageIfAvailable { table.string($0, hasEscapes: false) }!
            #expect(read == text)
            #expect(table.count <= RecurringStrings.capacity)
        }
        #expect(table.count == RecurringStrings.capacity)
    }

    @Test func eachThreadKeepsItsOwnStrings() throws {
        let data = Data(try JSONEncoder().encode(["4bf92f3577b34da6a3ce929d0e0e4736"]))
        let here = try #require(Self.recurringStrings(data))[0]
        let there = ThreadResult()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let first = Self.recurringStrings(data)?[0], second = Self.recurringStrings(data)?[0]
            there.strings.withLock { $0 = [first, second].compactMap { $0 } }
            done.signal()
        }
        thread.start()
        done.wait()
        let strings = there.strings.withLock { $0 }
        try #require(strings.count == 2)
        #expect(strings[0] == here && strings[1] == here)
        #expect(Self.storage(strings[0]) == Self.storage(strings[1]), "the other thread keeps what it read")
        #expect(Self.storage(strings[0]) != Self.storage(here), "and does not share this thread's table")
        #expect(Self.storage(try #require(Self.recurringStrings(data))[0]) == Self.storage(here))
    }

    /// What another thread read, handed back to the test.
    private final class ThreadResult: Sendable {
        let strings = Mutex<[String]>([])
    }

    /// The address of a string's UTF-8 storage: the same for copies of one string made once.
    private static func storage(_ string: String) -> UInt? {
        string.utf8.withContiguousStorageIfAvailable { $0.baseAddress.map { UInt(bitPattern: $0) } } ?? nil
    }
}
