import Foundation
import Instrumentation
import Synchronization
import WireFormat
import WireProtocol

/// Whether assessments asked with the last report are used: once fewer than `usedAtLeast` of the
/// last `window` were (an analyst whose reports differ at every request, or replicas behind a
/// broker whose readings differ, which would have the RiskManager judge most signals twice),
/// only one signal in `trialEvery` asks with the last report, until the window shows enough used
/// again.
final class OverlapHistory: Sendable {
    /// How many of the latest outcomes are weighed.
    static let window = 16
    /// How many of them must have been used for every idle lane's signal to ask with the last report.
    static let usedAtLeast = 12
    /// While paused, one signal in this many still asks with the last report.
    static let trialEvery = 16

    /// The latest outcomes, newest in the lowest bit (1: used), how many were recorded (up to
    /// `window`), and the signals passed over since the last trial.
    private let state = Mutex<(used: UInt16, recorded: Int, passedOver: Int)>((0, 0, 0))

    /// Whether the next signal whose lane is idle asks its assessment with the last report.
    func shouldOverlap() -> Bool {
        state.withLock { state in
            guard state.recorded == Self.window, state.used.nonzeroBitCount < Self.usedAtLeast else { return true }
            state.passedOver += 1
            guard state.passedOver >= Self.trialEvery else { return false }
            state.passedOver = 0
            return true
        }
    }

    /// What became of a verdict asked with the last report.
    func record(used: Bool) {
        state.withLock { state in
            state.used = state.used << 1 | (used ? 1 : 0)
            state.recorded = min(state.recorded + 1, Self.window)
        }
    }
}

/// An assessment asked while its cycle's analysis was on its way (`SignalCycle.analyzeOverlapping`)
/// and kept because that analysis came with the bytes it was asked with.
struct OverlappedAssessment: Sendable {
    /// The analysis as the request carried it, for the order's record.
    let writtenAnalysis: Data
    /// The RiskManager's verdict, or why there is none.
    let assessed: Result<Envelope<RiskVerdict>, ProtocolError>
}

extension OverlappedAssessment {
    /// Counts assessments asked while their cycle's analysis was on its way, by `outcome`:
    /// `used` (the analysis came with the bytes the request carried), or `given_up` (it came
    /// otherwise, or not at all, or the venue restarted meanwhile; the cycle asked again when it
    /// still needed a verdict).
    static let metric = "hedgebus_director_overlapped_assessments_total"

    static let used = Instruments.counter(metric, [("outcome", "used")])
    static let givenUp = Instruments.counter(metric, [("outcome", "given_up")])
}
