/// Reads the elements of one JSON array in order.
struct WireUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let decoder: WireValueDecoder
    let count: Int?
    private(set) var currentIndex = 0
    private var cursor: Int

    init(decoder: WireValueDecoder) {
        self.decoder = decoder
        count = Int(decoder.storage.nodes[decoder.node].length)
        cursor = decoder.node + 1
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var isAtEnd: Bool { currentIndex >= count ?? 0 }

    /// The next element's index; throws Foundation's `valueNotFound` at the end.
    private func next(_ type: Any.Type) throws -> Int {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, DecodingError.Context(
                codingPath: codingPath + [IndexCodingKey(currentIndex)], debugDescription: "Unkeyed container is at end."))
        }
        return cursor
    }

    private mutating func advance() {
        cursor = Int(decoder.storage.nodes[cursor].end)
        currentIndex += 1
    }

    /// Decodes the next element with `read` and moves past it only when that succeeds.
    private mutating func read<T>(_ type: T.Type, _ read: (Int, PathComponent) throws -> T) throws -> T {
        let value = try read(next(type), .index(currentIndex))
        advance()
        return value
    }

    mutating func decodeNil() throws -> Bool {
        guard decoder.isNull(try next(Never.self)) else { return false }
        advance()
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try read(type, decoder.unwrapBool) }
    mutating func decode(_ type: String.Type) throws -> String { try read(type, decoder.unwrapString) }
    mutating func decode(_ type: Double.Type) throws -> Double { try read(type, decoder.unwrapDouble) }
    mutating func decode(_ type: Float.Type) throws -> Float { try read(type, decoder.unwrapFloat) }
    mutating func decode(_ type: Int.Type) throws -> Int { try read(type, decoder.unwrapInteger) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try read(type, decoder.unwrapInteger) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try read(type, decoder.unwrapInteger) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try read(type, decoder.unwrapInteger) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try read(type, decoder.unwrapInteger) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try read(type, decoder.unwrapInteger) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try read(type, decoder.unwrapInteger) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try read(type, decoder.unwrapInteger) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try read(type, decoder.unwrapInteger) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try read(type, decoder.unwrapInteger) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = decoder
        return try read(type) { try decoder.decodeValue(T.self, at: $0, $1) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let decoder = decoder
        return try read(KeyedDecodingContainer<NestedKey>.self) { try decoder.child($0, $1).container(keyedBy: type) }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let decoder = decoder
        return try read((any UnkeyedDecodingContainer).self) { try decoder.child($0, $1).unkeyedContainer() }
    }

    mutating func superDecoder() throws -> any Decoder {
        let decoder = decoder
        return try read((any Decoder).self) { decoder.child($0, $1) }
    }
}
