/// Reads the members of one JSON object by scanning its (few) members for the key's name.
struct WireKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: WireValueDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }

    /// Every distinct member name that makes a `Key`, in document order.
    var allKeys: [Key] {
        let storage = decoder.storage
        var seen = Set<String>()
        var keys: [Key] = []
        var index = decoder.node + 1
        while index < Int(storage.nodes[decoder.node].end) {
            let name = storage.string(storage.nodes[index])
            if seen.insert(name).inserted, let key = Key(stringValue: name) { keys.append(key) }
            index = Int(storage.nodes[index + 1].end)
        }
        return keys
    }

    func contains(_ key: Key) -> Bool { valueIndex(key) != nil }

    private func valueIndex(_ key: Key) -> Int? { decoder.storage.member(key.stringValue, in: decoder.node) }

    private func require(_ key: Key) throws -> Int {
        guard let index = valueIndex(key) else {
            throw DecodingError.keyNotFound(key, DecodingError.Context(
                codingPath: codingPath, debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."))
        }
        return index
    }

    /// The value's index when present and not null.
    private func present(_ key: Key) -> Int? {
        guard let index = valueIndex(key), !decoder.isNull(index) else { return nil }
        return index
    }

    func decodeNil(forKey key: Key) throws -> Bool { decoder.isNull(try require(key)) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder.unwrapBool(require(key), .key(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decoder.unwrapString(require(key), .key(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decoder.unwrapDouble(require(key), .key(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decoder.unwrapFloat(require(key), .key(key)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decoder.unwrapInteger(require(key), .key(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decoder.unwrapInteger(require(key), .key(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decoder.unwrapInteger(require(key), .key(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decoder.unwrapInteger(require(key), .key(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decoder.unwrapInteger(require(key), .key(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decoder.unwrapInteger(require(key), .key(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decoder.unwrapInteger(require(key), .key(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decoder.unwrapInteger(require(key), .key(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decoder.unwrapInteger(require(key), .key(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decoder.unwrapInteger(require(key), .key(key)) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decoder.decodeValue(T.self, at: require(key), .key(key)) }

    // One member lookup instead of the default's three (contains, decodeNil, decode).
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try present(key).map { try decoder.unwrapBool($0, .key(key)) } }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try present(key).map { try decoder.unwrapString($0, .key(key)) } }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try present(key).map { try decoder.unwrapDouble($0, .key(key)) } }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try present(key).map { try decoder.unwrapInteger($0, .key(key)) } }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try present(key).map { try decoder.unwrapInteger($0, .key(key)) } }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try present(key).map { try decoder.decodeValue(T.self, at: $0, .key(key)) }
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder.child(require(key), .key(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder.child(require(key), .key(key)).unkeyedContainer()
    }

    /// As Foundation: the member named `super`, or null when there is none.
    func superDecoder() throws -> any Decoder {
        let key = SuperCodingKey()
        return decoder.child(decoder.storage.member(key.stringValue, in: decoder.node) ?? decoder.storage.nullNode, .key(key))
    }

    /// As Foundation: the member, or null when there is none.
    func superDecoder(forKey key: Key) throws -> any Decoder {
        decoder.child(valueIndex(key) ?? decoder.storage.nullNode, .key(key))
    }
}

/// The key Foundation uses for `superDecoder()` and `superEncoder()`.
struct SuperCodingKey: CodingKey {
    var stringValue: String { "super" }
    var intValue: Int? { nil }
    init() {}
    init?(stringValue: String) { guard stringValue == "super" else { return nil } }
    init?(intValue: Int) { return nil }
}
