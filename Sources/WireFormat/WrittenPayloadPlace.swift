/// Where the payload of an envelope written as `JSONEnvelopeCodec` writes one ends, found without
/// reading the payload: members sorted by name, no whitespace, `{"id":"…","parent_id":…,"payload":`
/// before it and `,"source":"…","trace_id":"…","ts":N,"type":"…","v":N}` after it, every string
/// plain ASCII (no control characters, `"` or `\`) and none after the payload holding a `}`. A
/// server opening a request reads its header and passes over its payload by this place instead
/// of by the payload's brackets, which cost about as many instructions as its bytes
/// (docs/PERFORMANCE.md, change 156).
///
/// In a message that is JSON, bytes ending it so can only be its last five members: the last
/// `}` closes the outer object, and every quote of the tail stands after a byte other than `\`,
/// so none is inside a string; the head is the first two members. The payload is the one member
/// between them. For a message that is not JSON the place may be wrong: the payload is read
/// from its start when it is decoded and must end exactly here
/// (`JSONValueReader.read(_:payload:depth:_:)`), or the message is decoded whole.
enum WrittenPayloadPlace {
    private static let head = EnvelopeGlance.head
    private static let parentName: StaticString = #"","parent_id":"#
    private static let payloadName: StaticString = #","payload":"#
    private static let sourceName: StaticString = #","source":""#
    private static let traceName: StaticString = #"","trace_id":""#
    private static let tsName: StaticString = #"","ts":"#
    private static let typeName = EnvelopeGlance.typeName
    private static let versionName = EnvelopeGlance.versionName

    /// The bytes from a payload's start to the message's end above which finding its place
    /// costs less than passing over it by its brackets: the members after it take about 120, and
    /// finding the place costs about what the brackets of 200 more do (an `analyze` or
    /// `order.submit` request is passed over by its brackets, an `assess` request found).
    static let worthFinding = 384

    /// One past the `}` of the payload whose `{` is at `start` in `bytes`; nil for a message
    /// written otherwise.
    static func end(in bytes: UnsafeBufferPointer<UInt8>, payloadAt start: Int) -> Int? {
        guard let base = bytes.baseAddress, headEnds(base, bytes.count, at: start),
              let closing = lastClosingBrace(base, before: bytes.count - 1, after: start),
              tailFits(base, bytes.count, from: closing + 1) else { return nil }
        return closing + 1
    }

    /// Whether `{"id":"…","parent_id":"…"` (or `null`) `,"payload":` is what stands before `start`.
    private static func headEnds(_ base: UnsafePointer<UInt8>, _ count: Int, at start: Int) -> Bool {
        guard start < count, matches(base, count, head, at: 0) else { return false }
        var position = plainEnd(base, count, from: head.utf8CodeUnitCount)
        guard matches(base, count, parentName, at: position) else { return false }
        position += parentName.utf8CodeUnitCount
        if matches(base, count, "null", at: position) {
            position += 4
        } else {
            guard position < count, base[position] == UInt8(ascii: "\"") else { return false }
            position = plainEnd(base, count, from: position + 1)
            guard position < count, base[position] == UInt8(ascii: "\"") else { return false }
            position += 1
        }
        return matches(base, count, payloadName, at: position) && position + payloadName.utf8CodeUnitCount == start
    }

    /// Whether the bytes from `start` on are `,"source":"…","trace_id":"…","ts":N,"type":"…","v":N}`
    /// and nothing more.
    private static func tailFits(_ base: UnsafePointer<UInt8>, _ count: Int, from start: Int) -> Bool {
        guard matches(base, count, sourceName, at: start) else { return false }
        var position = plainEnd(base, count, from: start + sourceName.utf8CodeUnitCount)
        guard matches(base, count, traceName, at: position) else { return false }
        position = plainEnd(base, count, from: position + traceName.utf8CodeUnitCount)
        guard matches(base, count, tsName, at: position) else { return false }
        position = digitsEnd(base, count, from: position + tsName.utf8CodeUnitCount)
        guard matches(base, count, typeName, at: position) else { return false }
        position = plainEnd(base, count, from: position + typeName.utf8CodeUnitCount)
        guard matches(base, count, versionName, at: position) else { return false }
        position = digitsEnd(base, count, from: position + versionName.utf8CodeUnitCount)
        return position == count - 1 && base[position] == UInt8(ascii: "}")
    }

    /// The offset of the last `}` before `end` and after `start`, eight bytes at a time; nil
    /// when there is none.
    private static func lastClosingBrace(_ base: UnsafePointer<UInt8>, before end: Int, after start: Int) -> Int? {
        let ones: UInt64 = 0x0101_0101_0101_0101, lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        var position = end
        while position - 8 > start {
            // The high bit of each byte equal to `}`, exactly (no borrow crosses bytes).
            let word = UInt64(littleEndian: UnsafeRawPointer(base + position - 8).loadUnaligned(as: UInt64.self)) ^ (ones &* 0x7D)
            let hits = ~(((word & lows) &+ lows) | word | lows)
            if hits != 0 { return position - 8 + (63 - hits.leadingZeroBitCount) / 8 }
            position -= 8
        }
        while position - 1 > start {
            position -= 1
            if base[position] == UInt8(ascii: "}") { return position }
        }
        return nil
    }

    /// The offset after the decimal digits (a `-` before them included) at `start`, at least one.
    private static func digitsEnd(_ base: UnsafePointer<UInt8>, _ count: Int, from start: Int) -> Int {
        var position = start
        if position < count, base[position] == UInt8(ascii: "-") { position += 1 }
        let first = position
        while position < count, (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains(base[position]) { position += 1 }
        return position > first ? position : start
    }

    private static func plainEnd(_ base: UnsafePointer<UInt8>, _ count: Int, from start: Int) -> Int {
        EnvelopeGlance.plainEnd(UnsafeRawBufferPointer(start: base, count: count), from: start)
    }

    private static func matches(_ base: UnsafePointer<UInt8>, _ count: Int, _ expected: StaticString, at offset: Int) -> Bool {
        EnvelopeGlance.matches(UnsafeRawBufferPointer(start: base, count: count), expected, at: offset)
    }
}
