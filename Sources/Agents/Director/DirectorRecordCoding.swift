import Foundation
import Trading
import WireFormat
import WireProtocol

/// A watched position as the director's store keeps it: the position (plan, exit progress,
/// entry lots) and the exits sent for it whose outcome is not booked yet.
struct PositionRecord: Codable, Sendable {
    var position: WatchedPosition
    var inFlight: [DueExit]
}

/// What a signal's order was sent with: recorded before the order leaves, so a restarted
/// director can ask the venue about it (the same client order id) and watch what it opened.
struct ExecutionStep: Codable, Sendable {
    var analysis: AnalysisReport
    var verdict: RiskVerdict
}

/// The JSON form of the director's records: compact, members sorted by name, written and read
/// by the project's own codec (`WireJSONEncoder`, `WireJSONDecoder`). A record holding a
/// non-finite number, which that codec refuses, is written by Foundation with the number as a
/// string ("inf", "-inf", "nan"); records are read by the fast decoder first and by Foundation
/// with the same strings when it refuses them, so such records and those of earlier versions
/// (Foundation's output, with `/` escaped) read back the same.
enum DirectorRecordCoding {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        do {
            return try WireJSONEncoder().encode(value)
        } catch EncodingError.invalidValue(let invalid, _) where invalid is Double || invalid is Float {
            return try foundationEncoder.encode(value)
        }
    }

    static func decode<T: Decodable>(_: T.Type, from data: Data) throws -> T {
        do {
            return try WireJSONDecoder().decode(T.self, from: data)
        } catch let fast {
            guard let value = try? foundationDecoder.decode(T.self, from: data) else { throw fast }
            return value
        }
    }

    private static var foundationEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    private static var foundationDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
