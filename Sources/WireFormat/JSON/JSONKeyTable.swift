/// The member names of one type, in the byte order the encoder writes them; a name's position
/// is its field number for `JSONValueReader.members`.
@usableFromInline
package struct JSONKeyTable: Sendable {
    /// One name, with the first eight bytes of the name and its closing quote as a word to
    /// compare with the input in one step.
    struct Name: Sendable {
        let text: StaticString
        /// `text.utf8CodeUnitCount`.
        let length: Int
        /// The little-endian word of the first bytes of `text` + `"`, as many as fit in eight.
        let head: UInt64
        /// The bytes of `head` that count.
        let mask: UInt64
        /// For names of eight bytes or more, the little-endian word of their last eight bytes.
        let tail: UInt64

        init(_ text: StaticString) {
            self.text = text
            length = text.utf8CodeUnitCount
            let bytes = UnsafeBufferPointer(start: text.utf8Start, count: length)
            let head = PackedWord(bytes + [UInt8(ascii: "\"")])
            self.head = head.word
            mask = head.mask
            tail = length >= 8 ? PackedWord(bytes.suffix(8)).word : 0
        }
    }

    let names: [Name]

    /// At most 64 names, strictly sorted by their UTF-8 bytes, each plain ASCII without quotes,
    /// backslashes or control characters.
    package init(_ names: StaticString...) {
        precondition(names.count <= 64, "a key table holds at most 64 names")
        for name in names {
            let bytes = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
            precondition(bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") },
                         "key table names are plain ASCII: \(name)")
        }
        for position in names.indices.dropFirst() {
            let previous = UnsafeBufferPointer(start: names[position - 1].utf8Start, count: names[position - 1].utf8CodeUnitCount)
            let current = UnsafeBufferPointer(start: names[position].utf8Start, count: names[position].utf8CodeUnitCount)
            precondition(previous.lexicographicallyPrecedes(current), "key table names must be sorted: \(names[position])")
        }
        self.names = names.map(Name.init)
    }

    /// The field whose name followed by the closing quote is at `start`, where `available`
    /// bytes can be read, or nil when it is none of them; names are tried from field `first` on
    /// and then those before it (names are unique, so the order only changes the cost). With
    /// eight bytes or more available the first eight are read as one word; with fewer, the word
    /// is made of them and zeros (which match no name's closing quote).
    @inline(__always)
    func field(at start: UnsafePointer<UInt8>, available: Int, from first: Int) -> Int? {
        let word: UInt64
        if available >= 8 {
            word = UInt64(littleEndian: UnsafeRawPointer(start).loadUnaligned(as: UInt64.self))
        } else {
            var bytes: UInt64 = 0
            for position in 0 ..< available { bytes |= UInt64(start[position]) &<< UInt64(truncatingIfNeeded: position &* 8) }
            word = bytes
        }
        let count = names.count
        var field = first < count ? first : 0
        for _ in 0 ..< count {
            let name = names[field]
            if word & name.mask == name.head {
                if name.length < 8 { return field }
                if name.length < available, start[name.length] == UInt8(ascii: "\""),
                   UInt64(littleEndian: UnsafeRawPointer(start + name.length - 8).loadUnaligned(as: UInt64.self)) == name.tail,
                   name.length <= 16 || JSONText.equal(UnsafeBufferPointer(start: name.text.utf8Start + 8, count: name.length - 16),
                                                        UnsafeBufferPointer(start: start + 8, count: name.length - 16)) {
                    return field
                }
            }
            field = field &+ 1 == count ? 0 : field &+ 1
        }
        return nil
    }
}
