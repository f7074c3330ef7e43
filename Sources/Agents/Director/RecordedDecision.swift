import Foundation
import WireFormat
import WireProtocol

/// A decision published with the bytes of its record as the event's payload. The record is
/// written by the decision's hand-written form, which is also how an envelope writes a
/// decision, so the event carries the same bytes without writing the decision a second time.
/// Only ever sent: a reader takes the event as a `DecisionPayload`.
struct RecordedDecision: MessagePayload, WrittenForm {
    let decision: DecisionPayload
    /// `decision` as its hand-written form wrote it for the record.
    let json: Data

    static let fastJSON: FastJSONForm<RecordedDecision>? = FastJSONForm(
        encode: { FastEnvelopeCoding.encode($0) }, decode: { _ in nil }, decodePayload: { _ in nil })

    init(_ decision: DecisionPayload, json: Data) {
        self.decision = decision
        self.json = json
    }

    func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        json.withUnsafeBytes { out.append($0.bindMemory(to: UInt8.self)) }
    }

    func validate() throws(ProtocolError) { try decision.validate() }

    func encode(to encoder: any Encoder) throws { try decision.encode(to: encoder) }

    init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                debugDescription: "a recorded decision is only sent: read the event as a decision"))
    }
}
