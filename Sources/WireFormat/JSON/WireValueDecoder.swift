import DecimalText
import Foundation

/// A `Decoder` over one node of a scanned document. Its parent chain is its coding path.
final class WireValueDecoder: Decoder, CodingPathLink {
    let storage: DecodingStorage
    let node: Int
    let parentLink: WireValueDecoder?
    let component: PathComponent?

    init(storage: DecodingStorage, node: Int, parent: WireValueDecoder?, component: PathComponent?) {
        self.storage = storage
        self.node = node
        self.parentLink = parent
        self.component = component
    }

    var codingPath: [any CodingKey] { linkedCodingPath }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let value = storage.nodes[node]
        guard value.kind == .object else {
            throw value.kind == .null
                ? DecodingError.valueNotFound([String: Any].self, DecodingError.Context(
                    codingPath: codingPath, debugDescription: "Cannot get keyed decoding container -- found null value instead"))
                : DecodingError.typeMismatch([String: Any].self, DecodingError.Context(
                    codingPath: codingPath, debugDescription: "Expected to decode \([String: Any].self) but found \(value.typeDescription) instead."))
        }
        return KeyedDecodingContainer(WireKeyedDecodingContainer<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let value = storage.nodes[node]
        guard value.kind == .array else {
            throw value.kind == .null
                ? DecodingError.valueNotFound([Any].self, DecodingError.Context(
                    codingPath: codingPath, debugDescription: "Cannot get unkeyed decoding container -- found null value instead"))
                : DecodingError.typeMismatch([Any].self, DecodingError.Context(
                    codingPath: codingPath, debugDescription: "Expected to decode \([Any].self) but found \(value.typeDescription) instead."))
        }
        return WireUnkeyedDecodingContainer(decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        WireSingleValueDecodingContainer(decoder: self)
    }

    /// A decoder for the node at `index`, reached from this one by `component`.
    func child(_ index: Int, _ component: PathComponent) -> WireValueDecoder {
        WireValueDecoder(storage: storage, node: index, parent: self, component: component)
    }

    /// Decodes any `Decodable` from the node at `index`; the common scalars skip the nested decoder.
    func decodeValue<T: Decodable>(_ type: T.Type, at index: Int, _ component: PathComponent?) throws -> T {
        if T.self == String.self { return unsafeBitCast(try unwrapString(index, component), to: T.self) }
        if T.self == Double.self { return unsafeBitCast(try unwrapDouble(index, component), to: T.self) }
        if T.self == WireDecimal.self { return unsafeBitCast(try unwrapDecimal(index, component), to: T.self) }
        if T.self == Int.self { return unsafeBitCast(try unwrapInteger(index, component) as Int, to: T.self) }
        if T.self == Int64.self { return unsafeBitCast(try unwrapInteger(index, component) as Int64, to: T.self) }
        if T.self == Bool.self { return unsafeBitCast(try unwrapBool(index, component), to: T.self) }
        guard let component else { return try T(from: self) }
        return try T(from: child(index, component))
    }

    /// Whether the node at `index` is `null`.
    func isNull(_ index: Int) -> Bool { storage.nodes[index].kind == .null }

    func unwrapString(_ index: Int, _ component: PathComponent?) throws -> String {
        let value = storage.nodes[index]
        guard value.kind == .string else { throw mismatch(String.self, value, component) }
        return storage.string(value)
    }

    func unwrapBool(_ index: Int, _ component: PathComponent?) throws -> Bool {
        switch storage.nodes[index].kind {
        case .true: return true
        case .false: return false
        default: throw mismatch(Bool.self, storage.nodes[index], component)
        }
    }

    func unwrapInteger<T: FixedWidthInteger>(_ index: Int, _ component: PathComponent?) throws -> T {
        let value = storage.nodes[index]
        guard value.kind == .number else { throw mismatch(T.self, value, component) }
        let bytes = storage.bytes(of: value)
        guard let result: T = JSONNumber.integer(bytes, hasFractionOrExponent: value.flags != 0) else {
            throw notRepresentable(T.self, bytes, component)
        }
        return result
    }

    func unwrapDouble(_ index: Int, _ component: PathComponent?) throws -> Double {
        let value = storage.nodes[index]
        guard value.kind == .number else { throw mismatch(Double.self, value, component) }
        let bytes = storage.bytes(of: value)
        guard let result = JSONNumber.double(bytes) else { throw notRepresentable(Double.self, bytes, component) }
        return result
    }

    /// A number read exactly from its text; one with digits below 10⁻⁸ or out of range is
    /// refused, naming the field and the value.
    func unwrapDecimal(_ index: Int, _ component: PathComponent?) throws -> WireDecimal {
        let value = storage.nodes[index]
        guard value.kind == .number else { throw mismatch(WireDecimal.self, value, component) }
        let bytes = storage.bytes(of: value)
        guard let units = DecimalUnits.parse(bytes, decimals: WireDecimal.decimals) else {
            let field = path(component).map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            let name = field.hasPrefix(".") ? String(field.dropFirst()) : field
            let reason = DecimalUnits.explain(bytes, decimals: WireDecimal.decimals, noun: "number",
                                              shown: String(decoding: bytes, as: UTF8.self))
            throw JSONSyntaxError.dataCorrupted("field '\(name)': \(reason)")
        }
        return WireDecimal(units: units)
    }

    func unwrapFloat(_ index: Int, _ component: PathComponent?) throws -> Float {
        let value = storage.nodes[index]
        guard value.kind == .number else { throw mismatch(Float.self, value, component) }
        let bytes = storage.bytes(of: value)
        guard let result = JSONNumber.float(bytes) else { throw notRepresentable(Float.self, bytes, component) }
        return result
    }

    /// The coding path of this value's child `component`.
    func path(_ component: PathComponent?) -> [any CodingKey] {
        var path = codingPath
        if let component { path.append(component.codingKey) }
        return path
    }

    /// Foundation's error for a value of the wrong JSON type: `valueNotFound` for null,
    /// `typeMismatch` otherwise.
    private func mismatch(_ type: Any.Type, _ value: JSONNode, _ component: PathComponent?) -> DecodingError {
        let context = { (description: String) in DecodingError.Context(codingPath: self.path(component), debugDescription: description) }
        if value.kind == .null {
            return .valueNotFound(type, context("Cannot get value of type \(type) -- found null value instead"))
        }
        return .typeMismatch(type, context("Expected to decode \(type) but found \(value.typeDescription) instead."))
    }

    /// Foundation reports a number that does not fit as unreadable input (empty coding path);
    /// the detail names the field.
    private func notRepresentable(_ type: Any.Type, _ bytes: UnsafeBufferPointer<UInt8>, _ component: PathComponent?) -> DecodingError {
        let field = path(component).map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        let name = field.hasPrefix(".") ? String(field.dropFirst()) : field
        return JSONSyntaxError.dataCorrupted("Number \(String(decoding: bytes, as: UTF8.self)) in field '\(name)' does not fit in \(type)")
    }
}
