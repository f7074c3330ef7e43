import Foundation
import Messaging
import Testing
@testable import AgentRuntime

/// An agent's routine log lines kept for 20 ms by its message loop's deadlines
/// (`AgentLogging.flushes(on:)`) rather than by a dispatch timer.
@Suite("Log output on the loop", .timeLimit(.minutes(1)))
struct LogOutputTests {
    /// A pipe whose read end is read without blocking.
    final class Pipe: Sendable {
        let read: Int32
        let write: Int32

        init() throws {
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else { throw POSIXError(.EMFILE) }
            (read, write) = (ends[0], ends[1])
            _ = fcntl(read, F_SETFL, fcntl(read, F_GETFL) | O_NONBLOCK)
        }

        /// What has been written so far and not yet read.
        func drain() -> String {
            var text = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 4_096)
            while true {
                let count = buffer.withUnsafeMutableBytes { Foundation.read(read, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                text += buffer[..<count]
            }
            return String(decoding: text, as: UTF8.self)
        }

        /// Waits (up to `seconds`) until something can be read.
        func waitReadable(seconds: Int32) -> Bool {
            var entry = pollfd(fd: read, events: Int16(POLLIN), revents: 0)
            return poll(&entry, 1, seconds * 1_000) == 1
        }

        deinit {
            close(read)
            close(write)
        }
    }

    @Test func linesWrittenToAFileAreWrittenBackAsTheyGrowNotThoseToAPipe() throws {
        let pipe = try Pipe()
        #expect(LogOutput(descriptor: pipe.write).writesBack == false)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("log-output-\(UUID().uuidString).log").path
        let file = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        try #require(file >= 0)
        defer { close(file); unlink(path) }
        let output = LogOutput(descriptor: file)
        #expect(output.writesBack)
        output.write("2026-12-01T05:00:00+0000 warning agent: kept\n", urgent: true)
        #expect((try? String(contentsOfFile: path, encoding: .utf8)) == "2026-12-01T05:00:00+0000 warning agent: kept\n")
    }

    @Test func routineLinesWaitForTheLoopsDeadlineAndThenAreWritten() async throws {
        let pipe = try Pipe()
        let output = LogOutput(descriptor: pipe.write)
        let loop = try MessageLoop(name: "log-output")
        output.flushes(on: loop)
        output.write("2026-12-01T05:00:00+0000 info agent: first\n", urgent: false)
        output.write("2026-12-01T05:00:00+0000 info agent: second\n", urgent: false)
        #expect(pipe.waitReadable(seconds: 10))
        #expect(pipe.drain() == "2026-12-01T05:00:00+0000 info agent: first\n2026-12-01T05:00:00+0000 info agent: second\n")
        await loop.shutdown()
    }

    @Test func onceTheLoopHasStoppedLinesAreWrittenAsTheyCome() async throws {
        let pipe = try Pipe()
        let output = LogOutput(descriptor: pipe.write)
        let loop = try MessageLoop(name: "log-output-stopped")
        output.flushes(on: loop)
        await loop.shutdown()
        output.write("2026-12-01T05:00:00+0000 info agent: after the loop\n", urgent: false)
        // A dispatch timer would have left it for 20 ms; a stopped loop runs the flush at once.
        #expect(pipe.drain() == "2026-12-01T05:00:00+0000 info agent: after the loop\n")
    }

    @Test func aWarningIsWrittenAtOnceWithTheLinesBeforeIt() async throws {
        let pipe = try Pipe()
        let output = LogOutput(descriptor: pipe.write)
        let loop = try MessageLoop(name: "log-output-urgent")
        output.flushes(on: loop)
        output.write("2026-12-01T05:00:00+0000 info agent: routine\n", urgent: false)
        output.write("2026-12-01T05:00:00+0000 warning agent: urgent\n", urgent: true)
        #expect(pipe.drain() == "2026-12-01T05:00:00+0000 info agent: routine\n2026-12-01T05:00:00+0000 warning agent: urgent\n")
        await loop.shutdown()
    }
}
