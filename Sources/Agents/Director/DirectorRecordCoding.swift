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

/// An execution step as its hand-written form wrote it for the record, with where its analysis
/// and its verdict are in those bytes: the decision made with them takes those bytes for its
/// `analysis` and `risk` rather than writing them again.
struct WrittenStep: Sendable {
    /// The step's record.
    let json: Data
    let analysis: Range<Int>
    let verdict: Range<Int>

    /// `step` written, with `writtenAnalysis` for its analysis when given (what the analysis's
    /// form wrote already, for the `assess` request, or the bytes it came in) and
    /// `writtenVerdict` for its verdict (the bytes it came in); nil where its form declines (the
    /// record is then written by `Codable`, and the decision in full).
    init?(_ step: ExecutionStep, writtenAnalysis: Data? = nil, writtenVerdict: Data? = nil) {
        let out = ByteBuffer(capacity: 2_048)
        guard let (analysis, verdict) = try? step.write(to: out, writtenAnalysis: writtenAnalysis, writtenVerdict: writtenVerdict)
        else { return nil }
        self.analysis = analysis
        self.verdict = verdict
        json = out.takeData()
    }
}

/// The JSON form of the director's records: compact, members sorted by name. Execution steps,
/// decisions and position records are written by their hand-written forms
/// (`DirectorRecordForms.swift`) and steps and decisions read by them too; whatever those decline
/// goes through the project's `Codable` codec (`WireJSONEncoder`, `WireJSONDecoder`), with the
/// same bytes and values. A record holding a non-finite number, which that codec refuses, is
/// written by Foundation with the number as a string ("inf", "-inf", "nan"); records are read by
/// the fast decoder first and by Foundation with the same strings when it refuses them, so such
/// records and those of earlier versions (Foundation's output, with `/` escaped) read back the
/// same.
enum DirectorRecordCoding {
    /// The step's record, with where its analysis and verdict are in it when its hand-written
    /// form wrote it (nil where that form declines and `Codable` writes it). `writtenAnalysis`,
    /// `writtenVerdict`: the analysis and the verdict as bytes already (written by their forms,
    /// or as they came in), taken as they are.
    static func record(_ step: ExecutionStep, writtenAnalysis: Data? = nil, writtenVerdict: Data? = nil) throws
        -> (json: Data, written: WrittenStep?) {
        if let written = WrittenStep(step, writtenAnalysis: writtenAnalysis, writtenVerdict: writtenVerdict) { return (written.json, written) }
        return (try encodeWithCodable(step), nil)
    }

    static func encode(_ decision: DecisionPayload) throws -> Data {
        try decision.writtenFastJSON() ?? encodeWithCodable(decision)
    }

    static func encode(_ record: PositionRecord) throws -> Data {
        try record.writtenFastJSON() ?? encodeWithCodable(record)
    }

    static func decode(_: ExecutionStep.Type, from data: Data) throws -> ExecutionStep {
        try JSONValueReader.read(data) { root throws(FastPathDeclined) in try ExecutionStep(fastJSON: root) }
            ?? decodeWithCodable(ExecutionStep.self, from: data)
    }

    static func decode(_: DecisionPayload.Type, from data: Data) throws -> DecisionPayload {
        try JSONValueReader.read(data) { root throws(FastPathDeclined) in try DecisionPayload(fastJSON: root) }
            ?? decodeWithCodable(DecisionPayload.self, from: data)
    }

    static func decode(_: PositionRecord.Type, from data: Data) throws -> PositionRecord {
        try decodeWithCodable(PositionRecord.self, from: data)
    }

    /// The decision's record, its analysis and verdict taken from `step`'s bytes when it was made
    /// with that step's (`SignalCycle`); nil where the form declines.
    static func written(_ decision: DecisionPayload, step: WrittenStep?) -> Data? {
        guard let step else { return decision.writtenFastJSON() }
        let out = ByteBuffer(capacity: 2_048)
        let wrote = step.json.withUnsafeBytes { record -> Bool in
            do {
                try decision.writeFastJSON(to: out, writtenAnalysis: UnsafeRawBufferPointer(rebasing: record[step.analysis]),
                                           writtenRisk: UnsafeRawBufferPointer(rebasing: record[step.verdict]))
                return true
            } catch {
                return false
            }
        }
        return wrote ? out.takeData() : nil
    }

    /// The `Codable` path alone.
    static func encodeWithCodable<T: Encodable>(_ value: T) throws -> Data {
        do {
            return try WireJSONEncoder().encode(value)
        } catch EncodingError.invalidValue(let invalid, _) where invalid is Double || invalid is Float {
            return try foundationEncoder.encode(value)
        }
    }

    /// The `Codable` path alone.
    static func decodeWithCodable<T: Decodable>(_: T.Type, from data: Data) throws -> T {
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
