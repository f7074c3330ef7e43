/// Appends elements to one JSON array.
struct WireUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoder: WireValueEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { encoder.storage.entries[encoder.slot].count }

    private func element() -> Int { encoder.storage.appendChild(of: encoder.slot, key: nil) }

    mutating func encodeNil() throws { encoder.storage.setNull(element()) }
    mutating func encode(_ value: Bool) throws { encoder.storage.setBool(element(), value) }
    mutating func encode(_ value: String) throws { encoder.storage.setString(element(), value) }
    mutating func encode(_ value: Double) throws { try encoder.encodeDouble(value, into: element(), .index(count)) }
    mutating func encode(_ value: Float) throws { try encoder.encodeFloat(value, into: element(), .index(count)) }
    mutating func encode(_ value: Int) throws { encoder.storage.setInteger(element(), value) }
    mutating func encode(_ value: Int8) throws { encoder.storage.setInteger(element(), value) }
    mutating func encode(_ value: Int16) throws { encoder.storage.setInteger(element(), value) }
    mutating func encode(_ value: Int32) throws { encoder.storage.setInteger(element(), value) }
    mutating func encode(_ value: Int64) throws { encoder.storage.setInteger(element(), value) }
    mutating func encode(_ value: UInt) throws { encoder.storage.setInteger(element(), value) }
    mutating func encode(_ value: UInt8) throws { encoder.storage.setInteger(element(), value) }
    mutating func encode(_ value: UInt16) throws { encoder.storage.setInteger(element(), value) }
    mutating func encode(_ value: UInt32) throws { encoder.storage.setInteger(element(), value) }
    mutating func encode(_ value: UInt64) throws { encoder.storage.setInteger(element(), value) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let index = count
        try encoder.encodeValue(value, into: element(), .index(index))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let index = count
        return encoder.child(element(), .index(index)).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let index = count
        return encoder.child(element(), .index(index)).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let index = count
        return encoder.child(element(), .index(index))
    }
}
