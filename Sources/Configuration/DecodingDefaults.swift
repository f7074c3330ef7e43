import Foundation
import Trading

extension KeyedDecodingContainer {
    /// Replaces `value` with the one under `key` when the key is present; an absent key keeps
    /// the default the property declares, so each default is written once, where it is declared.
    func update<Value: Decodable>(_ value: inout Value, _ key: Key) throws {
        if let decoded = try decodeIfPresent(Value.self, forKey: key) { value = decoded }
    }
}

extension KeyedDecodingContainer {
    /// The exact value of the number under `key`, read through `Decimal` so no digit is lost;
    /// a number with a digit below 10⁻⁸ or out of range is refused, naming the key.
    func exact<Kind>(_ key: Key) throws -> FixedPoint<Kind> {
        // Foundation's JSONDecoder gives the number's exact digits as a Decimal; a decoder
        // without Decimal support (the topology checker's) gives a Double, read back from its
        // shortest text.
        let text: String
        if let decimal = try? decode(Decimal.self, forKey: key) {
            text = decimal.description
        } else {
            text = "\(try decode(Double.self, forKey: key))"
        }
        do {
            return try FixedPoint<Kind>.parse(text)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: error.message)
        }
    }

    /// `exact(key)` when the key is present, nil otherwise.
    func exactIfPresent<Kind>(_ key: Key) throws -> FixedPoint<Kind>? {
        try contains(key) && !decodeNil(forKey: key) ? exact(key) : nil
    }
}
