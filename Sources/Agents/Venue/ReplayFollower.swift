import Foundation
import Trading

/// A tick CSV read as it grows, like `tail -f`: each step yields the next row not yet
/// replayed, reading rows appended since the last look. Lets an external recorder (or a
/// test) feed the venue one tick at a time; while nothing new has arrived the last quote
/// stays in force.
struct ReplayFollower: Sendable {
    let path: String
    private var offset: UInt64 = 0
    private var header: String?
    private var pending: [ReplayTick] = []
    private var lastTimestamp: Int64?
    /// Rows that could not be read since the last call to `takeProblems`, with why.
    private var problems: [String] = []

    /// Follows `path` from its beginning.
    init(path: String) { self.path = path }

    /// The next appended row's quote, nil while there is none.
    mutating func next() -> MarketQuote? {
        if pending.isEmpty { readAppended() }
        guard !pending.isEmpty else { return nil }
        return pending.removeFirst().quote
    }

    /// What went wrong reading rows, once each.
    mutating func takeProblems() -> [String] {
        defer { problems.removeAll() }
        return problems
    }

    /// Reads complete lines appended since the last read; a line still being written (no
    /// newline yet) waits for the next look.
    private mutating func readAppended() {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            problems.append("cannot open \(path)")
            return
        }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: offset)) != nil, let data = try? handle.readToEnd(), !data.isEmpty,
              let lastNewline = data.lastIndex(of: UInt8(ascii: "\n")) else { return }
        let complete = data[data.startIndex...lastNewline]
        offset += UInt64(complete.count)
        for line in String(decoding: complete, as: UTF8.self).split(whereSeparator: \.isNewline) where !line.isEmpty {
            guard let header else {
                self.header = String(line)
                continue
            }
            do {
                // Each row is parsed under the header, so one bad row costs only itself.
                guard let tick = try ReplayCSV.parse(header + "\n" + line).first else { continue }
                if let last = lastTimestamp, tick.timestampMicros <= last {
                    problems.append("\(path): row \(line) is not after the previous row's timestamp; skipped")
                    continue
                }
                lastTimestamp = tick.timestampMicros
                pending.append(tick)
            } catch {
                problems.append("\(path): row \(line): \(error); skipped")
            }
        }
    }
}
