import Synchronization
import WireProtocol

/// The newest account version the director has seen per account in the venue's order reports
/// (entries and exits), sent with each `assess` so the RiskManager judges an account that
/// includes every order the director has been told of (read-your-writes).
public final class AccountVersions: Sendable {
    /// One account's newest version and the venue run it counts in.
    public struct Seen: Sendable, Hashable {
        /// The venue's epoch.
        public var epoch: String
        /// The account's version in that epoch.
        public var version: UInt64
    }

    private let seen = Mutex<[String: Seen]>([:])

    /// Nothing seen yet.
    public init() {}

    /// Takes the version an order report carries. A new epoch (the venue restarted) replaces
    /// what was seen; within an epoch the higher version wins.
    public func saw(_ report: OrderReport) {
        guard let epoch = report.venueEpoch, let version = report.accountVersion else { return }
        seen.withLock { seen in
            if let known = seen[report.account], known.epoch == epoch, known.version >= version { return }
            seen[report.account] = Seen(epoch: epoch, version: version)
        }
    }

    /// The newest version seen for `account`; nil when none was.
    public func latest(for account: String) -> Seen? { seen.withLock { $0[account] } }
}
