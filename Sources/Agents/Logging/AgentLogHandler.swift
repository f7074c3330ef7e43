import Foundation
import Logging
import Synchronization
import Trading
import WireFormat

/// The agents' log handler: the line `StreamLogHandler` writes (`<time> <level> <label>:
/// <metadata> [<source>] <message>`, metadata sorted by key), made at less cost per line. The
/// time text is made once a second and shared, where `StreamLogHandler` calls `localtime` for
/// every line (with `TZ` unset, glibc then stats `/etc/localtime` each time); the line is written
/// as bytes into its output's buffer (`LogLineOutput`), with its urgency taken from its level,
/// not read back from the text. An agent's composed line comes as its bytes
/// (`writeComposed`). An agent writes a line or two per message it handles, so the line's cost
/// is on the cycle's path (docs/PERFORMANCE.md, changes 104, 152 and 153).
package struct AgentLogHandler: LogHandler {
    private let label: String
    private let output: any LogLineOutput
    package var logLevel: Logger.Level
    package var metadataProvider: Logger.MetadataProvider?
    private var prettyMetadata: String?
    package var metadata = Logger.Metadata() {
        didSet { prettyMetadata = Self.prettify(metadata) }
    }

    package init(label: String, output: any LogLineOutput, level: Logger.Level,
                 metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider) {
        self.label = label
        self.output = output
        logLevel = level
        self.metadataProvider = metadataProvider
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes the line straight into the output's pending bytes, so no `String` is made for
    /// it. The event's metadata is merged only when the handler, a provider or an error adds
    /// some too.
    package func log(event: LogEvent) {
        let extra = effectiveMetadata(event)
        let time = LogTime.text()
        let (source, message) = (event.source, event.message.description)
        output.write(urgent: event.level >= .warning) { line in
            appendHead(time, event.level, to: line)
            if let extra {
                line.append(UInt8(ascii: " "))
                Self.appendPairs(extra, to: line)
            } else if let prettyMetadata {
                line.append(UInt8(ascii: " "))
                line.append(prettyMetadata)
            }
            Self.appendSource(source, to: line)
            line.append(message)
            line.append(UInt8(ascii: "\n"))
        }
    }

    /// The line `log(event:)` writes for an event of `level` from `source` whose message is
    /// `text` and whose only metadata is `traceId`'s, when the handler has no metadata to merge
    /// it with: written from the text's bytes.
    package func writeComposed(_ text: ComposedText, level: Logger.Level, traceId: String?, source: String) -> Bool {
        guard metadata.isEmpty, metadataProvider == nil else { return false }
        let time = LogTime.text()
        output.write(urgent: level >= .warning) { line in
            appendHead(time, level, to: line)
            if let traceId {
                line.append(UInt8(ascii: " "))
                Self.appendPair("trace_id", .string(traceId), to: line)
            }
            Self.appendSource(source, to: line)
            text.withUTF8 { line.append($0) }
            line.append(UInt8(ascii: "\n"))
        }
        return true
    }

    /// `<time> <level> <label>:`, the label left out when empty.
    private func appendHead(_ time: String, _ level: Logger.Level, to line: ByteBuffer) {
        line.append(time)
        line.append(UInt8(ascii: " "))
        line.append(level.rawValue)
        if !label.isEmpty {
            line.append(UInt8(ascii: " "))
            line.append(label)
        }
        line.append(UInt8(ascii: ":"))
    }

    /// ` [<source>] `, before the message.
    private static func appendSource(_ source: String, to line: ByteBuffer) {
        line.append(UInt8(ascii: " "))
        line.append(UInt8(ascii: "["))
        line.append(source)
        line.append(UInt8(ascii: "]"))
        line.append(UInt8(ascii: " "))
    }

    /// The metadata the event's line shows when it is not the handler's own: the event's (and
    /// the provider's, and its error's) over the handler's; nil when the event adds nothing (the
    /// handler's own text is kept ready for that).
    private func effectiveMetadata(_ event: LogEvent) -> Logger.Metadata? {
        let provided = metadataProvider?.get() ?? [:]
        let explicit = event.metadata ?? [:]
        guard !provided.isEmpty || !explicit.isEmpty || event.error != nil else { return nil }
        // The usual line: a trace id of its own, nothing else to merge it with.
        if metadata.isEmpty && provided.isEmpty && event.error == nil { return explicit }
        var merged = metadata
        merged.merge(provided) { _, provided in provided }
        merged.merge(explicit) { _, explicit in explicit }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        return merged
    }

    /// `key=value` pairs sorted by key, or nil when there are none.
    private static func prettify(_ metadata: Logger.Metadata) -> String? {
        guard !metadata.isEmpty else { return nil }
        let text = ByteBuffer(capacity: 64)
        appendPairs(metadata, to: text)
        return String(decoding: text.bytes(from: 0, count: text.written), as: UTF8.self)
    }

    /// Appends `metadata`'s `key=value` pairs sorted by key, separated by spaces.
    private static func appendPairs(_ metadata: Logger.Metadata, to line: ByteBuffer) {
        if metadata.count == 1, let only = metadata.first {
            return appendPair(only.key, only.value, to: line)
        }
        for (index, pair) in metadata.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { line.append(UInt8(ascii: " ")) }
            appendPair(pair.key, pair.value, to: line)
        }
    }

    private static func appendPair(_ key: String, _ value: Logger.MetadataValue, to line: ByteBuffer) {
        line.append(key)
        line.append(UInt8(ascii: "="))
        if case .string(let text) = value {
            line.append(text)
        } else {
            line.append(value.description)
        }
    }
}

/// The local time text of log lines (`2026-12-01T05:00:00+0000`), made once per second.
package enum LogTime {
    private static let current = Mutex<(second: Int, text: String)>((-1, ""))

    /// The text of now.
    package static func text() -> String { text(at: time(nil)) }

    /// The text of `second` (seconds since the epoch), reusing the last one made when it is the same second.
    package static func text(at second: time_t) -> String {
        if let kept = current.withLock({ $0.second == second ? $0.text : nil }) { return kept }
        let made = format(second)
        current.withLock { $0 = (second, made) }
        return made
    }

    /// `strftime`'s `%Y-%m-%dT%H:%M:%S%z` of `second` in the local time zone.
    package static func format(_ second: time_t) -> String {
        var clock = second
        var local = tm()
        guard localtime_r(&clock, &local) != nil else { return "<unknown>" }
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
