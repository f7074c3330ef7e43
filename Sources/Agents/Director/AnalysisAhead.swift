import Synchronization
import WireFormat
import WireProtocol

/// A signal's analysis asked for ahead of its cycle: while the signal before it in its symbol's
/// lane is assessed and executed (`SymbolLanes`' preparation, for a signal already waiting when
/// that one started), the analyst already answers for this one, so a symbol's queued signals do
/// not wait for an analysis each on top of the cycle before.
/// The analysis depends only on the analyst's prices, never on what the earlier signal did; the
/// assessment, which reads the account the earlier order changed, still waits for it.
///
/// Filled at most once by the preparation and taken once by the cycle, which asks the analyst
/// itself when nothing was asked ahead.
final class AnalysisAhead: Sendable {
    private let answer = Mutex<Result<Envelope<AnalysisReport>, ProtocolError>?>(nil)

    /// Keeps what the analyst answered (or why it could not).
    func keep(_ answered: Result<Envelope<AnalysisReport>, ProtocolError>) {
        answer.withLock { $0 = answered }
    }

    /// What was answered ahead, once; nil when nothing was asked ahead.
    func take() -> Result<Envelope<AnalysisReport>, ProtocolError>? {
        answer.withLock { kept in
            defer { kept = nil }
            return kept
        }
    }
}
