import Foundation
import Configuration
import Ledger
import Trading
import WireFormat
import WireProtocol

/// One signal's trip through the pipeline: analyze → (contradiction check) → assess → execute,
/// ending in exactly one decision. Every failure becomes a `failed` decision naming the step. The
/// one exception: a director that stops while its order is in doubt leaves the signal to the
/// next start, which sends the order again and decides it (`execute`).
public struct SignalCycle: Sendable {
    let analyst: any RequestSending
    let risk: any RequestSending
    let execution: any RequestSending
    let settings: DirectorSection
    /// Takes the positions that entries open, to watch them for their exits.
    let watcher: PositionWatcher
    /// Records the trades an entry closes by netting against opposite positions.
    let recorder: any AnalyticsRecording
    /// Runs work that no reply or decision waits for once what is under way has left (the
    /// director's `afterPendingSends`): the recording of the trades an entry closed follows
    /// its decision's publication.
    let afterSends: @Sendable (@escaping @Sendable () -> Void) -> Void
    let time: any TimeSource
    /// Where the analysis and verdict an order is sent with are recorded before it leaves.
    let journal: DirectorJournal?
    /// The newest account versions the venue's reports carried, sent with each assessment.
    let versions: AccountVersions
    /// Whether verdicts asked ahead come in the venue's current epoch.
    let aheadVerdicts = AheadVerdicts()
    /// The analyst's last report per symbol: taken for the symbol's next signals when it holds
    /// until the symbol's next tick, or (with `overlapsAssessment`) asked with for their
    /// assessment while their own analysis is on its way.
    let lastAnalyses = LastAnalyses()
    /// Whether a cycle that asks its own analysis asks its assessment at the same time, with
    /// the symbol's last report (`analyzeOverlapping`): worth it where the analyst and the
    /// RiskManager are processes of their own, which then work at once.
    let overlapsAssessment: Bool
    /// Whether those verdicts are used, to pause asking with the last report when they are not.
    let overlapHistory = OverlapHistory()

    /// A cycle asking `analyst`, `risk` and `execution` in turn, for the director's `settings`;
    /// with a `journal`, an order is sent only once what it was sent with is on disk. With
    /// `overlapsAssessment`, a cycle asks its assessment while its analysis is on its way, when
    /// the symbol's last report can stand for it. `afterSends` runs the recording of closed trades
    /// (at once by default).
    public init(analyst: any RequestSending, risk: any RequestSending, execution: any RequestSending, settings: DirectorSection,
                watcher: PositionWatcher, recorder: any AnalyticsRecording, time: any TimeSource, journal: DirectorJournal? = nil,
                versions: AccountVersions = AccountVersions(), overlapsAssessment: Bool = false,
                afterSends: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void = { $0() }) {
        self.afterSends = afterSends
        self.overlapsAssessment = overlapsAssessment
        self.analyst = analyst
        self.risk = risk
        self.execution = execution
        self.settings = settings
        self.watcher = watcher
        self.recorder = recorder
        self.time = time
        self.journal = journal
        self.versions = versions
    }

    /// A decision on `signal` that ends it at `stage` without a cycle (expired, queue full).
    static func decision(for signal: Envelope<SignalPayload>, _ outcome: DecisionOutcome, stage: String, latencyUs: Int64,
                         _ reason: String) -> DecisionPayload {
        DecisionPayload(signalId: signal.id, symbol: signal.payload.symbol, side: signal.payload.side, outcome: outcome,
                        reason: reason, stage: stage, latencyUs: latencyUs)
    }

    /// The analysis of `signal`: the cycle's first step, which depends on nothing an earlier
    /// signal did, so it may be asked ahead of the rest (`AnalysisAhead`). The symbol's last
    /// report when it holds until the symbol's next tick and none has come (`LastAnalyses`);
    /// otherwise the analyst's answer.
    func analyze(_ signal: Envelope<SignalPayload>) async -> Result<Envelope<AnalysisReport>, ProtocolError> {
        if let reused = reusedAnalysis(of: signal) { return .success(reused) }
        return await askAnalysis(of: signal)
    }

