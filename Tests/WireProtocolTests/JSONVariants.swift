import Foundation
import Trading

/// A JSON document as a tree that keeps every number's text and every member's order, so a
/// document the encoder wrote can be written again differently with the same meaning.
indirect enum JSONTree: Equatable {
    case object([Member])
    case array([JSONTree])
    case string(String)
    /// A number, `true`, `false` or `null`, as written.
    case literal(String)

    /// One member of an object.
    struct Member: Equatable {
        var name: String
        var value: JSONTree
    }

    /// Parses compact, well-formed JSON (what `WireJSONEncoder` writes).
    static func parse(_ data: Data) -> JSONTree {
        var parser = Parser(bytes: Array(data))
        return parser.value()
    }

    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        mutating func value() -> JSONTree {
            switch bytes[position] {
            case UInt8(ascii: "{"):
                position += 1
                var members: [Member] = []
                while bytes[position] != UInt8(ascii: "}") {
                    if bytes[position] == UInt8(ascii: ",") { position += 1 }
                    guard case let .string(name) = value() else { preconditionFailure("member name expected") }
                    position += 1 // ':'
                    members.append(Member(name: name, value: value()))
                }
                position += 1
                return .object(members)
            case UInt8(ascii: "["):
                position += 1
                var elements: [JSONTree] = []
                while bytes[position] != UInt8(ascii: "]") {
                    if bytes[position] == UInt8(ascii: ",") { position += 1 }
                    elements.append(value())
                }
                position += 1
                return .array(elements)
            case UInt8(ascii: "\""):
                let start = position
                position += 1
                while bytes[position] != UInt8(ascii: "\"") { position += bytes[position] == UInt8(ascii: "\\") ? 2 : 1 }
                position += 1
                // Foundation unescapes the string: an independent reading of the escapes.
                return .string(try! JSONDecoder().decode(String.self, from: Data(bytes[start ..< position])))
            default:
                let start = position
                while position < bytes.count, !",}]".utf8.contains(bytes[position]) { position += 1 }
                return .literal(String(decoding: bytes[start ..< position], as: UTF8.self))
            }
        }
    }
}

/// Writes a `JSONTree` with the same meaning in random ways, replayable from a seed: whitespace
/// between tokens, members shuffled, strings escaped differently, a byte order mark, unknown
/// members and repeated names (after the first, which is the one that counts).
struct JSONVariants {
    var generator: SeededGenerator
    /// Add members no type knows and repeat names with other values; off for dictionaries,
    /// whose members are all read.
    var addsMembers = true

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0 ..< 100, using: &generator) < percent }

    mutating func document(_ tree: JSONTree) -> Data {
        var text = chance(10) ? "\u{FEFF}" : ""
        text += space()
        write(tree, to: &text)
        text += space()
        return Data(text.utf8)
    }

    mutating func space() -> String {
        guard chance(30) else { return "" }
        return (0 ..< Int.random(in: 1 ... 3, using: &generator)).map { _ in [" ", "\n", "\t", "\r\n", "  "].randomElement(using: &generator)! }
            .joined()
    }

    mutating func write(_ tree: JSONTree, to text: inout String) {
        switch tree {
        case let .object(members):
            var members = members.shuffled(using: &generator)
            if addsMembers {
                for _ in 0 ..< Int.random(in: 0 ... 2, using: &generator) {
                    let unknown = JSONTree.Member(name: "unknown_\(Int.random(in: 0 ... 9, using: &generator))", value: randomValue(depth: 3))
                    members.insert(unknown, at: Int.random(in: 0 ... members.count, using: &generator))
                }
                if let repeated = members.randomElement(using: &generator), chance(30) {
                    members.append(JSONTree.Member(name: repeated.name, value: randomValue(depth: 2)))
                }
            }
            text += "{" + space()
            for (index, member) in members.enumerated() {
                if index > 0 { text += space() + "," + space() }
                text += quoted(member.name, escapes: false) + space() + ":" + space()
                write(member.value, to: &text)
            }
            text += space() + "}"
        case let .array(elements):
            text += "[" + space()
            for (index, element) in elements.enumerated() {
                if index > 0 { text += space() + "," + space() }
                write(element, to: &text)
            }
            text += space() + "]"
        case let .string(value):
            text += quoted(value, escapes: true)
        case let .literal(value):
            text += value
        }
    }

    /// `value` quoted; with `escapes`, characters are escaped in any of the ways JSON allows.
    mutating func quoted(_ value: String, escapes: Bool) -> String {
        var text = "\""
        for scalar in value.unicodeScalars {
            let must = scalar == "\"" || scalar == "\\" || scalar.value < 0x20
            guard must || (escapes && chance(25)) else {
                text.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\"" where chance(50): text += "\\\""
            case "\\" where chance(50): text += "\\\\"
            case "/" where chance(50): text += "\\/"
            case "\n" where chance(50): text += "\\n"
            case "\t" where chance(50): text += "\\t"
            default:
                for unit in String(scalar).utf16 {
                    let hex = String(unit, radix: 16, uppercase: chance(50))
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            }
        }
        return text + "\""
    }

    /// Any JSON value, nested at most `depth` deep.
    mutating func randomValue(depth: Int) -> JSONTree {
        switch Int.random(in: 0 ... (depth > 0 ? 5 : 3), using: &generator) {
        case 0: return .literal(["true", "false", "null"].randomElement(using: &generator)!)
        case 1: return .literal(["0", "-0", "7", "-12.5e-3", "1E+2", "123456789012345678901234567890", "1e400", "0.1"].randomElement(using: &generator)!)
        case 2, 3:
            let pieces = ["a", "é", "😀", "\"", "\\", "/", "\n", "\u{1}", "\u{2028}", "x y", "}", "]", ":", ","]
            return .string((0 ..< Int.random(in: 0 ... 6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        case 4: return .array((0 ..< Int.random(in: 0 ... 3, using: &generator)).map { _ in randomValue(depth: depth - 1) })
        default:
            return .object((0 ..< Int.random(in: 0 ... 3, using: &generator)).map { index in
                JSONTree.Member(name: ["k", "é", "symbol", "qty", "payload", "a\"b"][index], value: randomValue(depth: depth - 1))
            })
        }
    }
}
