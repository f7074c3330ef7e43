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
    /// change 109). `text` is composed only when info lines are logged.
    func info(composed text: @autoclosure () -> ComposedText, traceId: String? = nil,
              file: String = #fileID, function: String = #function, line: UInt = #line) {
        info(Message(composed: text()), metadata: traceId.map { ["trace_id": .string($0)] }, source: Self.agentsSource,
             file: file, function: function, line: line)
    }

    /// The source of the agents' lines: what swift-log derives from their files' ids.
    private static let agentsSource = "Agents"
}
