import Foundation

/// A JSON document as a tree, for decoding it while recording which keys the decoded type reads.
enum JSONTree: Decodable {
    case null, bool(Bool), number(Double), string(String), array([JSONTree]), object([String: JSONTree])

    init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { self = .null }
        else if let value = try? single.decode(Bool.self) { self = .bool(value) }
        else if let value = try? single.decode(Double.self) { self = .number(value) }
        else if let value = try? single.decode(String.self) { self = .string(value) }
        else if let value = try? single.decode([JSONTree].self) { self = .array(value) }
        else { self = .object(try single.decode([String: JSONTree].self)) }
    }
}

/// The key paths a decode read, written `agents.risk-manager.endpoint` and `market.symbols[0].quoting`.
final class KeyReadLog {
    private(set) var read: Set<String> = []

    func note(_ path: String) { read.insert(path) }

    /// Every member of `tree` (at `path`) that no decode read; a member's own members are not
    /// listed once the member itself is unknown.
    func unread(in tree: JSONTree, at path: String = "") -> [String] {
        switch tree {
        case .object(let members):
            return members.keys.sorted().flatMap { key -> [String] in
                let child = KeyRecordingDecoder.join(path, key)
                return read.contains(child) ? unread(in: members[key]!, at: child) : [child]
            }
        case .array(let elements):
            return elements.indices.flatMap { unread(in: elements[$0], at: "\(path)[\($0)]") }
        default:
            return []
        }
    }
}

/// A `Decoder` over a `JSONTree` that notes every key the decoded type asks for, so the members
/// it never asked for — unknown keys — can be listed with their paths.
struct KeyRecordingDecoder: Decoder {
    let tree: JSONTree
    let path: String
    let log: KeyReadLog
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = tree else { throw mismatch([String: JSONTree].self) }
        return KeyedDecodingContainer(KeyedRecorder<Key>(members: members, decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = tree else { throw mismatch([JSONTree].self) }
        return UnkeyedRecorder(elements: elements, decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleRecorder(decoder: self) }

    func child(_ tree: JSONTree, path: String, key: any CodingKey) -> KeyRecordingDecoder {
        KeyRecordingDecoder(tree: tree, path: path, log: log, codingPath: codingPath + [key])
    }

    func mismatch(_ type: Any.Type) -> DecodingError {
        .typeMismatch(type, DecodingError.Context(codingPath: codingPath, debugDescription: "'\(path)' has the wrong type"))
    }
}

private struct IndexKey: CodingKey {
    var stringValue: String { "\(intValue!)" }
    var intValue: Int?
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct KeyedRecorder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONTree]
    let decoder: KeyRecordingDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        let keys = members.keys.compactMap(Key.init(stringValue:))
        for key in keys { note(key) }
        return keys
    }

    private func note(_ key: Key) { decoder.log.note(KeyRecordingDecoder.join(decoder.path, key.stringValue)) }

    private func member(_ key: Key) throws -> KeyRecordingDecoder {
        note(key)
        guard let tree = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, DecodingError.Context(codingPath: codingPath, debugDescription: "no member '\(key.stringValue)'"))
        }
        return decoder.child(tree, path: KeyRecordingDecoder.join(decoder.path, key.stringValue), key: key)
    }

    func contains(_ key: Key) -> Bool {
        note(key)
        return members[key.stringValue] != nil
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        note(key)
        if case .null = members[key.stringValue] ?? .null { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try T(from: member(key)) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try member(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try member(key).unkeyedContainer() }

    func superDecoder() throws -> any Decoder { decoder }

    func superDecoder(forKey key: Key) throws -> any Decoder { try member(key) }
}

private struct UnkeyedRecorder: UnkeyedDecodingContainer {
    let elements: [JSONTree]
    let decoder: KeyRecordingDecoder
    var currentIndex = 0
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next() throws -> KeyRecordingDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(JSONTree.self, DecodingError.Context(codingPath: codingPath, debugDescription: "array ended"))
        }
        defer { currentIndex += 1 }
        return decoder.child(elements[currentIndex], path: "\(decoder.path)[\(currentIndex)]", key: IndexKey(currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, case .null = elements[currentIndex] else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: next()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }

    mutating func superDecoder() throws -> any Decoder { try next() }
}

private struct SingleRecorder: SingleValueDecodingContainer {
    let decoder: KeyRecordingDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool {
        if case .null = decoder.tree { return true }
        return false
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let value) = decoder.tree else { throw decoder.mismatch(type) }
        return value
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let value) = decoder.tree else { throw decoder.mismatch(type) }
        return value
    }

    func decode(_ type: Double.Type) throws -> Double {
        guard case .number(let value) = decoder.tree else { throw decoder.mismatch(type) }
        return value
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let integer = type as? any FixedWidthInteger.Type {
            let value = try decode(Double.self)
            guard let exact = integer.init(exactly: value) else { throw decoder.mismatch(type) }
            return exact as! T
        }
        return try T(from: decoder)
    }
}
