/// Reads the one value a decoder stands for.
struct WireSingleValueDecodingContainer: SingleValueDecodingContainer {
    let decoder: WireValueDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.isNull(decoder.node) }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.unwrapBool(decoder.node, nil) }
    func decode(_ type: String.Type) throws -> String { try decoder.unwrapString(decoder.node, nil) }
    func decode(_ type: Double.Type) throws -> Double { try decoder.unwrapDouble(decoder.node, nil) }
    func decode(_ type: Float.Type) throws -> Float { try decoder.unwrapFloat(decoder.node, nil) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.unwrapInteger(decoder.node, nil) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.unwrapInteger(decoder.node, nil) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.unwrapInteger(decoder.node, nil) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.unwrapInteger(decoder.node, nil) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.unwrapInteger(decoder.node, nil) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.unwrapInteger(decoder.node, nil) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.unwrapInteger(decoder.node, nil) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.unwrapInteger(decoder.node, nil) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.unwrapInteger(decoder.node, nil) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.unwrapInteger(decoder.node, nil) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(T.self, at: decoder.node, nil) }
}
