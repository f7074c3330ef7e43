import Foundation
import Logging
import Synchronization

/// Logging set-up for an executable's `main`; libraries only create loggers.
public enum AgentLogging {
    /// Sends every logger to standard error at `level`, one line per event, through `output`.
    public static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler(label: label, stream: BufferedLogStream(output: output))
            handler.logLevel = level
            return handler
        }
    }

    /// Writes whatever lines are still buffered; agents call it as they stop.
    public static func flush() { output.flush() }

    static let output = LogOutput(descriptor: STDERR_FILENO)
}

/// Lines on their way to a file descriptor. Routine lines are gathered and written together
/// every 20 ms (or once 64 KiB wait), so a busy agent does not pay a `write` per line on its
/// hot path; a warning, error or critical line is written at once, with everything before it,
/// so the lines that matter survive a crash. A SIGKILL can lose the last 20 ms of routine lines.
final class LogOutput: Sendable {
    private let descriptor: Int32
    private let pending = Mutex<(text: String, scheduled: Bool)>(("", false))
    private let flusher = DispatchQueue(label: "log-output")
    private let interval = DispatchTimeInterval.milliseconds(20)
    private let limit = 64 * 1_024

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    func write(_ line: String) {
        let (urgent, schedule) = pending.withLock { state -> (Bool, Bool) in
            state.text += line
            let urgent = Self.isUrgent(line) || state.text.utf8.count >= limit
            let schedule = !urgent && !state.scheduled
            if schedule { state.scheduled = true }
            return (urgent, schedule)
        }
        if urgent {
            flush()
        } else if schedule {
            flusher.asyncAfter(deadline: .now() + interval) { [self] in
                pending.withLock { $0.scheduled = false }
                flush()
            }
        }
    }

    /// Writes what is buffered now.
    func flush() {
        let text = pending.withLock { state -> String in
            defer { state.text = "" }
            return state.text
        }
        guard !text.isEmpty else { return }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Lines look like `<time> <level> <label>: …`; warnings and worse are urgent.
    private static func isUrgent(_ line: String) -> Bool {
        let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count >= 2 else { return true }
        switch fields[1] {
        case "trace", "debug", "info", "notice": return false
        default: return true
        }
    }
}

/// The `TextOutputStream` a `StreamLogHandler` writes each formatted line to.
struct BufferedLogStream: TextOutputStream, Sendable {
    let output: LogOutput

    mutating func write(_ string: String) { output.write(string) }
}
