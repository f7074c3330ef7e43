import Foundation
import Synchronization
import WireFormat
import WireProtocol

/// A signal's analysis asked for ahead of its cycle: while the signal before it in its symbol's
/// lane is assessed and executed (`SymbolLanes`' preparation, for a signal already waiting when
/// that one started or coming while it runs), the analyst already answers for this one, so a
/// symbol's queued signals do not wait for an analysis each on top of the cycle before.
/// The analysis depends only on the analyst's prices, never on what the earlier signal did. The
/// assessment, which reads the account the earlier order changed, may be asked ahead too once
/// that order has been sent (`SignalCycle.assessAhead`): the RiskManager then judges the account
/// with the order in, and the cycle uses that verdict only if it saw the account at every
/// version the director has seen since.
///
/// Filled at most once by the preparation and taken once by the cycle, which asks the analyst
/// (and the RiskManager) itself when nothing was asked ahead.
final class AnalysisAhead: Sendable {
    private let answer = Mutex<Result<Envelope<AnalysisReport>, ProtocolError>?>(nil)
    private let assessment = Mutex<AheadAssessment?>(nil)

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

    /// Keeps the verdict the RiskManager gave ahead.
    func keep(_ assessed: AheadAssessment) {
        assessment.withLock { $0 = assessed }
    }

    /// The verdict given ahead, once; nil when none was asked ahead or it did not come.
    func takeAssessment() -> AheadAssessment? {
        assessment.withLock { kept in
            defer { kept = nil }
            return kept
        }
    }
}

/// An assessment asked ahead of its cycle (`SignalCycle.assessAhead`): the request as sent (its
/// analysis written once, for the order's record too) and the RiskManager's verdict.
struct AheadAssessment: Sendable {
    /// The request, with its `after_order` and the versions the director had seen then.
    let ask: AssessRequest
    /// The analysis as the request carried it, for the order's record.
    let writtenAnalysis: Data?
    /// The verdict.
    let assessed: Envelope<RiskVerdict>
}

/// Whether the verdicts asked ahead come, in the venue epoch of now: once one has been used in
/// an epoch, the venue's account events name their orders and a verdict still on its way when
/// the earlier order's report is in is waited for; until then (a venue whose events name no
/// orders, or a new run of the venue) it is waited for only `SignalCycle.aheadGrace`.
final class AheadVerdicts: Sendable {
    private let epoch = Mutex<String?>(nil)

    /// None used yet.
    init() {}

    /// A verdict asked ahead was used in `epoch`.
    func used(in epoch: String?) {
        guard let epoch else { return }
        self.epoch.withLock { $0 = epoch }
    }

    /// Whether one was used in `epoch`.
    func come(in epoch: String?) -> Bool {
        guard let epoch else { return false }
        return self.epoch.withLock { $0 == epoch }
    }
}
