/// A request id as the key of the tables that match replies to requests (`PendingReplies`) and
/// retries to recorded replies (`ReplyCache`).
///
/// An id of at most 16 bytes (`MessageID.make()` writes 15, earlier builds and other peers may
/// write 16) is packed in two words and its length, which hash and compare without the
/// string's own hashing and comparison; any longer id (whatever a peer sends) is kept as its
/// text. Two keys are equal exactly when their ids are.
struct RequestKey: Hashable, Sendable {
    /// The id's bytes, zero-filled, or zeros when `text` holds it.
    private let high: UInt64
    private let low: UInt64
    /// How many bytes `high` and `low` hold; 0 when `text` holds the id.
    private let count: UInt8
    /// The id when it is longer than 16 bytes.
    private let text: String?

    /// The key of `id`.
    init(_ id: String) {
        var id = id
        if let packed = id.withUTF8({ Self.packed(UnsafeRawBufferPointer($0)) }) {
            (high, low, count, text) = (packed.high, packed.low, packed.count, nil)
        } else {
            (high, low, count, text) = (0, 0, 0, id)
        }
    }

    /// The key of the id whose UTF-8 bytes are `bytes` (a reply's parent id where it lies in the
    /// reply, `EnvelopeGlance`): the same key as of the id as a string, without making one for
    /// an id of at most 16 bytes.
    init(utf8 bytes: UnsafeRawBufferPointer) {
        if let packed = Self.packed(bytes) {
            (high, low, count, text) = (packed.high, packed.low, packed.count, nil)
        } else {
            (high, low, count, text) = (0, 0, 0, String(decoding: bytes, as: UTF8.self))
        }
    }

    /// An id's bytes as two zero-filled words and their count, when it has 1 to 16.
    private static func packed(_ bytes: UnsafeRawBufferPointer) -> (high: UInt64, low: UInt64, count: UInt8)? {
        guard (1...16).contains(bytes.count) else { return nil }
        if bytes.count == 16 {
            return (bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self), 16)
        }
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: bytes) }
        return (words.0, words.1, UInt8(bytes.count))
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(high)
        hasher.combine(low)
        hasher.combine(count)
        if let text { hasher.combine(text) }
    }
}
