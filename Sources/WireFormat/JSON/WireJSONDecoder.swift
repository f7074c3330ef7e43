import Foundation

/// A fast JSON decoder for `Decodable` types that reads UTF-8 bytes directly and behaves as
/// Foundation's `JSONDecoder` with default options: the same values accepted, and the same
/// `DecodingError` cases and coding paths for missing keys, wrong types, nulls and unreadable
/// input. Unlike Foundation it rejects trailing commas, which JSON does not allow.
public struct WireJSONDecoder: Sendable {
    /// Creates a decoder.
    public init() {}

    /// Decodes a `T` from one JSON document.
    public func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let storage = try DecodingStorage(scanning: data)
        return try WireValueDecoder(storage: storage, node: 0, parent: nil, component: nil).decodeValue(T.self, at: 0, nil)
    }
}
