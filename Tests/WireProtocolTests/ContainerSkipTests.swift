import Foundation
import Testing
import Trading
@testable import WireFormat

/// `skipContainerUnchecked` (the envelope's header read passing over its payload) against a
/// plain reference on seeded containers: nested objects and arrays whose strings hold brackets,
/// escaped quotes and backslashes, and UTF-8, with bytes after them; cut short, they must
/// decline.
struct ContainerSkipTests {
    /// Where a skip by brackets alone ends (one past the closing bracket), or nil when the
    /// input ends first.
    static func reference(_ bytes: [UInt8], from start: Int) -> Int? {
        var position = start, open = 0, inString = false
        while position < bytes.count {
            let byte = bytes[position]
            if inString {
                if byte == UInt8(ascii: "\\") { position += 1 } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                open += 1
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                open -= 1
                if open == 0 { return position + 1 }
            }
            position += 1
        }
        return nil
    }

    static func string(_ generator: inout SeededGenerator) -> [UInt8] {
        let pieces: [[UInt8]] = [Array("{".utf8), Array("]".utf8), Array("\\\"".utf8), Array("\\\\".utf8), Array("é€".utf8),
                                 Array("plain".utf8), Array(" ".utf8), Array("[}".utf8), [0xFF, 0x80]]
        var text: [UInt8] = [UInt8(ascii: "\"")]
        for _ in 0 ..< Int.random(in: 0 ... 6, using: &generator) { text += pieces.randomElement(using: &generator)! }
        return text + [UInt8(ascii: "\"")]
    }

    static func value(_ generator: inout SeededGenerator, depth: Int) -> [UInt8] {
        switch Int.random(in: 0 ..< (depth > 4 ? 3 : 5), using: &generator) {
        case 0: return string(&generator)
        case 1: return Array(String(Double.random(in: -1e6 ... 1e6, using: &generator)).utf8)
        case 2: return Array(["true", "null", "-0.5e3", "1234567890123"].randomElement(using: &generator)!.utf8)
        case 3:
            let members = (0 ..< Int.random(in: 0 ... 5, using: &generator)).map { _ in
                string(&generator) + Array(": ".utf8) + value(&generator, depth: depth + 1)
            }
            return Array("{".utf8) + Array(members.joined(separator: Array(", ".utf8))) + Array("}".utf8)
        default:
            let items = (0 ..< Int.random(in: 0 ... 5, using: &generator)).map { _ in value(&generator, depth: depth + 1) }
            return Array("[".utf8) + Array(items.joined(separator: Array(",".utf8))) + Array("]".utf8)
        }
    }

    /// Where `skipContainerUnchecked` ends when it starts at `start`; nil when it declines.
    static func skip(_ bytes: [UInt8], from start: Int) -> Int? {
        JSONValueReader.read(Data(bytes), at: start, depth: 1) { value throws(FastPathDeclined) -> Int in
            try value.skipContainerUnchecked()
            return value.position
        }
    }

    @Test(arguments: [71, 72, 73] as [UInt64])
    func theSkipEndsWhereTheReferenceDoes(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var whole = 0, cut = 0
        for _ in 0 ..< 1_500 {
            var container = Self.value(&generator, depth: 0)
            if container.first != UInt8(ascii: "{") && container.first != UInt8(ascii: "[") { container = Array("[".utf8) + container + Array("]".utf8) }
            let before = Array(#"{"id":"x","payload":"#.utf8)
            let after = Array(Array(#","source":"s","v":1}   "#.utf8).prefix(Int.random(in: 0 ... 21, using: &generator)))
            var bytes = before + container + after
            if Int.random(in: 0 ..< 4, using: &generator) == 0 { bytes = Array(bytes.prefix(before.count + Int.random(in: 0 ..< container.count, using: &generator))) }
            let expected = Self.reference(bytes, from: before.count)
            #expect(Self.skip(bytes, from: before.count) == expected, "\(String(decoding: bytes, as: UTF8.self))")
            if expected == nil { cut += 1 } else { whole += 1 }
        }
        #expect(whole > 800 && cut > 200)
    }
}
