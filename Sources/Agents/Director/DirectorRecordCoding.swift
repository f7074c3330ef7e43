import Foundation
import Trading
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

/// The JSON form of the director's records.
enum DirectorRecordCoding {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(value)
    }

    static func decode<T: Decodable>(_: T.Type, from data: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(T.self, from: data)
    }
}
