import Foundation
import Testing
import WireFormat
import WireProtocol

/// The bytes an analysis, a verdict or an order report was read from, kept with its envelope for
/// a receiver that writes it again whole (a director, an ExecutionAgent): kept only where they
/// say exactly what was read, by either read of an envelope (whole, or opened and then
/// decoded), and dropped when the payload changes.
@Suite struct ReceivedPayloadTests {
    let codec = JSONEnvelopeCodec()

    /// The message's bytes and its payload's, as the codec writes them.
    func written<P: MessagePayload & FastWireCodable>(_ payload: P, type: String) throws -> (message: String, payload: String) {
        let message = String(decoding: try codec.encode(SamplePayloads.envelope(type, payload, parent: "m-0")), as: UTF8.self)
        return (message, String(decoding: try #require(payload.writtenFastJSON()), as: UTF8.self))
    }

    /// `message` decoded both ways, with what each kept of its payload's bytes.
    func kept<P: MessagePayload & Equatable>(_: P.Type, from message: String) throws -> [String?] {
        let data = Data(message.utf8)
        let whole = try codec.decode(P.self, from: data)
        let opened = try codec.decode(P.self, from: try codec.open(data))
        #expect(whole.payload == opened.payload)
        return [whole, opened].map { $0.receivedPayload.json.map { String(decoding: $0, as: UTF8.self) } }
    }

    @Test func anAnalysisAVerdictAndAnOrderReportKeepTheBytesTheyWereReadFrom() throws {
        let analysis = try written(SamplePayloads.analysis, type: "analyze.ok")
        #expect(try kept(AnalysisReport.self, from: analysis.message) == [analysis.payload, analysis.payload])
        let verdict = try written(SamplePayloads.verdict, type: "assess.ok")
        #expect(try kept(RiskVerdict.self, from: verdict.message) == [verdict.payload, verdict.payload])
        let report = try written(SamplePayloads.report, type: "order.submit.ok")
        #expect(try kept(OrderReport.self, from: report.message) == [report.payload, report.payload])
    }

    /// Bytes in another writer's form are kept as they came: what they say is what was read.
    @Test func bytesInAnotherFormAreKeptAsTheyCame() throws {
        let analysis = try written(SamplePayloads.analysis, type: "analyze.ok")
        let spacedPayload = analysis.payload.replacingOccurrences(of: #","confidence":"#, with: #", "confidence" : "#)
            .replacingOccurrences(of: #""support":59000"#, with: #""support": 59000.0"#) + "  "
        #expect(spacedPayload != analysis.payload + "  ")
        let message = analysis.message.replacingOccurrences(of: analysis.payload, with: spacedPayload)
        let kept = try kept(AnalysisReport.self, from: message)
        // The whole read keeps the value's bytes, without the spaces after it.
        #expect(kept == [String(spacedPayload.dropLast(2)), String(spacedPayload.dropLast(2))])
        #expect(try codec.decode(AnalysisReport.self, from: Data(message.utf8)).payload == SamplePayloads.analysis)
    }

    /// A payload with a member its reader passed over (a name it does not know, one named twice,
    /// at its top or inside) says something else to another reader: its bytes are not kept.
    @Test func aPayloadWithAMemberPassedOverKeepsNoBytes() throws {
        let analysis = try written(SamplePayloads.analysis, type: "analyze.ok")
        let verdict = try written(SamplePayloads.verdict, type: "assess.ok")
        let forms = [
            analysis.message.replacingOccurrences(of: #","confidence":0.62"#, with: #","confidence":0.62,"confidence":0.99"#),
            analysis.message.replacingOccurrences(of: #","confidence":"#, with: #","conviction":"high","confidence":"#),
            analysis.message.replacingOccurrences(of: #""support":59000"#, with: #""support":59000,"support":1"#),
            verdict.message.replacingOccurrences(of: #""leverage":3"#, with: #""leverage":3,"note":{"a":[1,2]}"#),
        ]
        for (index, form) in forms.enumerated() {
            #expect(form != analysis.message && form != verdict.message, "form \(index) changed nothing")
            let kept = index < 3 ? try kept(AnalysisReport.self, from: form) : try kept(RiskVerdict.self, from: form)
            #expect(kept == [nil, nil], "form \(index)")
        }
        // The header's own members do not count: an unknown one there leaves the payload's bytes kept.
        let extraHeader = analysis.message.replacingOccurrences(of: #""source":"#, with: #""route":"x","source":"#)
        #expect(try self.kept(AnalysisReport.self, from: extraHeader) == [analysis.payload, analysis.payload])
    }

    @Test func otherPayloadsKeepNoBytesAndAChangedPayloadDropsThem() throws {
        let signal = try codec.encode(SamplePayloads.envelope("signal", SignalPayload(symbol: "BTC-USD", side: .buy, confidence: 0.8)))
        #expect(try codec.decode(SignalPayload.self, from: signal).receivedPayload.json == nil)
        var envelope = try codec.decode(RiskVerdict.self, from: Data(try written(SamplePayloads.verdict, type: "assess.ok").message.utf8))
        #expect(envelope.receivedPayload.json != nil)
        envelope.payload.reason = "changed"
        #expect(envelope.receivedPayload.json == nil)
    }
}
