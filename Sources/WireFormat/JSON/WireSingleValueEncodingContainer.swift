/// Sets the one value an encoder stands for.
struct WireSingleValueEncodingContainer: SingleValueEncodingContainer {
    let encoder: WireValueEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws { encoder.storage.setNull(encoder.slot) }
    mutating func encode(_ value: Bool) throws { encoder.storage.setBool(encoder.slot, value) }
    mutating func encode(_ value: String) throws { encoder.storage.setString(encoder.slot, value) }
    mutating func encode(_ value: Double) throws { try encoder.encodeDouble(value, into: encoder.slot, nil) }
    mutating func encode(_ value: Float) throws { try encoder.encodeFloat(value, into: encoder.slot, nil) }
    mutating func encode(_ value: Int) throws { encoder.storage.setInteger(encoder.slot, value) }
    mutating func encode(_ value: Int8) throws { encoder.storage.setInteger(encoder.slot, value) }
    mutating func encode(_ value: Int16) throws { encoder.storage.setInteger(encoder.slot, value) }
    mutating func encode(_ value: Int32) throws { encoder.storage.setInteger(encoder.slot, value) }
    mutating func encode(_ value: Int64) throws { encoder.storage.setInteger(encoder.slot, value) }
    mutating func encode(_ value: UInt) throws { encoder.storage.setInteger(encoder.slot, value) }
    mutating func encode(_ value: UInt8) throws { encoder.storage.setInteger(encoder.slot, value) }
    mutating func encode(_ value: UInt16) throws { encoder.storage.setInteger(encoder.slot, value) }
    mutating func encode(_ value: UInt32) throws { encoder.storage.setInteger(encoder.slot, value) }
    mutating func encode(_ value: UInt64) throws { encoder.storage.setInteger(encoder.slot, value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encoder.encodeValue(value, into: encoder.slot, nil) }
}
