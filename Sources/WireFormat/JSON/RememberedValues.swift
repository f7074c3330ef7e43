import Synchronization

/// The values last read from a few distinct byte strings, for a payload that comes again byte
/// for byte: an analyst answers every `analyze` of a symbol between two of its ticks with the
/// same report, which a director then reads from every reply and a RiskManager from every
/// `assess` request (`JSONValueReader.remembered(in:_:)`).
///
/// Bytes equal to those a value was read from read as that value again: the fast readers are
/// functions of the bytes alone. Each entry also keeps how many members its read passed over
/// (unknown or repeated names), which a reader of the whole document counts, and the deepest
/// nesting it was read at, so a value is taken only where a read of its bytes would have been
/// as deep or shallower (and so accepted). Entries are replaced oldest first. A lock guards
/// them: readers on several threads may share one.
package final class RememberedValues<Value: Sendable>: Sendable {
    private struct Entry {
        var bytes: [UInt8]
        var value: Value
        var irregularMembers: Int
        var depth: Int
    }

    private struct State {
        var entries: [Entry] = []
        /// The entry the next new value replaces once every slot is taken.
        var oldest = 0
    }

    /// How many byte strings are kept (at least one).
    package let capacity: Int
    private let state = Mutex(State())

    /// Keeps the values of up to `capacity` byte strings.
    package init(capacity: Int) { self.capacity = max(1, capacity) }

    /// The value read from exactly `bytes` at nesting `depth` or deeper, with the members that
    /// read passed over; nil when none is kept.
    func value(for bytes: UnsafeBufferPointer<UInt8>, depth: Int) -> (value: Value, irregularMembers: Int)? {
        state.withLock { state in
            for entry in state.entries where entry.bytes.count == bytes.count && entry.depth >= depth {
                if entry.bytes.withUnsafeBufferPointer({ JSONText.equal($0, bytes) }) { return (entry.value, entry.irregularMembers) }
            }
            return nil
        }
    }

    /// Keeps `value` as read from `bytes` at nesting `depth`, passing over `irregularMembers`
    /// members: in place of the entry of the same bytes, else in a free slot, else in place of
    /// the oldest.
    func keep(_ bytes: UnsafeBufferPointer<UInt8>, _ value: Value, irregularMembers: Int, depth: Int) {
        let entry = Entry(bytes: Array(bytes), value: value, irregularMembers: irregularMembers, depth: depth)
        state.withLock { state in
            if let same = state.entries.firstIndex(where: { $0.bytes == entry.bytes }) {
                state.entries[same].depth = max(state.entries[same].depth, depth)
                return
            }
            if state.entries.count < capacity {
                state.entries.append(entry)
            } else {
                state.entries[state.oldest] = entry
                state.oldest = (state.oldest + 1) % capacity
            }
        }
    }

    /// Byte strings kept (for tests).
    package var count: Int { state.withLock { $0.entries.count } }
}

extension JSONValueReader {
    /// Reads the object the cursor stands at with `read`, or, when its bytes are exactly those a
    /// value kept in `memo` was read from, takes that value without reading them again (a scan
    /// by brackets finds where they end, and a comparison with the kept bytes decides). A value
    /// read is kept for next time. Anything but an object is read with `read`, as is an object
    /// whose brackets do not balance (which `read` then declines). Either way the cursor ends
    /// just after the value and the passed-over members are counted as a read would count them.
    package func remembered<Value>(in memo: RememberedValues<Value>,
                                   _ read: (JSONValueReader) throws(FastPathDeclined) -> Value) throws(FastPathDeclined) -> Value {
        guard next == UInt8(ascii: "{") else { return try read(self) }
        let start = position, depth = cursor.pointee.depth
        do {
            try skipContainerUnchecked()
        } catch {
            cursor.pointee.lexer.position = start
            return try read(self)
        }
        let end = position
        let bytes = UnsafeBufferPointer(rebasing: cursor.pointee.lexer.bytes[start ..< end])
        if let kept = memo.value(for: bytes, depth: depth) {
            cursor.pointee.irregularMembers += kept.irregularMembers
            return kept.value
        }
        cursor.pointee.lexer.position = start
        let passedOver = irregularMembers
        let value = try read(self)
        // A value that ends anywhere else was not the object the brackets enclose.
        guard position == end else { throw FastPathDeclined() }
        memo.keep(bytes, value, irregularMembers: irregularMembers - passedOver, depth: depth)
        return value
    }
}
