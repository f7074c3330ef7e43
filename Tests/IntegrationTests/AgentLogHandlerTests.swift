import Foundation
import Logging
import Synchronization
import Testing
import Trading
@testable import Agents
@testable import AgentRuntime

/// The agents' log handler writes the lines `StreamLogHandler` wrote, with its time text made
/// once a second, and passes warnings on as urgent.
@Suite("Agent log handler")
struct AgentLogHandlerTests {
    /// What a `StreamLogHandler` writes, kept line by line.
    final class Capture: TextOutputStream, Sendable {
        let lines = Mutex<[String]>([])
        func write(_ string: String) { lines.withLock { $0.append(string) } }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String { "the disk is full" }
    }

    /// One event as each handler writes it: (ours, StreamLogHandler's), and whether the second
    /// did not change while both were written (then the time texts must match too).
    func both(_ event: LogEvent, handlerMetadata: Logger.Metadata = [:]) throws -> (ours: String, theirs: String, sameSecond: Bool) {
        let pipe = try LogOutputTests.Pipe()
        let output = LogOutput(descriptor: pipe.write)
        var ours = AgentLogHandler(label: "market-maker", output: output, level: .info, metadataProvider: nil)
        let capture = Capture()
        var theirs = StreamLogHandler(label: "market-maker", stream: capture, metadataProvider: nil)
        ours.metadata = handlerMetadata
        theirs.metadata = handlerMetadata
        let before = time(nil)
        ours.log(event: event)
        theirs.log(event: event)
        let after = time(nil)
        output.flush()
        return (pipe.drain(), capture.lines.withLock { $0.joined() }, before == after)
    }

