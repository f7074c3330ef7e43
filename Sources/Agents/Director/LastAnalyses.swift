import Foundation
import Instrumentation
import Synchronization
import WireFormat
import WireProtocol

/// The analyst's last report per symbol, as it came. A report that says it holds until the
/// symbol's next tick (`holds_until_tick`) is taken for the symbol's signals until a tick of the
/// symbol comes (`forget`), at most `reusedFor` after it came, without asking the analyst again
/// (`reusable`). Between two of a symbol's ticks the QuantAnalyst answers every `analyze` of it
/// with the same report, byte for byte; of an analyst whose reports say nothing of the kind, a
/// cycle may ask its assessment with the last one while its own analysis is on its way
/// (`SignalCycle.analyzeOverlapping`), and use that verdict only when its analysis came with the
/// same bytes.
///
/// A report is kept only when no tick of its symbol came while it was asked (`keep` is given the
/// symbol's tick count read as the request left): one answered just before the analyst took a
/// tick that reached the director first would otherwise stand after that tick. A director that
/// stops seeing a symbol's ticks asks again at least every `reusedFor`.
///
/// One report per symbol the director trades and one count per symbol ticked, both bounded by
/// the market's symbols.
final class LastAnalyses: Sendable {
    private struct State {
        var reports: [String: (report: Envelope<AnalysisReport>, keptAt: Int64)] = [:]
        var ticks: [String: UInt64] = [:]
    }

    private let state = Mutex(State())

    /// How long a report that holds until its symbol's next tick is taken without asking, in
    /// microseconds: the longest a reading may stand should the symbol's ticks stop reaching the
    /// director (the market ticks every 100 ms by default).
    static let reusedFor: Int64 = 250_000

    /// How many ticks of `symbol` have come; read as an `analyze` request leaves.
    func ticks(of symbol: String) -> UInt64 {
        state.withLock { $0.ticks[symbol] ?? 0 }
    }

    /// Keeps `report`, which came at `now`, as its symbol's last, unless a tick of the symbol has
    /// come since its request left (when `ticksAsked` were counted).
    func keep(_ report: Envelope<AnalysisReport>, ticksAsked: UInt64, at now: Int64) {
        state.withLock { state in
            let symbol = report.payload.symbol
            guard (state.ticks[symbol] ?? 0) == ticksAsked else { return }
            state.reports[symbol] = (report, now)
        }
    }

    /// A tick of `symbol` came: its last report is no longer taken to stand for the next.
    func forget(_ symbol: String) {
        state.withLock { state in
            state.ticks[symbol, default: 0] &+= 1
            state.reports[symbol] = nil
        }
    }

    /// The last report kept for `symbol` since its last tick; nil when none was.
    func last(for symbol: String) -> Envelope<AnalysisReport>? {
        state.withLock { $0.reports[symbol]?.report }
    }

    /// The last report of `symbol`, at `now`, when it holds until the symbol's next tick (none
    /// has come since) and came less than `reusedFor` ago; nil otherwise.
    func reusable(for symbol: String, at now: Int64) -> Envelope<AnalysisReport>? {
        state.withLock { state in
            guard let kept = state.reports[symbol], kept.report.payload.holdsUntilTick == true,
                  now - kept.keptAt < Self.reusedFor else { return nil }
            return kept.report
        }
    }

    /// The bytes an `assess` request carries for `report`: the analyst's own, as they came, or
    /// (for a report that came as a built value, in one process) the report written.
    static func bytes(of report: Envelope<AnalysisReport>) -> Data? {
        report.receivedPayload.json ?? report.payload.writtenFastJSON()
    }
}

extension LastAnalyses {
    /// Counts the signals whose analysis was the symbol's last report, taken without asking.
    static let reusedMetric = "hedgebus_director_analyses_reused_total"

    static let reused = Instruments.counter(reusedMetric)
}

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
