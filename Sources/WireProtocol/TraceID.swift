/// Generation and checking of the identifiers carried in envelopes.
public enum TraceID {
    /// A fresh W3C trace-id: 32 lowercase hex digits, never all zeros.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        var high = generator.next() as UInt64
        let low = generator.next() as UInt64
        if high == 0 && low == 0 { high = 1 }
        return hex(high) + hex(low)
    }

    /// Whether `text` is a valid W3C trace-id (32 lowercase hex digits, not all zeros).
    public static func isValid(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard utf8.count == 32 else { return false }
        var allZero = true
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "0"): continue
            case UInt8(ascii: "1")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): allZero = false
            default: return false
            }
        }
        return !allZero
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// Generation of message ids.
public enum MessageID {
    /// A fresh message id: 16 lowercase hex digits (64 random bits).
    public static func make() -> String {
        TraceID.hex(UInt64.random(in: 1...UInt64.max))
    }
}
