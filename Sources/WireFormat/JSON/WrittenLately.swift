import Synchronization

/// The bytes last written for a few values, for a payload written again unchanged: an analyst
/// answers every `analyze` of a symbol between two of its ticks with the same report.
///
/// A value that the writer's `alike` finds the same as a kept one (it must compare what the
/// writer writes, bit for bit: strings by their UTF-8 bytes and numbers by their bit patterns,
/// since `==` takes 0.0 for −0.0 and canonically equivalent strings for each other, which are
/// written apart) is written as the kept bytes. Entries are replaced oldest first. A lock guards
/// them: writers on several threads may share one.
///
/// Inlinable, so a payload type's writer uses code specialized for its values (see
/// `RememberedValues`).
@usableFromInline
package final class WrittenLately<Value: Sendable>: Sendable {
    /// The kept values and their bytes, slot by slot, so a look-up copies nothing but the bytes
    /// of the value found.
    @usableFromInline
    struct State {
        @usableFromInline var values: [Value] = []
        @usableFromInline var bytes: [[UInt8]] = []
        /// The slot the next new value replaces once every slot is taken.
        @usableFromInline var oldest = 0

        @usableFromInline
        init() {}
    }

    /// How many values are kept (at least one).
    @usableFromInline package let capacity: Int
    @usableFromInline let state = Mutex(State())

    /// Keeps the bytes of up to `capacity` values.
    package init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Appends `value` to `out`: the bytes kept for a value `alike` finds the same, or what
    /// `write` appends, which are then kept. What `write` declines is declined, and nothing is
    /// kept.
    @inlinable
    package func write(_ value: Value, to out: ByteBuffer, alike: (Value, Value) -> Bool,
                       _ write: (ByteBuffer) throws(FastPathDeclined) -> Void) throws(FastPathDeclined) {
        let kept = state.withLock { state -> [UInt8]? in
            for slot in state.values.indices where alike(state.values[slot], value) { return state.bytes[slot] }
            return nil
        }
        if let kept {
            kept.withUnsafeBufferPointer { out.append($0) }
            return
        }
        let start = out.written
        try write(out)
        let bytes = Array(out.bytes(from: start, count: out.written - start))
        let capacity = capacity
        state.withLock { state in
            if state.values.count < capacity {
                state.values.append(value)
                state.bytes.append(bytes)
            } else {
                state.values[state.oldest] = value
                state.bytes[state.oldest] = bytes
                state.oldest = (state.oldest + 1) % capacity
            }
        }
    }

    /// Values kept (for tests).
    package var count: Int { state.withLock { $0.values.count } }
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
