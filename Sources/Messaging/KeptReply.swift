import Foundation

/// A reply as `ReplyCache` keeps it for a retry of its request: its bytes in one allocation of
/// their exact size, and whether it reports an error.
///
/// A reply's body comes from the encoder in a buffer with room to spare (1 KiB for a reply of a
/// few hundred bytes, up to twice the size of a larger one) behind a `Data`'s own storage
/// object, with the reply id as a second allocation. A retry needs only the bytes (and the
/// error flag for the server's counts), so the cache copies them once into an array of their
/// size and lets the encoder's buffer go with the reply that was sent.
struct KeptReply: Sendable {
    private let bytes: ContiguousArray<UInt8>
    /// Whether the reply is an `error` reply.
    let failed: Bool

    /// The bytes of `reply`, copied.
    init(_ reply: EncodedReply) {
        bytes = ContiguousArray(reply.body)
        failed = reply.failure != nil
    }

    /// The reply's bytes, exactly as first sent.
    var body: Data { bytes.withUnsafeBytes { Data($0) } }

    /// The reply's size in bytes.
    var byteCount: Int { bytes.count }
}
