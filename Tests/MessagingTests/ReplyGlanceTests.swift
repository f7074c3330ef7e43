import Foundation
@testable import Messaging
import Synchronization
import Testing
import WireFormat

/// How a `RequestClient` takes replies in each form a peer may write them: the codec's own form
/// is matched by a glance and read once, without opening it; any other form is opened as
/// before; an error reply, a reply of another type and a reply whose header is broken after
/// its parent id each end the request at once with their error.
@Suite(.timeLimit(.minutes(1)))
struct ReplyGlanceTests {
    /// The wire codec, counting the replies it opens.
    final class OpeningCodec: EnvelopeCodec {
        private let codec = JSONEnvelopeCodec()
        let opens = Mutex(0)

        func encode<P: MessagePayload>(_ envelope: Envelope<P>) throws(ProtocolError) -> Data { try codec.encode(envelope) }
        func decode<P: MessagePayload>(_ type: P.Type, from data: Data) throws(ProtocolError) -> Envelope<P> { try codec.decode(P.self, from: data) }
        func open(_ data: Data) throws(ProtocolError) -> InboundMessage {
            opens.withLock { $0 += 1 }
            return try codec.open(data)
        }
        func decode<P: MessagePayload>(_ type: P.Type, from message: InboundMessage) throws(ProtocolError) -> Envelope<P> {
            try codec.decode(P.self, from: message)
        }
        func glance(_ data: Data) -> EnvelopeGlance? { codec.glance(data) }
    }

    /// The reply a raw peer writes for a request whose text names the form.
    static func reply(to text: String, id: String, trace: String) -> String {
        let head = #"{"id":"r-\#(text)","parent_id":"\#(id)","#
        let tail = #""source":"raw","trace_id":"\#(trace)","ts":1,"#
        switch text {
        case "spaced":
            return #"{"id": "r", "parent_id": "\#(id)", "payload": {"delay_ms": 0, "text": "spaced"}, "source": "raw", "trace_id": "\#(trace)", "ts": 1, "type": "echo.ok", "v": 1}"#
        case "error": return head + #""payload":{"code":"busy","message":"raw peer is full"},"# + tail + #""type":"error","v":1}"#
        case "other": return head + #""payload":{"delay_ms":0,"text":"other"},"# + tail + #""type":"other.ok","v":1}"#
        case "broken": return head + #""payload":{"delay_ms":0,"text":"broken"},"source":"raw","trace_id":"\#(trace)","ts":"one","type":"echo.ok","v":1}"#
        default: return head + #""payload":{"delay_ms":0,"text":"\#(text)"},"# + tail + #""type":"echo.ok","v":1}"#
        }
    }

    /// "ok" and the echoed text, or the error's code and message.
    static func outcome(of form: String, from client: RequestClient) async -> String {
        do {
            return "ok " + (try await client.request(Echo(text: form), trace: TraceContext.root())).payload.text
        } catch {
            return "\(error.code.rawValue) \(error.message)"
        }
    }

    @Test func eachFormOfReplyEndsItsRequestAsItShould() async throws {
        let forms = ["plain", "spaced", "error", "other", "broken", "plain"]
        let peer = await RawReplier.start(count: forms.count, seconds: 30) { id, trace, text in Self.reply(to: text, id: id, trace: trace) }
        let loop = try MessageLoop(name: "glance")
        let codec = OpeningCodec()
        let client = try await RequestClient.connect(loop: loop, peer: "raw", endpoint: peer.endpoint, source: "client",
                                                     policy: RequestPolicy(attemptTimeout: .seconds(10), attempts: 1), codec: codec)
        var outcomes: [String] = []
        var opened: [Int] = []
        for form in forms {
            let before = codec.opens.withLock { $0 }
            outcomes.append(await Self.outcome(of: form, from: client))
            opened.append(codec.opens.withLock { $0 } - before)
        }
        #expect(try await peer.finish().count == forms.count)
        await loop.shutdown()

        #expect(outcomes[0] == "ok plain" && outcomes[5] == "ok plain")
        #expect(outcomes[1] == "ok spaced")
        #expect(outcomes[2] == "busy raw peer is full")
        #expect(outcomes[3].hasPrefix("wrong_type") && outcomes[3].contains("other.ok"))
        #expect(outcomes[4].hasPrefix("wrong_type") && outcomes[4].contains("ts"), "\(outcomes[4])")
        // The codec's own form is read once, never opened; the spaced one is opened on the loop.
        #expect(opened == [0, 1, 1, 1, 0, 0])
    }
}
