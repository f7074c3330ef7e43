/// The unit of a replay file's timestamp column.
public enum ReplayTimeUnit: String, Sendable, Hashable, Codable, CaseIterable {
    case seconds, milliseconds, microseconds

    var microsPerUnit: Double {
        switch self {
        case .seconds: 1_000_000
        case .milliseconds: 1_000
        case .microseconds: 1
        }
    }
}

/// Parses recorded ticks from CSV text, without touching files.
///
/// A header row is required and names the columns in any order, case-insensitively:
/// `timestamp`, `bid` and `ask`, optionally `last` and `volume` (a row may leave those
/// two empty). Blank lines are skipped. The first bad row stops the parse with a
/// `invalid_replay_data` error naming its line: a wrong field count, a value that is not
/// a number, a non-positive price or negative volume, a crossed quote (bid above ask) or
/// a timestamp not after the previous row's.
public enum ReplayCSV {
    static let required = ["timestamp", "bid", "ask"]
    static let optional = ["last", "volume"]

    /// The ticks of `text`, oldest first; timestamps are read in `timeUnit` and may carry
    /// a fraction (seconds such as 1700000000.25).
    public static func parse(_ text: String, timeUnit: ReplayTimeUnit = .microseconds) throws(TradingError) -> [ReplayTick] {
        // Spreadsheets often save a byte-order mark, which would otherwise spoil "timestamp".
        let body = text.hasPrefix("\u{FEFF}") ? text.dropFirst() : Substring(text)
        let lines = body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var rows = lines.enumerated().lazy
            .map { (number: $0.offset + 1, fields: $0.element.split(separator: ",", omittingEmptySubsequences: false).map(trimmed)) }
            .filter { !($0.fields.count == 1 && $0.fields[0].isEmpty) }
            .makeIterator()
        guard let header = rows.next() else { throw failure(1, "the file is empty; a header naming timestamp, bid and ask is required") }
        let columns = try columnIndex(header.fields, line: header.number)
        var ticks: [ReplayTick] = []
        while let row = rows.next() {
            let tick = try parseRow(row.fields, line: row.number, columns: columns, unit: timeUnit)
            if let previous = ticks.last, tick.timestampMicros <= previous.timestampMicros {
                throw failure(row.number, "timestamp \(row.fields[columns["timestamp"]!]) is not after the previous row's; "
                    + "rows must be in strictly increasing time")
            }
            ticks.append(tick)
        }
        guard !ticks.isEmpty else { throw failure(header.number, "the header is not followed by any data rows") }
        return ticks
    }

    private static func columnIndex(_ names: [String], line: Int) throws(TradingError) -> [String: Int] {
        var index: [String: Int] = [:]
        for (position, raw) in names.enumerated() {
            let name = raw.lowercased()
            guard required.contains(name) || optional.contains(name) else {
                throw failure(line, "unknown column \"\(raw)\"; columns are timestamp, bid, ask and optionally last, volume")
            }
            guard index.updateValue(position, forKey: name) == nil else { throw failure(line, "column \(name) appears twice") }
        }
        let missing = required.filter { index[$0] == nil }
        guard missing.isEmpty else {
            throw failure(line, "header must name timestamp, bid and ask; missing \(missing.joined(separator: ", "))")
        }
        return index
    }

    private static func parseRow(
        _ fields: [String], line: Int, columns: [String: Int], unit: ReplayTimeUnit
    ) throws(TradingError) -> ReplayTick {
        guard fields.count == columns.count else {
            throw failure(line, "expected \(columns.count) fields as in the header, found \(fields.count)")
        }
        let time = try timestamp(fields[columns["timestamp"]!], line: line, unit: unit)
        let bid = try price(fields[columns["bid"]!], "bid", line: line)
        let ask = try price(fields[columns["ask"]!], "ask", line: line)
        guard bid <= ask else { throw failure(line, "crossed quote: bid \(bid) is above ask \(ask)") }
        let last = try columns["last"].flatMap { fields[$0].isEmpty ? nil : $0 }.map { (i: Int) throws(TradingError) in
            try price(fields[i], "last", line: line)
        }
        let volume = try columns["volume"].flatMap { fields[$0].isEmpty ? nil : $0 }.map { (i: Int) throws(TradingError) in
            let value = try number(fields[i], "volume", line: line)
            guard value >= 0 else { throw failure(line, "volume must not be negative, got \(fields[i])") }
            return value
        }
        return ReplayTick(timestampMicros: time, bid: bid, ask: ask, last: last, volume: volume)
    }

    private static func timestamp(_ field: String, line: Int, unit: ReplayTimeUnit) throws(TradingError) -> Int64 {
        // Whole microseconds parse exactly; a Double would round beyond 2^53.
        if unit == .microseconds, let whole = Int64(field) { return whole }
        let micros = (try number(field, "timestamp", line: line) * unit.microsPerUnit).rounded()
        guard micros.magnitude < 9.2e18 else { throw failure(line, "timestamp \(field) is out of range") }
        return Int64(micros)
    }

    private static func price(_ field: String, _ name: String, line: Int) throws(TradingError) -> Double {
        let value = try number(field, name, line: line)
        guard value > 0 else { throw failure(line, "\(name) must be positive, got \(field)") }
        return value
    }

    private static func number(_ field: String, _ name: String, line: Int) throws(TradingError) -> Double {
        guard let value = Double(field), value.isFinite else {
            throw failure(line, "\(name) \"\(field)\" is not a finite number")
        }
        return value
    }

    private static func trimmed(_ field: Substring) -> String {
        let start = field.drop(while: \.isWhitespace)
        guard let end = start.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(start[...end])
    }

    private static func failure(_ line: Int, _ message: String) -> TradingError {
        TradingError(.invalidReplayData, "line \(line): \(message)")
    }
}
