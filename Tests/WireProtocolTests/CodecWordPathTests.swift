import Foundation
import Testing
import Trading
@testable import WireFormat
@testable import WireProtocol

/// The codec's word-at-a-time paths against plain references on seeded inputs: copies that check
/// for escapes while copying, digits written two at a time, integers and enum cases read in one
/// pass, member names compared as words up to the end of the document.
struct CodecWordPathTests {
    /// Bytes that need escaping, bytes next to them in value, and UTF-8.
    private static let interestingBytes: [UInt8] = [0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7E, 0x7F, 0x80, 0xA2, 0xC3,
                                                    0xE2, 0xFF, UInt8(ascii: "a"), UInt8(ascii: "Z"), UInt8(ascii: "0")]

    @Test(arguments: [51, 52, 53] as [UInt64])
    func copiesCheckForEscapesAsAByteByByteScanDoes(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var plain = 0, escaped = 0
        for _ in 0 ..< 3_000 {
            let count = Int.random(in: 0 ... 40, using: &generator)
            let cleanRun = Bool.random(using: &generator)
            let bytes: [UInt8] = (0 ..< count).map { _ in
                cleanRun && Int.random(in: 0 ..< 50, using: &generator) > 0
                    ? UInt8.random(in: 0x23 ... 0x5B, using: &generator)
                    : Self.interestingBytes.randomElement(using: &generator)!
            }
            let expected = !bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
            // A guard byte after the slack shows that a copy writes no further.
            var target = [UInt8](repeating: 0xAA, count: count + PlainText.slack + 1)
            let copied = bytes.withUnsafeBufferPointer { source in
                target.withUnsafeMutableBufferPointer { PlainText.copyUnlessEscaping(source, to: $0.baseAddress!) }
            }
            #expect(copied == expected, "\(bytes)")
            #expect(Array(target[..<count]) == bytes, "\(bytes)")
            #expect(target[count + PlainText.slack] == 0xAA)
            if expected { plain += 1 } else { escaped += 1 }
        }
        #expect(plain > 300)
        #expect(escaped > 300)
    }

    /// Integers of every length and sign, and decimals with every number of fraction digits,
    /// are written as `String(_:)` and `WireDecimal.description` write them.
    @Test(arguments: [61, 62] as [UInt64])
    func digitsAreWrittenAsTheStandardRenderingsWriteThem(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var values: [Int64] = [0, 1, -1, 9, 10, 99, 100, 101, .max, .min, .min + 1]
        for exponent in 0 ... 18 {
            let power = (0 ..< exponent).reduce(Int64(1)) { value, _ in value * 10 }
            values += [power, power - 1, power + 1, -power, -(power - 1)]
        }
        for _ in 0 ..< 4_000 {
            let digits = Int.random(in: 1 ... 19, using: &generator)
            let magnitude = digits == 19 ? Int64.random(in: 0 ... .max, using: &generator)
                : Int64.random(in: 0 ..< (0 ..< digits).reduce(Int64(1)) { value, _ in value * 10 }, using: &generator)
            values.append(Bool.random(using: &generator) ? magnitude : -magnitude)
        }
        for value in values {
            let integer = ByteBuffer(capacity: 16)
            JSONWriter.appendInteger(value, to: integer)
            #expect(String(decoding: integer.bytes(from: 0, count: integer.count), as: UTF8.self) == String(value))
            let decimal = ByteBuffer(capacity: 16)
            JSONWriter.appendDecimal(value, to: decimal)
            #expect(String(decoding: decimal.bytes(from: 0, count: decimal.count), as: UTF8.self) == WireDecimal(units: value).description)
        }
    }

