import Synchronization

/// The bytes last written for a few values, for a payload written again unchanged: an analyst
/// answers every `analyze` of a symbol between two of its ticks with the same report.
///
/// A value that `alike` finds the same as a kept one (it must compare what the writer writes,
/// bit for bit: strings by their UTF-8 bytes and numbers by their bit patterns, since `==` takes
/// 0.0 for −0.0 and canonically equivalent strings for each other, which are written apart) is
/// written as the kept bytes. Entries are replaced oldest first. A lock guards them: writers on
/// several threads may share one.
package final class WrittenLately<Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var bytes: [UInt8]
    }

    private struct State {
        var entries: [Entry] = []
        /// The entry the next new value replaces once every slot is taken.
        var oldest = 0
    }

    /// How many values are kept (at least one).
    package let capacity: Int
    private let alike: @Sendable (Value, Value) -> Bool
    private let state = Mutex(State())

    /// Keeps the bytes of up to `capacity` values, told apart by `alike`.
    package init(capacity: Int, alike: @escaping @Sendable (Value, Value) -> Bool) {
        self.capacity = max(1, capacity)
        self.alike = alike
    }

    /// Appends `value` to `out`: the bytes kept for a value alike, or what `write` appends, which
    /// are then kept. What `write` declines is declined, and nothing is kept.
    package func write(_ value: Value, to out: ByteBuffer, _ write: (ByteBuffer) throws(FastPathDeclined) -> Void) throws(FastPathDeclined) {
        if let kept = state.withLock({ state in state.entries.first(where: { alike($0.value, value) })?.bytes }) {
            kept.withUnsafeBufferPointer { out.append($0) }
            return
        }
        let start = out.count
        try write(out)
        let entry = Entry(value: value, bytes: Array(out.bytes(from: start, count: out.count - start)))
        state.withLock { state in
            if state.entries.count < capacity {
                state.entries.append(entry)
            } else {
                state.entries[state.oldest] = entry
                state.oldest = (state.oldest + 1) % capacity
            }
        }
    }

    /// Values kept (for tests).
    package var count: Int { state.withLock { $0.entries.count } }
}

extension String {
    /// Whether `other` is the same UTF-8 bytes (not only canonically equivalent, as `==` asks):
    /// at once when the two share their storage, as copies of one string do.
    package func hasSameUTF8(as other: String) -> Bool {
        let same = utf8.withContiguousStorageIfAvailable { mine in
            other.utf8.withContiguousStorageIfAvailable { theirs in
                (mine.baseAddress == theirs.baseAddress && mine.count == theirs.count) || JSONText.equal(mine, theirs)
            }
        }
        return (same ?? nil) ?? utf8.elementsEqual(other.utf8)
    }
}
