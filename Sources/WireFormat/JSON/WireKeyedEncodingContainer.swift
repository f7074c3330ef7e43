/// Adds members to one JSON object.
struct WireKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: WireValueEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }

    private func member(_ key: any CodingKey) -> Int { encoder.storage.appendChild(of: encoder.slot, key: key.stringValue) }

    mutating func encodeNil(forKey key: Key) throws { encoder.storage.setNull(member(key)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { encoder.storage.setBool(member(key), value) }
    mutating func encode(_ value: String, forKey key: Key) throws { encoder.storage.setString(member(key), value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try encoder.encodeDouble(value, into: member(key), .key(key)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try encoder.encodeFloat(value, into: member(key), .key(key)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { encoder.storage.setInteger(member(key), value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { encoder.storage.setInteger(member(key), value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { encoder.storage.setInteger(member(key), value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { encoder.storage.setInteger(member(key), value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { encoder.storage.setInteger(member(key), value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { encoder.storage.setInteger(member(key), value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { encoder.storage.setInteger(member(key), value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { encoder.storage.setInteger(member(key), value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { encoder.storage.setInteger(member(key), value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { encoder.storage.setInteger(member(key), value) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try encoder.encodeValue(value, into: member(key), .key(key)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        encoder.child(member(key), .key(key)).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        encoder.child(member(key), .key(key)).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { encoder.child(member(SuperCodingKey()), .key(SuperCodingKey())) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { encoder.child(member(key), .key(key)) }
}
