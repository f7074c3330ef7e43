import Foundation
import Trading
import WireFormat
import WireProtocol

/// Reads a signal off the bus. A signal with a readable header but an impossible payload still
/// gets its one decision (rejected, saying why); an unreadable one gets none, only counted.
public enum SignalIntake {
    /// What a bus message turned out to be.
    public enum Outcome: Sendable {
        /// A valid signal.
        case signal(Envelope<SignalPayload>)
        /// A signal whose payload is impossible: its decision, and the trace to publish it in.
        case invalid(DecisionPayload, TraceContext)
        /// Not a readable signal envelope at all.
        case unreadable(ProtocolError)
    }

    /// Reads `body`, received under `topic`: a valid signal in one pass; anything else is read
    /// again, header first, to say what is wrong with it.
    public static func read(topic: String, body: Data) -> Outcome {
        let codec = JSONEnvelopeCodec()
        if let signal = try? codec.decode(SignalPayload.self, from: body), signal.type == EventType.signal {
            return .signal(signal)
        }
        let header: Envelope<OpaquePayload>
        do {
            header = try codec.decodeHeader(from: body)
        } catch {
            return .unreadable(error)
        }
        guard header.type == EventType.signal else {
            return .unreadable(ProtocolError(.wrongType, "a '\(header.type)' envelope on signal topic '\(topic)'"))
        }
        do {
            return .signal(try codec.decode(SignalPayload.self, from: body))
        } catch {
            let symbol = String(Topic.qualifier(of: topic))
            let side = (try? codec.decode(JSONValue.self, from: body).payload["side"]?.string).flatMap { Side(rawValue: $0) } ?? .buy
            let decision = DecisionPayload(signalId: header.id, symbol: symbol, side: side, outcome: .rejected,
                                           reason: "invalid signal: \(error.message)", stage: "validate", latencyUs: 0)
            return .invalid(decision, .caused(by: header))
        }
    }
}