    /// The symbol's last report, counted, when it can be taken for `signal` without asking.
    private func reusedAnalysis(of signal: Envelope<SignalPayload>) -> Envelope<AnalysisReport>? {
        guard let reused = lastAnalyses.reusable(for: signal.payload.symbol, at: time.nowMicros()) else { return nil }
        LastAnalyses.reused.increment()
        return reused
    }

    /// Asks the analyst about `signal`, and keeps the report as the symbol's last where a later
    /// signal may take it or ask its assessment with it.
    private func askAnalysis(of signal: Envelope<SignalPayload>) async -> Result<Envelope<AnalysisReport>, ProtocolError> {
        let symbol = signal.payload.symbol
        let ticksAsked = lastAnalyses.ticks(of: symbol)
        do {
            let report = try await analyst.request(AnalyzeRequest(symbol: symbol, side: signal.payload.side),
                                                   trace: TraceContext.caused(by: signal))
            if overlapsAssessment || report.payload.holdsUntilTick == true {
                lastAnalyses.keep(report, ticksAsked: ticksAsked, at: time.nowMicros())
            }
            return .success(report)
        } catch {
            return .failure(error)
        }
    }

    /// The analysis of `signal` (`analyze`) and, where the analyst must be asked, with
    /// `overlapsAssessment` and a last report of the symbol that does not contradict the signal,
    /// the RiskManager at the same time, with that report. The verdict is kept only when the
    /// analysis came with the report's bytes (the request then was the one the cycle would have
    /// sent after it) in the venue epoch the request named; otherwise its request is given up
    /// and the cycle asks again (and where most are given up, `OverlapHistory` pauses asking
    /// with the last report). Account versions seen meanwhile come from other symbols' orders,
    /// as concurrent with this assessment as the orders still in flight are with any (see
    /// `stands`).
    private func analyzeOverlapping(_ signal: Envelope<SignalPayload>) async
        -> (analyzed: Result<Envelope<AnalysisReport>, ProtocolError>, overlapped: OverlappedAssessment?) {
        if let reused = reusedAnalysis(of: signal) { return (.success(reused), nil) }
        guard overlapsAssessment, let last = lastAnalyses.last(for: signal.payload.symbol), !contradicts(last.payload, signal.payload),
              overlapHistory.shouldOverlap() else {
            return (await askAnalysis(of: signal), nil)
        }
        let (ask, written) = assessRequest(signal, last)
        guard let written else { return (await askAnalysis(of: signal), nil) }
        let risk = risk, trace = TraceContext.caused(by: signal)
        async let verdict: Result<Envelope<RiskVerdict>, ProtocolError> = {
            do throws(ProtocolError) { return .success(try await risk.request(ask, trace: trace)) } catch { return .failure(error) }
        }()
        let analyzed = await askAnalysis(of: signal)
        guard case .success(let report) = analyzed, LastAnalyses.bytes(of: report) == written,
              ask.venueEpoch == versions.latest(for: settings.account)?.epoch else {
            OverlappedAssessment.givenUp.increment()
            overlapHistory.record(used: false)
            return (analyzed, nil)
        }
        OverlappedAssessment.used.increment()
        overlapHistory.record(used: true)
        return (analyzed, OverlappedAssessment(writtenAnalysis: written, assessed: await verdict))
    }

    /// Whether `report` contradicts `signal` strongly enough to reject it before assessing.
    private func contradicts(_ report: AnalysisReport, _ signal: SignalPayload) -> Bool {
        let against: Direction = signal.side == .buy ? .short : .long
        return report.direction == against && report.confidence >= settings.contradictionThreshold
    }

