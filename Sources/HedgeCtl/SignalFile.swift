import Foundation
import WireFormat
import WireProtocol

/// Signals read from a JSON Lines file: one `{"symbol", "side", "confidence", "note"?}` per line.
/// Blank lines and lines starting with `#` are skipped; a bad line is reported by number.
enum SignalFile {
    static func read(path: String) throws -> [SignalPayload] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw CtlFailure("cannot read signal file '\(path)'")
        }
        var signals: [SignalPayload] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            do {
                let signal = try JSONDecoder().decode(SignalPayload.self, from: Data(trimmed.utf8))
                try signal.validate()
                signals.append(signal)
            } catch let error as ProtocolError {
                throw CtlFailure("\(path):\(index + 1): \(error.message.replacingOccurrences(of: "payload.", with: ""))")
            } catch {
                throw CtlFailure("\(path):\(index + 1): not a signal object {\"symbol\", \"side\": \"buy\"|\"sell\", \"confidence\": 0..1}: \(error)")
            }
        }
        return signals
    }
}
