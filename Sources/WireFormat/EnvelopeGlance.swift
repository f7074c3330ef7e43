import Foundation

/// Where a received reply's parent id and type are in its bytes, found without reading the rest
/// of it (`EnvelopeCodec.glance(_:)`): enough to hand the reply to the request it answers and
/// for that request to tell whether it is the reply it expects, and then read it whole, once.
/// Nothing else of the message is checked; decoding it does that.
public struct EnvelopeGlance: Sendable {
    /// The bytes of `parent_id`'s value, without its quotes, as offsets from the message's first byte.
    public let parentId: Range<Int>
    /// The bytes of `type`'s value, without its quotes, as offsets from the message's first byte.
    public let type: Range<Int>

    /// The glance at `data` as `JSONEnvelopeCodec` writes an envelope, members sorted by name: it
    /// starts `{"id":"…","parent_id":"…",` and ends `,"type":"…","v":N}`, with nothing but
    /// ASCII other than control characters, `"` and `\` in the three strings and no whitespace. Nil for
    /// anything else (escapes, spacing, members in another order, a null parent id), which the
    /// caller then opens.
    ///
    /// In a message that is JSON, bytes ending it so can only be the last two members of the
    /// outer object: the `}` closes it, so `"v":N` is its member, and so is the string before the
    /// comma, which holds no quote. For a message that is not JSON the glance may be wrong; the
    /// decode of the whole message finds that out.
    public init?(json data: Data) {
        guard let ranges = data.withUnsafeBytes({ bytes in Self.ranges(in: bytes) }) else { return nil }
        (parentId, type) = ranges
    }

    /// The writer's bytes before the id, and around the members the glance reads (shared with
    /// `WrittenPayloadPlace`, which reads the same writer's messages).
    static let head: StaticString = #"{"id":""#
    private static let parentName: StaticString = #"","parent_id":""#
    static let typeName: StaticString = #","type":""#
    static let versionName: StaticString = #"","v":"#

    private static func ranges(in bytes: UnsafeRawBufferPointer) -> (Range<Int>, Range<Int>)? {
        // The head: id and parent id.
        guard matches(bytes, head, at: 0) else { return nil }
        let idEnd = plainEnd(bytes, from: head.utf8CodeUnitCount)
        guard matches(bytes, parentName, at: idEnd) else { return nil }
        let parentStart = idEnd + parentName.utf8CodeUnitCount
        let parentEnd = plainEnd(bytes, from: parentStart)
        guard parentEnd + 1 < bytes.count, bytes[parentEnd] == UInt8(ascii: "\""), bytes[parentEnd + 1] == UInt8(ascii: ",") else { return nil }
        // The tail, read backwards: `}`, the version's digits, then the type.
        var position = bytes.count - 1
        guard position > parentEnd + 1, bytes[position] == UInt8(ascii: "}") else { return nil }
        position -= 1
        let digitsEnd = position
        while position > parentEnd + 1, (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains(bytes[position]) { position -= 1 }
        guard position < digitsEnd else { return nil }
        let typeEnd = position + 1 - versionName.utf8CodeUnitCount
        guard typeEnd > parentEnd + 1, matches(bytes, versionName, at: typeEnd) else { return nil }
        var typeStart = typeEnd
        while typeStart > parentEnd + 1, isPlain(bytes[typeStart - 1]) { typeStart -= 1 }
        guard typeStart - typeName.utf8CodeUnitCount > parentEnd + 1, matches(bytes, typeName, at: typeStart - typeName.utf8CodeUnitCount) else {
            return nil
        }
        return (parentStart ..< parentEnd, typeStart ..< typeEnd)
    }

    /// Whether `byte` may stand in a string as itself and is not its closing quote.
    static func isPlain(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte < 0x80 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
    }

    /// The offset of the first byte from `start` that is not plain (or the end), eight bytes at
    /// a time where eight remain (`JSONLexer.attentionBits` flags exactly what is not plain).
    static func plainEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var position = start
        while position + 8 <= bytes.count {
            let hits = JSONLexer.attentionBits(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)))
            guard hits == 0 else { return position + hits.trailingZeroBitCount / 8 }
            position += 8
        }
        while position < bytes.count, isPlain(bytes[position]) { position += 1 }
        return position
    }

    static func matches(_ bytes: UnsafeRawBufferPointer, _ expected: StaticString, at offset: Int) -> Bool {
        let count = expected.utf8CodeUnitCount
        guard offset >= 0, offset + count <= bytes.count, let base = bytes.baseAddress else { return false }
        return memcmp(base + offset, expected.utf8Start, count) == 0
    }

    /// Whether the bytes at `range` of `data` are `text`'s UTF-8.
    public static func bytes(of data: Data, at range: Range<Int>, are text: String) -> Bool {
        var text = text
        return text.withUTF8 { expected in
            data.withUnsafeBytes { bytes in
                guard range.count == expected.count, range.upperBound <= bytes.count, let base = bytes.baseAddress else { return false }
                return expected.isEmpty || memcmp(base + range.lowerBound, expected.baseAddress!, expected.count) == 0
            }
        }
    }
}
