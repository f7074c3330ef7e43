/// The kind of one parsed JSON value.
enum JSONKind: UInt8, Sendable {
    case object, array, string, number, `true`, `false`, null
}

/// One value of a parsed document, in document order: a container is followed by its contents
/// (an object by alternating key and value nodes), and `end` is the index just past them, so
/// skipping a value is one read.
struct JSONNode: Sendable {
    /// For strings: the bytes contain a backslash escape.
    static let hasEscapes = JSONLexer.hasEscapes
    /// For strings: the bytes contain non-ASCII UTF-8.
    static let hasNonASCII = JSONLexer.hasNonASCII
    /// For numbers: a fraction or an exponent is present.
    static let hasFractionOrExponent: UInt8 = 1

    var kind: JSONKind
    var flags: UInt8
    /// Byte offset of the value: a string's first content byte, a number's first byte, a
    /// container's opening bracket.
    var start: UInt32
    /// Strings and numbers: byte length (without quotes). Containers: element or member count.
    var length: UInt32
    /// Index of the next sibling node.
    var end: UInt32

    /// What Foundation calls this kind in type-mismatch messages.
    var typeDescription: String {
        switch kind {
        case .object: "a dictionary"
        case .array: "an array"
        case .string: "a string"
        case .number: "number"
        case .true, .false: "bool"
        case .null: "null"
        }
    }
}
