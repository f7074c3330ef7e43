import Foundation
import Logging
import Synchronization

/// Logs refusals (unlisted keys, unauthorized requests and publications) at most once a second
/// per kind, saying how many went unlogged since, so a hostile peer cannot flood the log.
public final class RefusalLog: Sendable {
    private let logger: Logger
    private let state = Mutex<[String: (last: ContinuousClock.Instant, unlogged: Int)]>([:])

    /// A log writing through a logger labelled `label`.
    public init(label: String) { logger = Logger(label: label) }

    /// Logs `line` unless a line of the same `key` was logged less than a second ago.
    public func record(_ line: String, key: String) {
        let now = ContinuousClock.now
        let unlogged: Int? = state.withLock { entries in
            if let entry = entries[key], now - entry.last < .seconds(1) {
                entries[key] = (entry.last, entry.unlogged + 1)
                return nil
            }
            let before = entries[key]?.unlogged ?? 0
            entries[key] = (now, 0)
            return before
        }
        guard let unlogged else { return }
        let more = unlogged > 0 ? " (and \(unlogged) more like it since the last line)" : ""
        logger.warning("\(line)\(more)")
    }
}
