import WireFormat

extension JSONValueReader {
    /// A string-backed enum of a payload, made with `init(rawValue:)` as its `Codable`
    /// conformance does. Kept in this module so that it is specialized for each enum: the same
    /// generic read in WireFormat ran unspecialized, looking up `Optional` metadata on every read.
    func wireEnum<Value: RawRepresentable<String>>(_ type: Value.Type = Value.self) throws(FastPathDeclined) -> Value {
        guard let value = Value(rawValue: try string()) else { throw FastPathDeclined() }
        return value
    }
}
