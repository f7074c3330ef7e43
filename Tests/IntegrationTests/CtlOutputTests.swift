import Foundation
import HedgeBusTesting
import Testing
import WireFormat

/// hedgectl's output when standard output cannot take it: a clear reason and status 1, where
/// `FileHandle.write` used to trap and dump a crash report.
@Suite("hedgectl output", .timeLimit(.minutes(1)))
struct CtlOutputTests {
    @Test func aTimelineToAFullDiskEndsWithTheReason() async throws {
        let recording = NSTemporaryDirectory() + "hedgebus-ctl-output-\(UUID().uuidString.prefix(8)).jsonl"
        defer { try? FileManager.default.removeItem(atPath: recording) }
        let envelope = Envelope.make(type: "note", source: "test", trace: .root(), payload: OpaquePayload())
        try (try JSONEnvelopeCodec().encode(envelope) + Data("\n".utf8)).write(to: URL(fileURLWithPath: recording))

        let (status, errors) = try await onOwnThread { () throws -> (Int32, String) in
            let process = Process()
            process.executableURL = ProcessGroup.binDirectory.appendingPathComponent("hedgectl")
            process.arguments = ["trace", "--from", recording, "--all"]
            // /dev/full: every write fails with "No space left on device".
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let text = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: text, as: UTF8.self))
        }
        #expect(status == 1, "\(errors)")
        #expect(errors.contains("hedgectl: cannot write to standard output: No space left on device"), "\(errors)")
        #expect(!errors.contains("Fatal error"), "\(errors)")
    }
}
