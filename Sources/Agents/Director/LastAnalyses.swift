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
