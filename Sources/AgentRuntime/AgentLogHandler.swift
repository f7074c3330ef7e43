import Foundation
import Logging
import Synchronization

/// The agents' log handler: the line `StreamLogHandler` writes (`<time> <level> <label>:
/// <metadata> [<source>] <message>`, metadata sorted by key), made at less cost per line. The
/// time text is made once a second and shared, where `StreamLogHandler` calls `localtime` for
/// every line (with `TZ` unset, glibc then stats `/etc/localtime` each time); the line goes to
/// `LogOutput` with its urgency taken from its level, not read back from the text.
struct AgentLogHandler: LogHandler {
    private let label: String
    private let output: LogOutput
    var logLevel: Logger.Level
    var metadataProvider: Logger.MetadataProvider?
    private var prettyMetadata: String?
    var metadata = Logger.Metadata() {
        didSet { prettyMetadata = Self.prettify(metadata) }
    }

    init(label: String, output: LogOutput, level: Logger.Level, metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider) {
        self.label = label
        self.output = output
        logLevel = level
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let pretty = effectiveMetadata(event).map(Self.prettify) ?? prettyMetadata
        let line = "\(LogTime.text()) \(event.level)\(label.isEmpty ? "" : " ")\(label):\(pretty.map { " \($0)" } ?? "") [\(event.source)] \(event.message)\n"
        output.write(line, urgent: event.level >= .warning)
    }

    /// The handler's metadata with the provider's, the event's and its error's over it; nil when
    /// the event adds nothing (the handler's own text is kept ready for that).
    private func effectiveMetadata(_ event: LogEvent) -> Logger.Metadata? {
        let provided = metadataProvider?.get() ?? [:]
        guard !provided.isEmpty || !(event.metadata ?? [:]).isEmpty || event.error != nil else { return nil }
        var merged = metadata
        merged.merge(provided) { _, provided in provided }
        if let explicit = event.metadata { merged.merge(explicit) { _, explicit in explicit } }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        return merged
    }

    /// `key=value` pairs sorted by key, or nil when there are none.
    private static func prettify(_ metadata: Logger.Metadata) -> String? {
        switch metadata.count {
        case 0: return nil
        case 1: return metadata.first.map { "\($0.key)=\($0.value)" }
        default: return metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
    }
}

/// The local time text of log lines (`2026-12-01T05:00:00+0000`), made once per second.
enum LogTime {
    private static let current = Mutex<(second: Int, text: String)>((-1, ""))

    /// The text of now.
    static func text() -> String { text(at: time(nil)) }

    /// The text of `second` (seconds since the epoch), reusing the last one made when it is the same second.
    static func text(at second: time_t) -> String {
        if let kept = current.withLock({ $0.second == second ? $0.text : nil }) { return kept }
        let made = format(second)
        current.withLock { $0 = (second, made) }
        return made
    }

    /// `strftime`'s `%Y-%m-%dT%H:%M:%S%z` of `second` in the local time zone.
    static func format(_ second: time_t) -> String {
        var clock = second
        var local = tm()
        guard localtime_r(&clock, &local) != nil else { return "<unknown>" }
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
