/// Decoded strings that recur from message to message (symbols, accounts, sources, message
/// types, a cycle's trace id and client order id), so that reading one again costs a hash, a
/// compare and a retain instead of making a `String` (validating its bytes again and, over 15
/// bytes, allocating).
///
/// Keyed by the string's bytes as they stand in the JSON text (escapes as written), which
/// `JSONLexer` has checked: equal bytes always stand for the same string. Strings over
/// `longest` bytes are not kept. Bounded: `sets` sets of `ways` entries each, a new string
/// replacing the least recently read entry of its set, so at most `capacity` strings are held.
///
/// Not shareable between threads: each thread has its own (`CodecThreadState`), reached through
/// a pointer, so reading one takes no lock and no exclusivity check.
struct RecurringStrings {
    /// The longest string kept, in bytes of JSON text.
    static let longest = 32
    /// Entries per set.
    static let ways = 4
    /// Sets (a power of two).
    static let sets = 64
    /// The most strings held at once.
    static var capacity: Int { ways * sets }

    private struct Entry {
        var key: RecurringStringKey
        /// The clock's value when the entry was last read or made; 0 while the entry is empty.
        var stamp: UInt64
        var string: String
    }

    private let entries: UnsafeMutablePointer<Entry>
    /// Counts reads, to find each set's least recently read entry.
    private var clock: UInt64 = 0

    /// An empty table.
    init() {
        entries = .allocate(capacity: Self.capacity)
        entries.initialize(repeating: Entry(key: RecurringStringKey(), stamp: 0, string: ""), count: Self.capacity)
    }

    /// Releases the strings and the entries; the table is not used afterwards.
    func free() {
        entries.deinitialize(count: Self.capacity)
        entries.deallocate()
    }

    /// How many strings the table holds.
    var count: Int {
        (0 ..< Self.capacity).reduce(0) { held, index in held + (entries[index].stamp > 0 ? 1 : 0) }
    }

    /// The string that `text` (a JSON string's bytes without its quotes, checked by
    /// `JSONLexer`, with `hasEscapes` as it found them) stands for: the one kept for the same
    /// bytes, or a new one, kept in place of its set's least recently read entry. Texts over
    /// `longest` bytes are made and not kept.
    mutating func string(_ text: UnsafeBufferPointer<UInt8>, hasEscapes: Bool) -> String {
        guard text.count <= Self.longest else { return JSONText.string(text, hasEscapes: hasEscapes) }
        return string(for: RecurringStringKey(text), text, hasEscapes: hasEscapes)
    }

    /// The string for `key`, the key of `text`: as `string(_:hasEscapes:)`, for a key already made.
    @inline(__always)
    mutating func string(for key: RecurringStringKey, _ text: UnsafeBufferPointer<UInt8>, hasEscapes: Bool) -> String {
        let set = entries + key.set &* Self.ways
        clock &+= 1
        var oldest = set
        for way in 0 ..< Self.ways {
            let entry = set + way
            if entry.pointee.key == key {
                entry.pointee.stamp = clock
                return entry.pointee.string
            }
            if entry.pointee.stamp < oldest.pointee.stamp { oldest = entry }
        }
        let string = JSONText.string(text, hasEscapes: hasEscapes)
        oldest.pointee = Entry(key: key, stamp: clock, string: string)
        return string
    }
}

