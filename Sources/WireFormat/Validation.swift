/// Shared checks for payload fields; each failure names the wire field.
package enum Check {
    package static func finite(_ value: Double, _ field: String) throws(ProtocolError) {
        guard value.isFinite else { throw ProtocolError(.invalidValue, "field '\(field)' must be a finite number, got \(value)") }
    }

    package static func positive(_ value: Double, _ field: String) throws(ProtocolError) {
        try finite(value, field)
        guard value > 0 else { throw ProtocolError(.invalidValue, "field '\(field)' must be greater than 0, got \(value)") }
    }

    package static func nonNegative(_ value: Double, _ field: String) throws(ProtocolError) {
        try finite(value, field)
        guard value >= 0 else { throw ProtocolError(.invalidValue, "field '\(field)' must not be negative, got \(value)") }
    }

    package static func positive(_ value: WireDecimal, _ field: String) throws(ProtocolError) {
        guard value.units > 0 else { throw ProtocolError(.invalidValue, "field '\(field)' must be greater than 0, got \(value)") }
    }

    package static func nonNegative(_ value: WireDecimal, _ field: String) throws(ProtocolError) {
        guard value.units >= 0 else { throw ProtocolError(.invalidValue, "field '\(field)' must not be negative, got \(value)") }
    }

    package static func unit(_ value: Double, _ field: String) throws(ProtocolError) {
        try finite(value, field)
        guard (0...1).contains(value) else { throw ProtocolError(.invalidValue, "field '\(field)' must be between 0 and 1, got \(value)") }
    }

    package static func name(_ value: String, _ field: String) throws(ProtocolError) {
        guard isShortASCIIName(value) || (!value.isEmpty && value.count <= 64 && !value.contains(where: { $0.isWhitespace })) else {
            throw ProtocolError(.invalidValue, "field '\(field)' must be 1–64 characters without spaces, got '\(value.prefix(70))'")
        }
    }

    /// The common case of `name` without walking Characters: 1–64 ASCII bytes, none of them
    /// whitespace (ASCII whitespace is U+0009–U+000D and the space). Other strings take the
    /// Character-based check.
    private static func isShortASCIIName(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            guard !bytes.isEmpty, bytes.count <= 64 else { return false }
            for byte in bytes where byte >= 0x80 || byte == 0x20 || byte &- 0x09 <= 0x0D - 0x09 { return false }
            return true
        }
    }
}
