import Foundation

/// One change to the TradingDirector's durable records. Payloads are the wire JSON of the
/// director's own types; the store keeps them as they are.
public enum DirectorChange: Sendable, Hashable {
    /// A signal was accepted: it will end in one decision, even across a restart.
    case accepted(signalId: String, symbol: String, receivedUs: Int64, envelope: Data)
    /// The signal's order is about to be sent, with this analysis and verdict.
    case executing(signalId: String, step: Data)
    /// The signal's decision, recorded before it is published.
    case decided(signalId: String, decision: Data)
    /// A watched position's current state (opened, exit sent, exit booked).
    case position(openingSignalId: String, symbol: String, state: Data)
    /// A position no longer watched (closed, or gone from the venue).
    case positionClosed(openingSignalId: String)
}

/// What a restarted TradingDirector reads back from its store.
public struct DirectorRecords: Sendable {
    /// A signal accepted but not decided when the director stopped.
    public struct PendingSignal: Sendable, Hashable {
        /// The signal's id.
        public var signalId: String
        /// Its symbol.
        public var symbol: String
        /// When the director received it, microseconds since the epoch.
        public var receivedUs: Int64
        /// The signal envelope as received.
        public var envelope: Data
        /// The analysis and verdict its order was sent with, if it got that far.
        public var step: Data?
    }

    /// Undecided signals, oldest first.
    public var pending: [PendingSignal] = []
    /// Ids of the newest decided signals, oldest first: a signal re-sent after its decision
    /// must not be traded again.
    public var decidedIds: [String] = []
    /// The recorded state of each watched position, by opening signal id.
    public var positions: [(openingSignalId: String, state: Data)] = []

    /// Empty records (a first start).
    public init() {}
}
