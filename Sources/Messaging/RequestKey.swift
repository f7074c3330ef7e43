/// A request id as the key of the tables that match replies to requests (`PendingReplies`) and
/// retries to recorded replies (`ReplyCache`).
///
/// An id of 16 bytes, as `MessageID.make()` writes every id, is packed in two words that hash
/// and compare without the string's own hashing and comparison; any other id (whatever a peer
/// sends) is kept as its text. Two keys are equal exactly when their ids are.
struct RequestKey: Hashable, Sendable {
    /// The id's 16 bytes, or zeros when `text` holds it.
    private let high: UInt64
    private let low: UInt64
    /// The id when it is not 16 bytes long.
    private let text: String?

    /// The key of `id`.
    init(_ id: String) {
        var id = id
        if let (high, low) = id.withUTF8({ Self.packed(UnsafeRawBufferPointer($0)) }) {
            (self.high, self.low, self.text) = (high, low, nil)
        } else {
            (self.high, self.low, self.text) = (0, 0, id)
        }
    }

    /// The key of the id whose UTF-8 bytes are `bytes` (a reply's parent id where it lies in the
    /// reply, `EnvelopeGlance`): the same key as of the id as a string, without making one for
    /// an id of 16 bytes.
    init(utf8 bytes: UnsafeRawBufferPointer) {
        if let (high, low) = Self.packed(bytes) {
            (self.high, self.low, self.text) = (high, low, nil)
        } else {
            (self.high, self.low, self.text) = (0, 0, String(decoding: bytes, as: UTF8.self))
        }
    }

    /// An id's bytes as two words, when it has 16.
    private static func packed(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64)? {
        guard bytes.count == 16 else { return nil }
        return (bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(high)
        hasher.combine(low)
        if let text { hasher.combine(text) }
    }
}
