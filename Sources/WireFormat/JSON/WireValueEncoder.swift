/// An `Encoder` that fills one entry of an `EncodingStorage`. Its parent chain is its coding path.
final class WireValueEncoder: Encoder, CodingPathLink {
    let storage: EncodingStorage
    let slot: Int
    let parentLink: WireValueEncoder?
    let component: PathComponent?

    init(storage: EncodingStorage, slot: Int, parent: WireValueEncoder?, component: PathComponent?) {
        self.storage = storage
        self.slot = slot
        self.parentLink = parent
        self.component = component
    }

    var codingPath: [any CodingKey] { linkedCodingPath }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        storage.makeContainer(slot, .object)
        return KeyedEncodingContainer(WireKeyedEncodingContainer<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        storage.makeContainer(slot, .array)
        return WireUnkeyedEncodingContainer(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        WireSingleValueEncodingContainer(encoder: self)
    }

    /// An encoder for entry `slot`, reached from this one by `component`.
    func child(_ slot: Int, _ component: PathComponent) -> WireValueEncoder {
        WireValueEncoder(storage: storage, slot: slot, parent: self, component: component)
    }

    /// Encodes any `Encodable` into entry `slot`; the common scalars skip the nested encoder.
    func encodeValue<T: Encodable>(_ value: T, into slot: Int, _ component: PathComponent?) throws {
        if T.self == String.self { return storage.setString(slot, unsafeBitCast(value, to: String.self)) }
        if T.self == Double.self { return try encodeDouble(unsafeBitCast(value, to: Double.self), into: slot, component) }
        if T.self == WireDecimal.self { return storage.setDecimal(slot, unsafeBitCast(value, to: WireDecimal.self)) }
        if T.self == Int.self { return storage.setInteger(slot, unsafeBitCast(value, to: Int.self)) }
        if T.self == Int64.self { return storage.setInteger(slot, unsafeBitCast(value, to: Int64.self)) }
        if T.self == Bool.self { return storage.setBool(slot, unsafeBitCast(value, to: Bool.self)) }
        guard let component else { return try value.encode(to: self) }
        try value.encode(to: child(slot, component))
    }

    func encodeDouble(_ value: Double, into slot: Int, _ component: PathComponent?) throws {
        guard value.isFinite else { throw nonConforming(value, component) }
        storage.setDouble(slot, value)
    }

    func encodeFloat(_ value: Float, into slot: Int, _ component: PathComponent?) throws {
        guard value.isFinite else { throw nonConforming(value, component) }
        storage.setFloat(slot, value)
    }

    /// Foundation's error for NaN and infinities.
    private func nonConforming<F: FloatingPoint>(_ value: F, _ component: PathComponent?) -> EncodingError {
        var path = codingPath
        if let component { path.append(component.codingKey) }
        return .invalidValue(value, EncodingError.Context(codingPath: path, debugDescription: "Unable to encode \(F.self).\(value) directly in JSON."))
    }
}
