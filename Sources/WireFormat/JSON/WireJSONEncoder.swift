import Foundation

/// A fast JSON encoder for `Encodable` types whose output is byte for byte what Foundation's
/// `JSONEncoder` writes with `[.sortedKeys, .withoutEscapingSlashes]`: compact, members sorted
/// by the UTF-8 bytes of their names, Doubles in shortest round-trip form without `.0`, and
/// NaN or infinity rejected with `EncodingError.invalidValue`.
public struct WireJSONEncoder: Sendable {
    /// Creates an encoder.
    public init() {}

    /// Encodes `value` as one JSON document.
    public func encode<T: Encodable>(_ value: T) throws -> Data {
        let storage = EncodingStorage()
        try WireValueEncoder(storage: storage, slot: 0, parent: nil, component: nil).encodeValue(value, into: 0, nil)
        guard storage.entries[0].kind != .empty else {
            throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: [], debugDescription: "Top-level \(T.self) did not encode any values."))
        }
        return storage.serialized()
    }
}