    /// The `assess` request for `signal` with `report`, after the account versions seen so far
    /// (read-your-writes) and, with `afterOrder`, after that order too; its analysis written once
    /// (or taken as `analyzed` came), for the request and the order's record.
    private func assessRequest(_ signal: Envelope<SignalPayload>, _ analyzed: Envelope<AnalysisReport>,
                               afterOrder: String? = nil) -> (ask: AssessRequest, writtenAnalysis: Data?) {
        let order = signal.payload
        let seen = versions.latest(for: settings.account)
        var ask = AssessRequest(symbol: order.symbol, side: order.side, account: settings.account, signalConfidence: order.confidence,
                                analysis: analyzed.payload, afterVersion: seen?.version, venueEpoch: seen?.epoch, afterOrder: afterOrder)
        let writtenAnalysis = ask.writeAnalysis(received: analyzed.receivedPayload.json)
        return (ask, writtenAnalysis)
    }

    /// How long a verdict asked ahead is still waited for once the earlier order's report is in,
    /// until one has come in the venue's epoch (`AheadVerdicts`): the account event that names
    /// the order left the venue with that report, so the verdict is usually on its way; past
    /// this, the cycle asks as it would have without asking ahead (a venue whose events name no
    /// orders leaves the RiskManager nothing to answer on).
    static let aheadGrace: Duration = .milliseconds(5)

    /// Asks the RiskManager about `signal` ahead of its cycle, once the cycle before it in the
    /// lane (`previous`) has sent its order: the request names that order (`after_order`), so
    /// the RiskManager judges the account with it in, as soon as the venue's account event shows
    /// it, while the order's reply is still on its way here. Nil when there is nothing to ask
    /// (no analysis, one that contradicts the signal, no order sent, no account seen yet), when
    /// the earlier order did not fill (the request is then given up: no event will name it), or
    /// when the verdict has not come `aheadGrace` after the earlier cycle ended while none has
    /// come yet in the venue's epoch.
    func assessAhead(_ signal: Envelope<SignalPayload>, analyzed: Envelope<AnalysisReport>, after previous: OrderGate) async -> AheadAssessment? {
        guard !contradicts(analyzed.payload, signal.payload), versions.latest(for: settings.account) != nil,
              case .order(let order) = await previous.sent() else { return nil }
        let (ask, writtenAnalysis) = assessRequest(signal, analyzed, afterOrder: order)
        enum Raced: Sendable {
            case assessed(Envelope<RiskVerdict>?)
            case finished(filled: Bool)
            case late
        }
        let risk = risk
        return await withTaskGroup(of: Raced.self) { group in
            group.addTask { .assessed(try? await risk.request(ask, trace: TraceContext.caused(by: signal))) }
            group.addTask { .finished(filled: await previous.filled()) }
            while let raced = await group.next() {
                switch raced {
                case .assessed(let assessed):
                    group.cancelAll()
                    return assessed.map { AheadAssessment(ask: ask, writtenAnalysis: writtenAnalysis, assessed: $0) }
                case .finished(filled: true):
                    if aheadVerdicts.come(in: ask.venueEpoch) { continue }
                    group.addTask {
                        try? await Task.sleep(for: Self.aheadGrace)
                        return .late
                    }
                case .finished(filled: false), .late:
                    group.cancelAll()
                    return nil
                }
            }
            return nil
        }
    }

    /// Whether a verdict given ahead stands now: the RiskManager judged the account in the venue
    /// epoch the director knows now, with the earlier order in (it said the version only after an
    /// event named the order, whatever the order did) and at every version the director had seen
    /// when it asked. Orders of other symbols reported since are as concurrent with this
    /// assessment as those still in flight are with any assessment.
    private func stands(_ ahead: AheadAssessment) -> Bool {
        guard let judged = ahead.assessed.payload.accountVersion, let seen = versions.latest(for: settings.account) else { return false }
        return ahead.ask.venueEpoch == seen.epoch && judged >= ahead.ask.afterVersion ?? 0
    }

