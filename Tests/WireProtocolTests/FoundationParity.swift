import Foundation
@testable import WireFormat
@testable import WireProtocol

/// Helpers comparing the wire codec with Foundation's JSON coders.
enum FoundationParity {
    static func foundationBytes<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func wireBytes<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try WireJSONEncoder().encode(value), as: UTF8.self)
    }

    /// The outcome of a decode, comparable across decoders: the value, or the error's case,
    /// coding path and (where it has one) type or key.
    static func outcome<T: Decodable & Equatable>(_ type: T.Type, _ json: String, wire: Bool) -> Outcome<T> {
        do {
            let data = Data(json.utf8)
            return .value(wire ? try WireJSONDecoder().decode(type, from: data) : try JSONDecoder().decode(type, from: data))
        } catch {
            return .failure(signature(error))
        }
    }

    static func signature(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not a DecodingError: \(error)" }
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case let .keyNotFound(key, context): return "keyNotFound(\(key.stringValue)) at '\(path(context.codingPath))'"
        case let .typeMismatch(type, context): return "typeMismatch(\(type)) at '\(path(context.codingPath))'"
        case let .valueNotFound(type, context): return "valueNotFound(\(type)) at '\(path(context.codingPath))'"
        case let .dataCorrupted(context): return "dataCorrupted at '\(path(context.codingPath))'"
        @unknown default: return "unknown"
        }
    }
}

enum Outcome<T: Equatable>: Equatable {
    case value(T)
    case failure(String)
}

/// A small deterministic generator (SplitMix64) so property tests replay exactly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