    /// Integer texts of any length, with leading zeros, signs, fractions and exponents, read by
    /// the one-pass paths (eight bytes at a time, from a zero-padded copy near the end of the
    /// input) give what the general reading gives (a value or a refusal).
    @Test(arguments: [71, 72] as [UInt64])
    func integersReadAsTheGeneralReadingReadsThem(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        func digits(_ count: Int) -> String { String((0 ..< count).map { _ in "0123456789".randomElement(using: &generator)! }) }
        var read = 0, wordwise = 0
        for _ in 0 ..< 4_000 {
            var text = Int.random(in: 0 ... 3, using: &generator) == 0 ? "-" : ""
            switch Int.random(in: 0 ... 4, using: &generator) {
            case 0: text += "0"
            case 1: text += "0" + digits(Int.random(in: 1 ... 3, using: &generator))
            case 2: text += ""
            default: text += String("123456789".randomElement(using: &generator)!) + digits(Int.random(in: 0 ... 21, using: &generator))
            }
            switch Int.random(in: 0 ... 7, using: &generator) {
            case 0: text += "." + digits(Int.random(in: 0 ... 2, using: &generator))
            case 1: text += ["e", "E", "e-", "E+"].randomElement(using: &generator)! + digits(Int.random(in: 0 ... 2, using: &generator))
            default: break
            }
            // Up to 2 spaces leave the reader no room for whole words after the number (it reads
            // a zero-padded copy); 24 and more leave room for every word `DigitWords` loads.
            let room = Int.random(in: 0 ... 1, using: &generator) == 0 ? Int.random(in: 0 ... 2, using: &generator)
                : Int.random(in: 24 ... 32, using: &generator)
            text += String(repeating: " ", count: room)
            let data = Data(text.utf8)
            let fast = JSONValueReader.read(data) { value throws(FastPathDeclined) in try value.integer(Int64.self) }
            let general = JSONValueReader.read(data) { value throws(FastPathDeclined) in try value.anyInteger(Int64.self) }
            #expect(fast == general, "\(text)")
            let fastInt = JSONValueReader.read(data) { value throws(FastPathDeclined) in try value.integer(Int.self) }
            #expect(fastInt == general.map(Int.init), "\(text)")
            // Narrower and unsigned types: a plain integer outside their range declines, as the
            // general reading does, rather than wrapping.
            let fastUnsigned = JSONValueReader.read(data) { value throws(FastPathDeclined) in try value.integer(UInt64.self) }
            #expect(fastUnsigned == JSONValueReader.read(data) { value throws(FastPathDeclined) in try value.anyInteger(UInt64.self) }, "\(text)")
            let fastShort = JSONValueReader.read(data) { value throws(FastPathDeclined) in try value.integer(Int16.self) }
            #expect(fastShort == JSONValueReader.read(data) { value throws(FastPathDeclined) in try value.anyInteger(Int16.self) }, "\(text)")
            if let general, general < 0 { #expect(fastUnsigned == nil, "\(text)") }
            if general != nil { read += 1 }
            if general != nil, room >= DigitWords.readable { wordwise += 1 }
        }
        #expect(read > 1_000)
        #expect(wordwise > 500)
    }

    /// Enum values read as bytes give what `init(rawValue:)` of the decoded string gives, for
    /// raw values, near misses, escaped spellings and strings close to the end of the document.
    @Test(arguments: [81, 82] as [UInt64])
    func enumCasesReadAsTheirStringsRead(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var matched = 0
        for _ in 0 ..< 2_000 {
            matched += expectSameCase(Side.self, &generator)
            matched += expectSameCase(OrderType.self, &generator)
            matched += expectSameCase(OrderStatus.self, &generator)
            matched += expectSameCase(Direction.self, &generator)
        }
        #expect(matched > 2_000)
    }

    /// A raw value with room after it is matched as bytes, at its case's position; one too
    /// close to the end of the document is left to the `String` path.
    @Test func plainRawValuesAreMatchedAsBytes() {
        let table = Side.wireCases
        for (position, side) in table.cases.enumerated() {
            for padding in [0, 16, 17, 30] {
                let data = Data(("\"" + side.rawValue + "\"" + String(repeating: " ", count: padding)).utf8)
                let matched = JSONValueReader.read(data) { value throws(FastPathDeclined) -> Int in
                    guard let found = value.plainCase(table.texts) else { throw FastPathDeclined() }
                    return found
                }
                let roomAfterStart = 1 + side.rawValue.utf8.count + 1 + padding - 1
                #expect(matched == (roomAfterStart >= 17 ? position : nil), "\(side) with \(padding) spaces")
            }
        }
    }

    /// One random spelling of a value of `Value` read both ways; 1 when it named a case.
    private func expectSameCase<Value: WireEnumCases & Equatable>(_ type: Value.Type, _ generator: inout SeededGenerator) -> Int {
        var text = Value.allCases.randomElement(using: &generator)!.rawValue
        switch Int.random(in: 0 ... 5, using: &generator) {
        case 0: text.removeLast()
        case 1: text += ["s", "_", "\""].randomElement(using: &generator)!
        case 2: text = text.uppercased()
        default: break
        }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case _ where Int.random(in: 0 ..< 20, using: &generator) == 0: quoted += String(format: "\\u%04x", scalar.value)
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        if Int.random(in: 0 ... 9, using: &generator) > 0 { quoted += "\"" }
        quoted += String(repeating: " ", count: Int.random(in: 0 ... 20, using: &generator))
        let data = Data(quoted.utf8)
        let fast = JSONValueReader.read(data) { value throws(FastPathDeclined) in try value.wireEnum(Value.self) }
        let general = JSONValueReader.read(data) { value throws(FastPathDeclined) -> Value in
            guard let read = Value(rawValue: try value.string()) else { throw FastPathDeclined() }
            return read
        }
        #expect(fast == general, "\(quoted)")
        return general == nil ? 0 : 1
    }

    /// Names of 1 to 24 bytes, spelled right or one byte off at any position, with the object
    /// ending the document so that the last names have fewer than eight bytes after them: each
    /// known name's first member is found, everything else is skipped.
    @Test(arguments: [91, 92] as [UInt64])
    func memberNamesAreFoundUpToTheEndOfTheDocument(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let names = ["a", "account", "accounts", "avg_price", "client_order_id", "filled_quantity", "liquidation_price",
                     "z", "zz_twenty_four_bytes_xyz"]
        let table = JSONKeyTable("a", "account", "accounts", "avg_price", "client_order_id", "filled_quantity", "liquidation_price",
                                 "z", "zz_twenty_four_bytes_xyz")
        var found = 0
        for _ in 0 ..< 1_500 {
            var members: [(name: String, value: Int)] = []
            for value in 0 ..< Int.random(in: 0 ... 6, using: &generator) {
                var name = Array(names.randomElement(using: &generator)!.utf8)
                if Int.random(in: 0 ... 2, using: &generator) == 0 {
                    name[Int.random(in: 0 ..< name.count, using: &generator)] = UInt8(ascii: "q")
                }
                if Int.random(in: 0 ... 5, using: &generator) == 0 { name.removeLast() }
                members.append((String(decoding: name, as: UTF8.self), value))
            }
            let text = "{" + members.map { "\"\($0.name)\":\($0.value)" }.joined(separator: ",") + "}"
            var expected: [Int: Int] = [:]
            for member in members {
                if let field = names.firstIndex(of: member.name), expected[field] == nil { expected[field] = member.value }
            }
            let read = JSONValueReader.read(Data(text.utf8)) { root throws(FastPathDeclined) -> [Int: Int] in
                var values: [Int: Int] = [:]
                var iterator = try root.members(table)
                while let (field, value) = try iterator.next() { values[field] = try value.integer(Int.self) }
                return values
            }
            #expect(read == expected, "\(text)")
            found += expected.count
        }
        #expect(found > 1_500)
    }
}
