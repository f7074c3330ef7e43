import Foundation
import Synchronization

/// A scripted market: one growing replay CSV per symbol (`timestamp,bid,ask`), for a
/// MarketMaker started with `"replay": …, "replay_follow": true`, which takes one appended
/// row per tick and holds the last quote while none is pending. Rows are written as whole
/// lines, quoted at mid ∓ `halfSpread`, with timestamps strictly increasing.
public final class ReplayScript: Sendable {
    /// The folder holding the files.
    public let directory: String
    /// Distance from mid to bid and to ask.
    public let halfSpread: Double
    private let clock = Mutex<Int64>(1_700_000_000_000_000)

    /// Creates one file per symbol, each holding the header and the row at its opening mid
    /// (the quote the MarketMaker opens with at start-up).
    public init(opening: [String: Double], halfSpread: Double = 0.01) throws {
        directory = NSTemporaryDirectory() + "hedgebus-replay-\(UUID().uuidString.prefix(8))"
        self.halfSpread = halfSpread
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (symbol, mid) in opening {
            _ = FileManager.default.createFile(atPath: path(of: symbol), contents: Data("timestamp,bid,ask\n".utf8))
            try append(symbol, mids: [mid])
        }
    }

    /// The replay file of `symbol`.
    public func path(of symbol: String) -> String { "\(directory)/\(symbol).csv" }

    /// Appends one row per mid, in one write.
    public func append(_ symbol: String, mids: [Double]) throws {
        let lines = mids.map { mid in
            let time = clock.withLock { now in
                now += 1_000
                return now
            }
            return "\(time),\(Self.decimal(mid - halfSpread)),\(Self.decimal(mid + halfSpread))\n"
        }
        guard let handle = FileHandle(forWritingAtPath: path(of: symbol)) else {
            throw TestFailure("cannot open \(path(of: symbol)) for appending")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(lines.joined().utf8))
    }

    /// `count` mids alternating between `low + step` and `low`, ending on `low`: bars whose
    /// every true range is `step`, so Wilder's ATR of them is `step`.
    public static func alternation(low: Double, step: Double, count: Int) -> [Double] {
        (0..<count).map { index in (count - 1 - index).isMultiple(of: 2) ? low : low + step }
    }

    /// A `market.symbols` entry replaying `symbol`'s file as it grows.
    public func symbolEntry(_ symbol: String, tickSize: Double = 0.01) -> String {
        #"{ "symbol": "\#(symbol)", "tick_size": \#(tickSize), "replay": "\#(path(of: symbol))", "replay_follow": true }"#
    }

    /// Removes the files.
    public func remove() { try? FileManager.default.removeItem(atPath: directory) }

    private static func decimal(_ value: Double) -> String { String(format: "%.2f", value) }
}

/// Polls `probe` every `interval` until it returns a value, or throws after `timeout`: for
/// a condition that only a request can observe (no event announces it).
public func eventually<T: Sendable>(_ what: String, timeout: Duration, interval: Duration = .milliseconds(50),
                                    _ probe: () async throws -> T?) async throws -> T {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while true {
        if let value = try? await probe() { return value }
        guard ContinuousClock.now < deadline else { throw TestFailure("\(what): not within \(timeout)") }
        try await Task.sleep(for: interval)
    }
}