/// The bytes of a JSON string's text of at most `RecurringStrings.longest` bytes as four
/// little-endian words, zero after the last byte, and its length: equal keys mean equal bytes.
struct RecurringStringKey: Equatable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// The text's length in bytes; -1 for the key of no text.
    private(set) var length = -1

    /// The key of no text.
    init() {}

    /// The key of `text`, read without touching a byte outside it.
    init(_ text: UnsafeBufferPointer<UInt8>) {
        length = text.count
        guard let base = text.baseAddress else { return }
        let whole = length / 8
        if whole > 0 { words.0 = Self.load(base) }
        if whole > 1 { words.1 = Self.load(base + 8) }
        if whole > 2 { words.2 = Self.load(base + 16) }
        if whole > 3 { words.3 = Self.load(base + 24) }
        let rest = length % 8
        guard rest > 0 else { return }
        // The last bytes: the word ending with the text, shifted down past the bytes before them
        // (from eight bytes on), or the bytes themselves.
        let tail = length >= 8
            ? Self.load(base + (length &- 8)) &>> UInt64(truncatingIfNeeded: (8 &- rest) &* 8)
            : Self.short(base, rest)
        switch whole {
        case 0: words.0 = tail
        case 1: words.1 = tail
        case 2: words.2 = tail
        default: words.3 = tail
        }
    }

    /// The key of the string text starting at byte `start` of `document` when that text is plain
    /// (printable ASCII without `"` or `\`), at most `RecurringStrings.longest` bytes long and
    /// followed by its closing quote: found while the text is scanned, eight bytes at a time
    /// (`JSONLexer.attentionBits`). Nil, for the lexer to scan it, otherwise or where fewer than
    /// eight bytes of the document are left to load.
    @inline(__always)
    init?(plainTextAt start: Int, in document: UnsafeBufferPointer<UInt8>) {
        guard let base = document.baseAddress else { return nil }
        let end = document.count
        var at = start
        guard let first = Self.plainWord(base, at, end) else { return nil }
        words.0 = first.word
        if first.length < 8 { length = first.length; return }
        at &+= 8
        guard let second = Self.plainWord(base, at, end) else { return nil }
        words.1 = second.word
        if second.length < 8 { length = 8 &+ second.length; return }
        at &+= 8
        guard let third = Self.plainWord(base, at, end) else { return nil }
        words.2 = third.word
        if third.length < 8 { length = 16 &+ third.length; return }
        at &+= 8
        guard let fourth = Self.plainWord(base, at, end) else { return nil }
        words.3 = fourth.word
        if fourth.length < 8 { length = 24 &+ fourth.length; return }
        at &+= 8
        guard at < end, base[at] == UInt8(ascii: "\"") else { return nil }
        length = 32
    }

    /// The set of `RecurringStrings` whose entries may hold the key.
    @inline(__always)
    var set: Int {
        let mixed = (words.0 ^ (words.1 &* 0x9E37_79B9_7F4A_7C15) ^ (words.2 &* 0xC2B2_AE3D_27D4_EB4F)
            ^ (words.3 &* 0x1656_67B1_9E37_79F9)) &+ UInt64(truncatingIfNeeded: length)
        return Int(truncatingIfNeeded: (mixed &* 0xFF51_AFD7_ED55_8CCD) &>> 58) & (RecurringStrings.sets &- 1)
    }

    @inline(__always)
    static func == (left: Self, right: Self) -> Bool {
        left.length == right.length && left.words.0 == right.words.0 && left.words.1 == right.words.1
            && left.words.2 == right.words.2 && left.words.3 == right.words.3
    }

    /// Eight bytes of string text at `at`: all of them with `length` 8 when none needs
    /// attention, or the bytes before a closing quote (zero after them) with their count; nil
    /// when the first byte needing attention is not a quote or fewer than eight bytes are left.
    @inline(__always)
    private static func plainWord(_ base: UnsafePointer<UInt8>, _ at: Int, _ end: Int) -> (word: UInt64, length: Int)? {
        guard at &+ 8 <= end else { return nil }
        let word = load(base + at)
        let hits = JSONLexer.attentionBits(word)
        if hits == 0 { return (word, 8) }
        let count = hits.trailingZeroBitCount &>> 3
        guard base[at &+ count] == UInt8(ascii: "\"") else { return nil }
        return (count == 0 ? 0 : word & (UInt64.max &>> UInt64(truncatingIfNeeded: (8 &- count) &* 8)), count)
    }

    @inline(__always)
    private static func load(_ at: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(at).loadUnaligned(as: UInt64.self))
    }

    /// One to seven bytes as a word: from four bytes on the first four and the last four
    /// (overlapping where they meet, the same bytes in the same places).
    @inline(__always)
    private static func short(_ base: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        if count >= 4 {
            let first = UInt64(UInt32(littleEndian: UnsafeRawPointer(base).loadUnaligned(as: UInt32.self)))
            let last = UInt64(UInt32(littleEndian: UnsafeRawPointer(base + (count &- 4)).loadUnaligned(as: UInt32.self)))
            return first | last &<< UInt64(truncatingIfNeeded: (count &- 4) &* 8)
        }
        var word: UInt64 = 0
        for index in 0 ..< count { word |= UInt64(base[index]) &<< UInt64(truncatingIfNeeded: index &* 8) }
        return word
    }
}