    func event(_ level: Logger.Level, _ message: Logger.Message, metadata: Logger.Metadata? = nil, error: (any Error)? = nil) -> LogEvent {
        LogEvent(level: level, message: message, error: error, metadata: metadata, source: "Agents", file: #fileID, function: #function, line: #line)
    }

    @Test(arguments: [
        (Logger.Metadata?.none, Logger.Metadata()),
        (["trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"], [:]),
        (["trace_id": "4bf92f", "account": "desk", "attempt": "2"], [:]),
        (["trace_id": "4bf92f"], ["agent": "market-maker", "zone": .array(["a", "b"])]),
        (nil, ["agent": "market-maker", "replica": .dictionary(["index": "1"])]),
        (["attempt": .stringConvertible(2), "zone": .array(["a", "b"]), "trace_id": "4bf92f"], [:]),
        (["replica": .dictionary(["index": "1"])], [:]),
        (["note": "ünïcödé — 価格"], [:]),
    ] as [(Logger.Metadata?, Logger.Metadata)])
    func linesAreStreamLogHandlers(metadata: Logger.Metadata?, handlerMetadata: Logger.Metadata) throws {
        let written = try both(event(.info, "desk buy 0.5 BTC-USD 42: filled", metadata: metadata), handlerMetadata: handlerMetadata)
        let rest = { (line: String) in line.drop { $0 != " " } }
        #expect(rest(written.ours) == rest(written.theirs))
        #expect(written.ours.hasSuffix("] desk buy 0.5 BTC-USD 42: filled\n"))
        if written.sameSecond { #expect(written.ours == written.theirs) }
    }

    /// An agent's composed line (`Logger.info(composed:traceId:)`) reaches the agents' handler
    /// as bytes when the handler has no metadata of its own, and is the line `StreamLogHandler`
    /// writes for the same message either way.
    @Test(arguments: [(String?.none, Logger.Metadata()), ("4bf92f3577b34da6a3ce929d0e0e4736", [:]),
                      ("4bf92f", ["agent": "market-maker"]), (nil, ["zone": .array(["a", "b"])])] as [(String?, Logger.Metadata)])
    func composedLinesAreStreamLogHandlers(traceId: String?, handlerMetadata: Logger.Metadata) throws {
        let pipe = try LogOutputTests.Pipe()
        let output = LogOutput(descriptor: pipe.write)
        var ours = AgentLogHandler(label: "execution-agent", output: output, level: .info, metadataProvider: nil)
        ours.metadata = handlerMetadata
        let capture = Capture()
        var theirs = StreamLogHandler(label: "execution-agent", stream: capture, metadataProvider: nil)
        theirs.metadata = handlerMetadata
        let quantity = Quantity(0.5)
        let text: ComposedText = "execute desk buy \(quantity) BTC-USD: O-7 filled"
        #expect(ours.writeComposed(text, level: .info, traceId: traceId, source: "Agents") == handlerMetadata.isEmpty)
        Logger(label: "execution-agent", factory: { _ in ours }).info(composed: text, traceId: traceId)
        Logger(label: "execution-agent", factory: { _ in theirs }).info(composed: text, traceId: traceId)
        output.flush()
        let lines = pipe.drain().split(separator: "\n", omittingEmptySubsequences: false).map { $0.drop { $0 != " " } }
        let expected = try #require(capture.lines.withLock { $0.first }).dropLast().drop { $0 != " " }
        // Written straight from the bytes (when it took them) and through the logger: the same line.
        #expect(lines.count == (handlerMetadata.isEmpty ? 3 : 2))
        #expect(lines.dropLast().allSatisfy { $0 == expected }, "\(lines) against \(expected)")
        #expect(expected.hasSuffix("[Agents] execute desk buy 0.5 BTC-USD: O-7 filled"))
    }

    @Test func anErrorIsWrittenAsStreamLogHandlerWritesIt() throws {
        let written = try both(event(.error, "cannot commit", metadata: ["trace_id": "ab"], error: Failure()))
        let rest = { (line: String) in line.drop { $0 != " " } }
        #expect(rest(written.ours) == rest(written.theirs))
        #expect(written.ours.contains("error.message=the disk is full"))
    }

    @Test func theTimeTextIsThatOfItsSecond() {
        let first = LogTime.text(at: 1_764_565_200)
        #expect(first == LogTime.format(1_764_565_200))
        #expect(LogTime.text(at: 1_764_565_261) == LogTime.format(1_764_565_261))
        #expect(LogTime.text(at: 1_764_565_200) == first)
        #expect(first != LogTime.format(1_764_565_261))
        #expect(first.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}/) != nil)
    }

    @Test func aWarningIsWrittenAtOnceWithTheLinesBeforeIt() throws {
        let pipe = try LogOutputTests.Pipe()
        let output = LogOutput(descriptor: pipe.write)
        let handler = AgentLogHandler(label: "risk-manager", output: output, level: .info, metadataProvider: nil)
        handler.log(event: event(.info, "routine"))
        handler.log(event: event(.warning, "over its limit"))
        let text = pipe.drain()
        #expect(text.contains(" info risk-manager: [Agents] routine\n"))
        #expect(text.hasSuffix(" warning risk-manager: [Agents] over its limit\n"))
    }

    /// Lines made by several threads at once come out whole, each after the one before it from
    /// the same thread: a line is made inside the output's lock. Every 10th line is a warning,
    /// written at once with those before it, so flushes from several threads take their turns
    /// while lines are still being made, and none is lost or written twice.
    @Test func linesFromSeveralThreadsComeOutWhole() async throws {
        let pipe = try LogOutputTests.Pipe()
        // The lines fit the pipe; lines written twice would not, and are then dropped rather
        // than block the test.
        _ = fcntl(pipe.write, F_SETFL, fcntl(pipe.write, F_GETFL) | O_NONBLOCK)
        let output = LogOutput(descriptor: pipe.write)
        let handler = AgentLogHandler(label: "director", output: output, level: .info, metadataProvider: nil)
        let threads = 4, lines = 150
        await withTaskGroup(of: Void.self) { group in
            for thread in 0..<threads {
                group.addTask {
                    for line in 0..<lines {
                        handler.log(event: event(line % 10 == 9 ? .warning : .info, "thread \(thread) line \(line)",
                                                 metadata: ["trace_id": .string("t\(thread)")]))
                    }
                }
            }
        }
        output.flush()
        let written = pipe.drain().split(separator: "\n")
        #expect(written.count == threads * lines)
        var next = [Int](repeating: 0, count: threads)
        for line in written {
            let match = try #require(line.firstMatch(of: /^\S+ (?:info|warning) director: trace_id=t(\d) \[Agents\] thread (\d) line (\d+)$/))
            let thread = try #require(Int(match.2))
            #expect(Int(match.1) == thread)
            #expect(Int(match.3) == next[thread])
            next[thread] += 1
        }
        #expect(next == [Int](repeating: lines, count: threads))
    }

    /// Routine lines past 64 KiB are written without waiting for the 20 ms.
    @Test func aFullBufferIsWrittenAtOnce() throws {
        let pipe = try LogOutputTests.Pipe()
        // Room for the whole write (a pipe holds 64 KiB by default): F_SETPIPE_SZ. Without it
        // the write would block, so the test stops here rather than hang.
        try #require(fcntl(pipe.write, 1_031, 1 << 20) >= 1 << 20)
        let output = LogOutput(descriptor: pipe.write)
        let handler = AgentLogHandler(label: "director", output: output, level: .info, metadataProvider: nil)
        let long = String(repeating: "x", count: 1_000)
        for _ in 0..<70 { handler.log(event: event(.info, "\(long)")) }
        let text = pipe.drain()
        #expect(text.utf8.count >= 64 * 1_024)
        #expect(text.hasSuffix("\(long)\n"))
        // Nothing left for the 20 ms timer to write once this pipe's descriptors are closed
        // (and maybe reused by another test's pipe).
        output.flush()
    }
}
