import Logging
import Trading

extension Logger.Message {
    /// A log message composed as bytes (`ComposedText`) and made a string once: what an agent
    /// logs for every message it handles, where `String`'s own interpolation costs a few
    /// hundred instructions a part (docs/PERFORMANCE.md, change 106). Written in the log call's
    /// argument, so it is made only when the line's level is logged.
    init(composed text: ComposedText) {
        self.init(stringLiteral: text.string)
    }
}

extension Logger {
    /// The agents' line for a message they handled, at info level: `text` composed as bytes,
    /// the trace's id as its metadata, and this module as its source. swift-log otherwise
    /// works the source out from the file name for every line (docs/PERFORMANCE.md,
    /// change 109). `text` is composed only when info lines are logged, and handed to the
    /// agents' own handler as bytes (`AgentLogHandler.writeComposed`): without the message
    /// made a `String`, its metadata a dictionary and the event a value to take apart
    /// (docs/PERFORMANCE.md, change 153).
    ///
    /// Inlined, so that a logger that does not log info lines costs its caller the level's
    /// check and nothing more: out of line, the text's closure held copies of what it reads.
    @inline(__always)
    func info(composed text: @autoclosure () -> ComposedText, traceId: String? = nil,
              file: String = #fileID, function: String = #function, line: UInt = #line) {
        guard logLevel <= .info else { return }
        write(composed: text(), traceId: traceId, file: file, function: function, line: line)
    }

    /// `info(composed:traceId:)` once the level is known to be logged.
    private func write(composed: ComposedText, traceId: String?, file: String, function: String, line: UInt) {
        if Self.writeComposed(composed, traceId: traceId, to: handler) { return }
        info(Message(composed: composed), metadata: traceId.map { ["trace_id": .string($0)] }, source: Self.agentsSource,
             file: file, function: function, line: line)
    }

    /// Hands the line to `handler` when it is the agents' own (`AgentLogHandler.writeComposed`);
    /// false when it is another, or declines. The handler, opened from its existential, is told
    /// apart by its type and read where it is: a cast (`as?`) cost about 200 instructions a line.
    private static func writeComposed<Handler: LogHandler>(_ text: ComposedText, traceId: String?, to handler: Handler) -> Bool {
        guard Handler.self == AgentLogHandler.self else { return false }
        return withUnsafePointer(to: handler) { handler in
            handler.withMemoryRebound(to: AgentLogHandler.self, capacity: 1) { agents in
                agents.pointee.writeComposed(text, level: .info, traceId: traceId, source: agentsSource)
            }
        }
    }

    /// The source of the agents' lines: what swift-log derives from their files' ids.
    private static let agentsSource = "Agents"
}
