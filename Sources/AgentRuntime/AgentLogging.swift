import Agents
import Foundation
import Ledger
import Logging
import Messaging
import Synchronization
import WireFormat

/// Logging set-up for an executable's `main`; libraries only create loggers.
public enum AgentLogging {
    /// Sends every logger to standard error at `level`, one line per event, through `output`.
    public static func bootstrap(level: Logger.Level) {
        if let zone = timeZoneSetting(current: getenv("TZ").map { String(cString: $0) }) {
            setenv("TZ", zone, 0)
            tzset()
        }
        LoggingSystem.bootstrap { label in AgentLogHandler(label: label, output: output, level: level) }
    }

    /// The `TZ` to set before the first log line, nil to leave it as it is. The lines' time is
    /// local time (`localtime_r`, once a second: `AgentLogHandler`), and with `TZ` unset the C
    /// library checks /etc/localtime with a `stat` on every such call; with `TZ` naming that
    /// same file it reads it once. A `TZ` already set is kept.
    static func timeZoneSetting(current: String?) -> String? {
        current == nil ? ":/etc/localtime" : nil
    }

    /// Writes whatever lines are still buffered; agents call it as they stop.
    public static func flush() { output.flush() }

    /// From now on routine lines are written by `loop`, on a deadline of its own, rather than
    /// by a dispatch timer: a loop that is awake anyway writes them on its way, and one that
    /// sleeps wakes once, where the timer woke two threads besides. Once `loop` has stopped,
    /// lines are written as they come.
    public static func flushes(on loop: MessageLoop) { output.flushes(on: loop) }

    static let output = LogOutput(descriptor: STDERR_FILENO)
}

/// Lines on their way to a file descriptor. Routine lines are gathered and written together
/// 20 ms after the first (or once 64 KiB wait), so a busy agent does not pay a `write` per line
/// on its hot path; a warning, error or critical line is written at once, with everything before
/// it, so the lines that matter survive a crash. A SIGKILL can lose the last 20 ms of routine
/// lines. The 20 ms are kept by a dispatch timer, or by a message loop (`flushes(on:)`). Written
/// to a file (the launchers send standard error to one), the lines' writeback starts every MiB
/// (`AppendWriteback`), so the kernel never has a burst of them to write that the ledger's syncs
/// would wait behind.
///
/// Lines are appended to a `ByteBuffer` (a bounds check and a copy per part); a flush swaps it
/// with the one the previous flush wrote, so neither is allocated again.
final class LogOutput: LogLineOutput {
    private let descriptor: Int32
    private let writeback: AppendWriteback?
    private let pending = Mutex<(bytes: ByteBuffer, scheduled: Bool)>((ByteBuffer(capacity: 16 * 1_024), false))
    /// The bytes being written by a flush, held for the whole write: flushes take turns, in
    /// the order they took their lines.
    private let flushing = Mutex(ByteBuffer(capacity: 16 * 1_024))
    private let flusher = DispatchQueue(label: "log-output")
    /// The loop that keeps the 20 ms, once there is one.
    private let loop = Mutex<MessageLoop?>(nil)
    private let intervalMs = 20
    private let limit = 64 * 1_024

    init(descriptor: Int32) {
        self.descriptor = descriptor
        var info = stat()
        let isFile = fstat(descriptor, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
        writeback = isFile ? AppendWriteback(descriptor: descriptor) : nil
    }

    /// Whether the lines' writeback is started as they are written (a regular file).
    var writesBack: Bool { writeback != nil }

    /// Keeps the 20 ms with `loop`'s deadlines from now on instead of a dispatch timer (see
    /// `AgentLogging.flushes(on:)`).
    func flushes(on loop: MessageLoop) {
        self.loop.withLock { $0 = loop }
    }

    /// Queues `line`; an `urgent` one (a warning or worse) is written at once with everything
    /// queued before it.
    func write(_ line: String, urgent: Bool) {
        write(urgent: urgent) { $0.append(line) }
    }

    /// Queues the line `make` appends to the bytes waiting to be written (under the output's
    /// lock, so lines never interleave); an `urgent` one is written at once with everything
    /// queued before it.
    func write(urgent: Bool, _ make: (ByteBuffer) -> Void) {
        let (urgent, schedule) = pending.withLock { state -> (Bool, Bool) in
            make(state.bytes)
            let urgent = urgent || state.bytes.written >= limit
            let schedule = !urgent && !state.scheduled
            if schedule { state.scheduled = true }
            return (urgent, schedule)
        }
        if urgent {
            flush()
        } else if schedule {
            let due: @Sendable () -> Void = { [self] in
                pending.withLock { $0.scheduled = false }
                flush()
            }
            if let loop = loop.withLock({ $0 }) {
                loop.schedule(at: .now.advanced(by: .milliseconds(intervalMs)), due)
            } else {
                flusher.asyncAfter(deadline: .now() + .milliseconds(intervalMs), execute: due)
            }
        }
    }

    /// Writes what is buffered now.
    func flush() {
        flushing.withLock { bytes in
            pending.withLock { swap(&$0.bytes, &bytes) }
            let lines = bytes.bytes(from: 0, count: bytes.written)
            var offset = 0
            while offset < lines.count {
                let written = Foundation.write(descriptor, lines.baseAddress! + offset, lines.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { break }
                offset += written
            }
            if offset > 0 { writeback?.appended(offset) }
            bytes.removeAll()
        }
    }
}