    /// Runs `signal`'s cycle and returns its one decision, with the execution step recorded for
    /// it when its order was sent: the decision was made with that step's analysis and verdict,
    /// so its record takes their bytes (`DirectorRecordCoding.written(_:step:)`). With
    /// `analyzed`, the analyst's answer asked ahead; without, the cycle asks (and may ask its
    /// assessment at the same time, `analyzeOverlapping`). With `assessedAhead`,
    /// the verdict asked ahead, used when it still stands (else the cycle asks). `gate` is told
    /// when the order is about to leave; the caller tells it when the cycle has ended. No decision
    /// when the director stops while the order is in doubt (`execute`).
    func runWritten(_ signal: Envelope<SignalPayload>, analyzed answered: Result<Envelope<AnalysisReport>, ProtocolError>? = nil,
                    assessedAhead: AheadAssessment? = nil, gate: OrderGate? = nil) async -> (decision: DecisionPayload?, step: WrittenStep?) {
        let started = time.nowMicros()
        let trace = TraceContext.caused(by: signal)
        let order = signal.payload
        var stage = "analyze"
        var analysis: AnalysisReport?
        var verdict: RiskVerdict?
        func decide(_ outcome: DecisionOutcome, _ reason: String) -> DecisionPayload {
            DecisionPayload(signalId: signal.id, symbol: order.symbol, side: order.side, outcome: outcome, reason: reason,
                            stage: stage, analysis: analysis, risk: verdict, latencyUs: time.nowMicros() - started)
        }
        do {
            let asked: Result<Envelope<AnalysisReport>, ProtocolError>
            var overlapped: OverlappedAssessment?
            if let answered { asked = answered } else { (asked, overlapped) = await analyzeOverlapping(signal) }
            let analyzed = try asked.get()
            let report = analyzed.payload
            analysis = report
            if contradicts(report, order) {
                return (decide(.rejected, "analysis contradicts the signal: \(report.direction.rawValue) with confidence \(NumberText.fixed(report.confidence, 2)) ≥ \(NumberText.fixed(settings.contradictionThreshold, 2)) (\(report.thesis))"), nil)
            }
            stage = "assess"
            // The analysis written once, for the request and for the order's record, or taken as
            // it came (as the verdict is for the record).
            let assessed: Envelope<RiskVerdict>, writtenAnalysis: Data?
            if let assessedAhead, stands(assessedAhead) {
                aheadVerdicts.used(in: assessedAhead.ask.venueEpoch)
                (assessed, writtenAnalysis) = (assessedAhead.assessed, assessedAhead.writtenAnalysis)
            } else if let overlapped {
                (assessed, writtenAnalysis) = (try overlapped.assessed.get(), overlapped.writtenAnalysis)
            } else {
                let (ask, written) = assessRequest(signal, analyzed)
                (assessed, writtenAnalysis) = (try await risk.request(ask, trace: trace), written)
            }
            let risk = assessed.payload
            verdict = risk
            guard risk.approved else { return (decide(.rejected, "risk: \(risk.reason)"), nil) }
            stage = "execute"
            let step = ExecutionStep(analysis: report, verdict: risk)
            var written: WrittenStep?
            if let journal {
                let record = try DirectorRecordCoding.record(step, writtenAnalysis: writtenAnalysis,
                                                             writtenVerdict: assessed.receivedPayload.json)
                written = record.written
                try await journal.enqueue(.executing(signalId: signal.id, step: record.json)).wait()
            }
            gate?.sending(Self.clientOrderId(of: signal))
            return (await execute(signal, step, started: started), written)
        } catch let error as ProtocolError {
            return (decide(.failed, "\(stage) failed: \(error.message)"), nil)
        } catch {
            return (decide(.failed, "\(stage) failed: cannot record the order before sending it: \(error)"), nil)
        }
    }
}
