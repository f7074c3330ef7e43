/// Shared checks for payload fields; each failure names the wire field.
enum Check {
    static func finite(_ value: Double, _ field: String) throws(ProtocolError) {
        guard value.isFinite else { throw ProtocolError(.invalidValue, "field '\(field)' must be a finite number, got \(value)") }
    }

    static func positive(_ value: Double, _ field: String) throws(ProtocolError) {
        try finite(value, field)
        guard value > 0 else { throw ProtocolError(.invalidValue, "field '\(field)' must be greater than 0, got \(value)") }
    }

    static func nonNegative(_ value: Double, _ field: String) throws(ProtocolError) {
        try finite(value, field)
        guard value >= 0 else { throw ProtocolError(.invalidValue, "field '\(field)' must not be negative, got \(value)") }
    }

    static func unit(_ value: Double, _ field: String) throws(ProtocolError) {
        try finite(value, field)
        guard (0...1).contains(value) else { throw ProtocolError(.invalidValue, "field '\(field)' must be between 0 and 1, got \(value)") }
    }

    static func name(_ value: String, _ field: String) throws(ProtocolError) {
        guard !value.isEmpty, value.count <= 64, !value.contains(where: { $0.isWhitespace }) else {
            throw ProtocolError(.invalidValue, "field '\(field)' must be 1–64 characters without spaces, got '\(value.prefix(70))'")
        }
    }
}
