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
///
/// Inlinable, so a payload type's reader uses code specialized for its values: generic, every
/// look-up went through the type's metadata and cost more than the read it spares.
@usableFromInline
package final class RememberedValues<Value: Sendable>: Sendable {
    /// The kept values, slot by slot, in arrays of their own so a look-up compares a sample of
    /// each slot's bytes and then the whole of the slots whose sample matches, copying nothing
    /// but the value taken.
    @usableFromInline
    struct State {
        @usableFromInline var lengths: [Int] = []
        /// A few of each slot's bytes (`sample(of:)`), compared before the whole.
        @usableFromInline var samples: [UInt64] = []
        @usableFromInline var bytes: [[UInt8]] = []
        @usableFromInline var values: [Value] = []
        @usableFromInline var irregularMembers: [Int] = []
        @usableFromInline var depths: [Int] = []
        /// The slot the next new value replaces once every slot is taken.
        @usableFromInline var oldest = 0

        @usableFromInline
        init() {}

        /// The slot whose bytes `bytes` starts with, read at `depth` or deeper. Newest first:
        /// the value sought is mostly the one kept last for its symbol.
        @inlinable
        func slot(prefixing bytes: UnsafeBufferPointer<UInt8>, depth: Int) -> Int? {
            let count = lengths.count
            for step in 0 ..< count {
                let slot = (oldest + count - 1 - step) % count
                let length = lengths[slot]
                guard length <= bytes.count, depths[slot] >= depth,
                      samples[slot] == RememberedValues.sample(of: UnsafeBufferPointer(rebasing: bytes[..<length])) else { continue }
                if self.bytes[slot].withUnsafeBufferPointer({ JSONText.equal($0, UnsafeBufferPointer(rebasing: bytes[..<length])) }) {
                    return slot
                }
            }
            return nil
        }

        /// The slot of exactly `bytes`, at any depth.
        @inlinable
        func slot(of bytes: UnsafeBufferPointer<UInt8>, sample: UInt64) -> Int? {
            for slot in lengths.indices where samples[slot] == sample && lengths[slot] == bytes.count {
                if self.bytes[slot].withUnsafeBufferPointer({ JSONText.equal($0, bytes) }) { return slot }
            }
            return nil
        }
    }

    /// Three words of `bytes` (its first, middle and last eight, where it has them) folded into
    /// one: byte strings that differ anywhere mostly differ in these too (an analysis's numbers
    /// run through the whole report), so few comparisons of whole strings are made in vain.
    @inlinable
    static func sample(of bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let base = bytes.baseAddress, bytes.count >= 8 else { return UInt64(bytes.count) }
        let raw = UnsafeRawPointer(base)
        let first = raw.loadUnaligned(as: UInt64.self)
        let middle = raw.loadUnaligned(fromByteOffset: (bytes.count - 8) / 2, as: UInt64.self)
        let last = raw.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self)
        return first ^ (middle &* 0x9E37_79B9_7F4A_7C15) ^ (last &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(bytes.count)
    }

    /// How many byte strings are kept (at least one).
    @usableFromInline package let capacity: Int
    @usableFromInline let state = Mutex(State())

    /// Keeps the values of up to `capacity` byte strings.
    package init(capacity: Int) { self.capacity = max(1, capacity) }

    /// The value read from bytes that `bytes` starts with, at nesting `depth` or deeper, with
    /// how many bytes it was read from and the members that read passed over; nil when none is
    /// kept. Bytes a value was read from are one whole JSON object: found at the start of
    /// `bytes`, that object ends where they end, and reads as that value.
    @inlinable @usableFromInline
    func value(startingAt bytes: UnsafeBufferPointer<UInt8>, depth: Int) -> (value: Value, length: Int, irregularMembers: Int)? {
        let looked = LookedUpBytes(bytes)
        return state.withLock { state in
            guard let slot = state.slot(prefixing: looked.bytes, depth: depth) else { return nil }
            return (state.values[slot], state.lengths[slot], state.irregularMembers[slot])
        }
    }

    /// Keeps `value` as read from `bytes` at nesting `depth`, passing over `irregularMembers`
    /// members: in the slot of the same bytes (which then holds the deeper nesting), else in a
    /// free slot, else in place of the oldest.
    @inlinable @usableFromInline
    func keep(_ bytes: UnsafeBufferPointer<UInt8>, _ value: Value, irregularMembers: Int, depth: Int) {
        let (capacity, looked, copy, sample) = (capacity, LookedUpBytes(bytes), Array(bytes), Self.sample(of: bytes))
        state.withLock { state in
            if let same = state.slot(of: looked.bytes, sample: sample) {
                state.depths[same] = max(state.depths[same], depth)
                return
            }
            if state.lengths.count < capacity {
                state.lengths.append(copy.count)
                state.samples.append(sample)
                state.bytes.append(copy)
                state.values.append(value)
                state.irregularMembers.append(irregularMembers)
                state.depths.append(depth)
            } else {
                let slot = state.oldest
                state.lengths[slot] = copy.count
                state.samples[slot] = sample
                state.bytes[slot] = copy
                state.values[slot] = value
                state.irregularMembers[slot] = irregularMembers
                state.depths[slot] = depth
                state.oldest = (slot + 1) % capacity
            }
        }
    }

    /// Byte strings kept (for tests).
    package var count: Int { state.withLock { $0.lengths.count } }
}

/// Bytes compared with the kept ones under the lock: valid for the call that looks them up,
/// which only reads them there and keeps nothing that points into them.
@usableFromInline
struct LookedUpBytes: @unchecked Sendable {
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>

    @usableFromInline
    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }
}

extension JSONValueReader {
    /// Reads the object the cursor stands at with `read`, or, when it is exactly the bytes a
    /// value kept in `memo` was read from, takes that value without reading them again (the
    /// bytes that follow are compared with each kept value's, newest first). A value read is kept
    /// for next time. Anything but an object is read with `read`. Either way the cursor ends just
    /// after the value and the passed-over members are counted as a read would count them.
    @inlinable
    package func remembered<Value>(in memo: RememberedValues<Value>,
                                   _ read: (JSONValueReader) throws(FastPathDeclined) -> Value) throws(FastPathDeclined) -> Value {
        guard next == UInt8(ascii: "{") else { return try read(self) }
        let start = position, depth = cursor.pointee.depth
        let document = cursor.pointee.lexer.bytes
        if let kept = memo.value(startingAt: UnsafeBufferPointer(rebasing: document[start...]), depth: depth) {
            cursor.pointee.lexer.position = start + kept.length
            cursor.pointee.irregularMembers += kept.irregularMembers
            return kept.value
        }
        let passedOver = irregularMembers
        let value = try read(self)
        memo.keep(UnsafeBufferPointer(rebasing: document[start ..< position]), value, irregularMembers: irregularMembers - passedOver,
                  depth: depth)
        return value
    }
}
