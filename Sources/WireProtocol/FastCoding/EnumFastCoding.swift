import Trading
import WireFormat

extension JSONValueReader {
    /// A string-backed enum of a payload, made with `init(rawValue:)` as its `Codable`
    /// conformance does. Kept in this module so that it is specialized for each enum: the same
    /// generic read in WireFormat ran unspecialized, looking up `Optional` metadata on every read.
    func wireEnum<Value: RawRepresentable<String>>(_ type: Value.Type = Value.self) throws(FastPathDeclined) -> Value {
        guard let value = Value(rawValue: try string()) else { throw FastPathDeclined() }
        return value
    }

    /// An enum of a cycle's messages: a plain raw value is matched as bytes, without making a
    /// `String`; anything else is read as `wireEnum` above reads it.
    func wireEnum<Value: WireEnumCases>(_ type: Value.Type = Value.self) throws(FastPathDeclined) -> Value {
        if let position = plainCase(Value.wireCases.texts) { return Value.wireCases.cases[position] }
        guard let value = Value(rawValue: try string()) else { throw FastPathDeclined() }
        return value
    }
}

/// A string-backed enum whose raw values the fast path reads as bytes (`wireEnum`).
protocol WireEnumCases: RawRepresentable<String>, CaseIterable, Sendable {
    static var wireCases: WireEnumTable<Self> { get }
}

/// Every case of an enum with its raw value as a `JSONCaseTable` entry at the same position.
struct WireEnumTable<Value: RawRepresentable<String> & CaseIterable & Sendable>: Sendable {
    let cases: [Value]
    let texts: JSONCaseTable

    init() {
        cases = Array(Value.allCases)
        texts = JSONCaseTable(cases.map(\.rawValue))
    }
}

extension Side: WireEnumCases {
    static let wireCases = WireEnumTable<Side>()
}

extension OrderType: WireEnumCases {
    static let wireCases = WireEnumTable<OrderType>()
}

extension OrderStatus: WireEnumCases {
    static let wireCases = WireEnumTable<OrderStatus>()
}

extension Direction: WireEnumCases {
    static let wireCases = WireEnumTable<Direction>()
}
