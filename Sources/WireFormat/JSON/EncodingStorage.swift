import Foundation

/// What one encode has produced so far: every value as an entry (scalars as finished JSON text,
/// containers as linked lists of children), since containers may still be filled in any order
/// until the top-level `encode(to:)` returns. `serialized()` then writes objects with their
/// members sorted by the UTF-8 bytes of their names.
final class EncodingStorage {
    /// One value being encoded.
    struct Entry {
        enum Kind: UInt8 { case empty, scalar, object, array }
        var kind = Kind.empty
        /// The member name's raw UTF-8 in `text`; length -1 for array elements and the root.
        var keyStart = 0
        var keyLength = -1
        /// A scalar's JSON text in `text`.
        var textStart = 0
        var textLength = 0
        var firstChild = -1
        var lastChild = -1
        var next = -1
        var count = 0
    }

    // Only ever touched from the one encode that owns this storage.
    @exclusivity(unchecked) private(set) var entries: [Entry] = [Entry()]
    private let text = ByteBuffer(capacity: 512)

    init() {
        entries.reserveCapacity(32)
    }

    /// Makes `slot` a container of `kind`; asking again for the same kind keeps its contents.
    func makeContainer(_ slot: Int, _ kind: Entry.Kind) {
        guard entries[slot].kind != kind else { return }
        entries[slot] = Entry(kind: kind, keyStart: entries[slot].keyStart, keyLength: entries[slot].keyLength, next: entries[slot].next)
    }

    /// Appends an empty value to container `parent`, named `key` when the parent is an object.
    func appendChild(of parent: Int, key: String?) -> Int {
        var entry = Entry()
        if let key {
            entry.keyStart = text.count
            text.append(key)
            entry.keyLength = text.count - entry.keyStart
        }
        let index = entries.count
        entries.append(entry)
        if entries[parent].lastChild >= 0 {
            entries[entries[parent].lastChild].next = index
        } else {
            entries[parent].firstChild = index
        }
        entries[parent].lastChild = index
        entries[parent].count += 1
        return index
    }

    func setNull(_ slot: Int) { setScalar(slot) { $0.append("null") } }
    func setBool(_ slot: Int, _ value: Bool) { setScalar(slot) { $0.append(value ? "true" : "false") } }
    func setString(_ slot: Int, _ value: String) { setScalar(slot) { JSONWriter.appendQuoted(value, to: $0) } }
    func setInteger<T: BinaryInteger>(_ slot: Int, _ value: T) { setScalar(slot) { JSONWriter.appendInteger(value, to: $0) } }
    /// `value` must be finite.
    func setDouble(_ slot: Int, _ value: Double) { setScalar(slot) { JSONWriter.appendDouble(value, to: $0) } }
    func setDecimal(_ slot: Int, _ value: WireDecimal) { setScalar(slot) { JSONWriter.appendDecimal(value.units, to: $0) } }
    /// `value` must be finite.
    func setFloat(_ slot: Int, _ value: Float) { setScalar(slot) { JSONWriter.appendFloat(value, to: $0) } }

    private func setScalar(_ slot: Int, _ write: (ByteBuffer) -> Void) {
        let start = text.count
        write(text)
        entries[slot].kind = .scalar
        entries[slot].textStart = start
        entries[slot].textLength = text.count - start
    }

    /// The finished document.
    func serialized() -> Data {
        let out = ByteBuffer(capacity: text.count + entries.count * 4 + 8)
        write(0, text.bytes(from: 0, count: text.count), out)
        return out.takeData()
    }

    private func write(_ slot: Int, _ text: UnsafeBufferPointer<UInt8>, _ out: ByteBuffer) {
        let entry = entries[slot]
        switch entry.kind {
        case .scalar:
            out.append(UnsafeBufferPointer(rebasing: text[entry.textStart ..< entry.textStart + entry.textLength]))
        case .empty: // a nested value that encoded nothing is an empty object, as in Foundation
            out.append(UInt8(ascii: "{"))
            out.append(UInt8(ascii: "}"))
        case .array:
            out.append(UInt8(ascii: "["))
            var child = entry.firstChild
            while child >= 0 {
                if child != entry.firstChild { out.append(UInt8(ascii: ",")) }
                write(child, text, out)
                child = entries[child].next
            }
            out.append(UInt8(ascii: "]"))
        case .object:
            writeObject(entry, text, out)
        }
    }

    /// Members sorted by name bytes; when a name was encoded twice the later value wins, as
    /// with Foundation's dictionary-backed containers.
    private func writeObject(_ entry: Entry, _ text: UnsafeBufferPointer<UInt8>, _ out: ByteBuffer) {
        out.append(UInt8(ascii: "{"))
        withUnsafeTemporaryAllocation(of: Member.self, capacity: entry.count) { members in
            var child = entry.firstChild
            for position in 0 ..< entry.count {
                let name = UnsafeBufferPointer(rebasing: text[entries[child].keyStart ..< entries[child].keyStart + max(0, entries[child].keyLength)])
                members[position] = Member(name: name, entry: child)
                child = entries[child].next
            }
            // Insertion sort: objects are small, and equal names keep encoding order.
            for position in 1 ..< max(1, entry.count) {
                let member = members[position]
                var slot = position
                while slot > 0, member.precedes(members[slot - 1]) {
                    members[slot] = members[slot - 1]
                    slot -= 1
                }
                members[slot] = member
            }
            var first = true
            for position in 0 ..< entry.count {
                if position + 1 < entry.count, members[position].compare(members[position + 1]) == 0 { continue }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                JSONWriter.appendQuoted(members[position].name, to: out)
                out.append(UInt8(ascii: ":"))
                write(members[position].entry, text, out)
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    /// An object member while its object is written.
    private struct Member {
        var name: UnsafeBufferPointer<UInt8>
        var entry: Int

        /// Byte order of the names (memcmp order), a prefix first.
        func compare(_ other: Member) -> Int {
            for index in 0 ..< min(name.count, other.name.count) where name[index] != other.name[index] {
                return Int(name[index]) - Int(other.name[index])
            }
            return name.count - other.name.count
        }

        func precedes(_ other: Member) -> Bool { compare(other) < 0 }
    }
}
