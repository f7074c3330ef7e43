import Configuration
import Dispatch
import Foundation
import Instrumentation
import Ledger
import Logging
import Synchronization
import Trading
import WireFormat
import WireProtocol

/// The TradingDirector's logic: one decision per signal (analyze → assess → execute, in the
/// signal's symbol lane), the exits of the positions it opens, `positions.get`, and portfolio
/// snapshots for the analytics. It knows its peers and the bus only through the ports, so it
/// runs the same against ZeroMQ or in-process fakes.
public final class TradingDirector: Sendable {
    /// The symbol lanes, a service: run it, and place it before whatever feeds it.
    public let lanes: SymbolLanes
    let cycle: SignalCycle
    let exits: ExitCycle
    let watcher: PositionWatcher
    let recorder: any AnalyticsRecording
    let venue: any RequestSending
    let publisher: any EventPublishing
    let settings: DirectorSection
    let logger: Logger
    let time: any TimeSource
    /// Signal ids seen lately, so a re-published signal is not traded twice; seeded from the
    /// store on `recover`, so this memory survives a restart.
    let seen: RecentIDs
    /// The decisions' counters and the cycle's timer.
    let instruments = DecisionInstruments()
    /// The director's durable records, when it keeps them.
    let journal: DirectorJournal?
    /// The symbols the venue lists (`market.symbols`): a signal for any other is rejected at
    /// intake, so signals naming ever-new symbols cannot open ever more lanes.
    let listed: Set<String>
    /// What a signal for any other symbol is told: the listed symbols and what to do.
    private let unlistedAdvice: String
    /// Where a re-sent signal's recorded decision is looked up, off the shared thread pool.
    private let lookups = DispatchQueue(label: "director-decision-lookups")
    /// Look-ups queued and not yet done: a flood of repeats is not answered beyond
    /// `maxQueuedLookups` (counted), rather than queueing reads without limit.
    private let queuedLookups = Mutex(0)
    private static let maxQueuedLookups = 1_000
    /// Whether a signal's analysis is asked while the signal before it in its lane runs
    /// (`AnalysisAhead`): worth it where the analyst is a message away, not where it answers on
    /// the director's own loop. With it, a signal's assessment is also asked ahead once the
    /// order of the signal before it has been sent (`SignalCycle.assessAhead`), and a cycle that
    /// asks its own analysis asks its assessment with it (`SignalCycle.overlapsAssessment`).
    let analysisAhead: Bool
    /// Per symbol, what the cycle last queued in its lane does with its order (`OrderGate`), for
    /// the next signal's assessment asked ahead; none after an exit or a resumed cycle.
    let laneGates = Mutex<[String: OrderGate]>([:])

    /// A director asking `analyst`, `risk` and `execution` (whose clients carry the step
    /// timeouts), valuing the account through `venue`, and publishing on `publisher`, for
    /// signals in the `listed` symbols. With a `journal` it records every accepted signal, the
    /// order it sends, its decision and every watched position, so `recover` can finish them
    /// after a crash. With `analysisAhead` a signal's analysis is asked while the signal before
    /// it in its symbol's lane is assessed and executed, and a signal whose lane was idle has its
    /// assessment asked with its analysis.
    public init(analyst: any RequestSending, risk: any RequestSending, execution: any RequestSending, venue: any RequestSending,
                settings: DirectorSection, listed: [String], recorder: any AnalyticsRecording, publisher: any EventPublishing,
                logger: Logger, time: any TimeSource = SystemTime(), journal: DirectorJournal? = nil, analysisAhead: Bool = true) {
        self.analysisAhead = analysisAhead
        let watcher = PositionWatcher(timeStopSeconds: settings.timeStopS, journal: journal)
        self.watcher = watcher
        lanes = SymbolLanes(capacity: settings.maxQueuedPerSymbol)
        self.recorder = recorder
        self.venue = venue
        self.publisher = publisher
        self.settings = settings
        self.logger = logger
        self.time = time
        self.journal = journal
        self.listed = Set(listed)
        unlistedAdvice = "is not listed at the venue (market.symbols: \(self.listed.sorted().joined(separator: ", "))); "
            + "send one of those, or add the symbol to the topology's market.symbols"
        seen = RecentIDs(capacity: settings.rememberedSignals)
        let versions = AccountVersions()
        cycle = SignalCycle(analyst: analyst, risk: risk, execution: execution, settings: settings, watcher: watcher,
                            recorder: recorder, time: time, journal: journal, versions: versions, overlapsAssessment: analysisAhead,
                            afterSends: { publisher.afterPendingSends($0) })
        exits = ExitCycle(execution: execution, watcher: watcher, recorder: recorder, publisher: publisher, time: time, versions: versions)
    }

    /// Takes a message from a signal topic. A valid signal not seen before is recorded (with a
    /// journal), queued in its symbol's lane and ends in one published decision: its cycle's, or
    /// `failed` when it could not start before its expiry (`ttl_ms`, else `signal_ttl_ms`, from
    /// its timestamp), or `rejected` at once when its symbol's queue is full. A signal seen
    /// before gets its recorded decision again when it has one (its sender is still asking),
    /// and nothing while its cycle runs. An impossible signal, or one for a symbol the venue
    /// does not list, is rejected at once (also one decision, and no lane); an unreadable one
    /// is returned for the caller to count and log.
    @discardableResult
    public func receive(topic: String, body: Data) -> ProtocolError? {
        switch SignalIntake.read(topic: topic, body: body) {
        case .signal(let signal) where !listed.contains(signal.payload.symbol):
            var decision = SignalCycle.decision(for: signal, .rejected, stage: "validate", latencyUs: 0,
                                                "\(signal.payload.symbol) \(unlistedAdvice)")
            decision.latencyUs = Self.since(signal.ts, time.nowMicros())
            publish(decision, trace: .caused(by: signal))
        case .signal(let signal):
            guard seen.insert(signal.id) else {
                redeliver(signal)
                return nil
            }
            let received = time.nowMicros()
            // Committed with the first change awaited after it, at the latest the signal's own
            // (its order's plan, its decision): its order and its decision leave after. Killed
            // before that, the director has done nothing for it that its repeat cannot redo.
            journal?.enqueueDeferred(.accepted(signalId: signal.id, symbol: signal.payload.symbol, receivedUs: received, envelope: body))
            admit(signal, received: received, step: nil)
        case .invalid(let decision, let trace):
            publish(decision, trace: trace)
            logger.warning("rejected invalid signal \(decision.signalId): \(decision.reason)", metadata: ["trace_id": .string(trace.traceId)])
        case .unreadable(let error):
            return error
        }
        return nil
    }

    /// Queues `signal` (received at `received`) in its symbol's lane; with `analysisAhead`, its
    /// analysis is asked for as soon as it is next in line, while the signal before it is
    /// assessed and executed (`AnalysisAhead`). With `step` its order was already being sent by
    /// a previous run: the cycle resumes there, whatever the expiry, since the venue may hold
    /// the order.
    func admit(_ signal: Envelope<SignalPayload>, received: Int64, step: ExecutionStep?) {
        let ttlMs = Int64(signal.payload.ttlMs ?? settings.signalTtlMs)
        // The signal's timestamp comes from the network: saturate rather than overflow.
        let (sum, overflow) = signal.ts.addingReportingOverflow(ttlMs * 1_000)
        let expiry = overflow ? (signal.ts > 0 ? Int64.max : Int64.min) : sum
        // A new cycle's analysis may be asked while the symbol's signal before it runs; not for
        // a signal that has expired by then, nor for a resumed one, which is past its analysis.
        let ahead = step == nil && analysisAhead ? AnalysisAhead() : nil
        let gate = ahead.map { _ in OrderGate() }
        let symbol = signal.payload.symbol
        let admission = laneGates.withLock { gates in
            var preparation: SymbolLanes.Preparation?
            if let ahead {
                // The order of the cycle queued before this one, if it sends one: its assessment
                // may be asked as soon as that order has left.
                let previous = gates[symbol]
                preparation = { [self] in
                    guard time.nowMicros() <= expiry else { return }
                    let analyzed = await cycle.analyze(signal)
                    ahead.keep(analyzed)
                    if let previous, case .success(let report) = analyzed,
                       let assessed = await cycle.assessAhead(signal, analyzed: report, after: previous) {
                        ahead.keep(assessed)
                    }
                }
            }
            let admission = lanes.submit(symbol, preparing: preparation) { [self] in
                let started = time.nowMicros()
                var decision: DecisionPayload?
                var written: WrittenStep?
                if let step {
                    decision = await cycle.resume(signal, step: step)
                } else if started > expiry {
                    decision = SignalCycle.decision(for: signal, .failed, stage: "queue", latencyUs: 0,
                                                    "expired before its cycle could start: sent \(Self.millis(Self.since(signal.ts, started))) ago, "
                                                    + "queued \(Self.millis(started - received)), ttl \(ttlMs) ms")
                } else {
                    (decision, written) = await cycle.runWritten(signal, analyzed: ahead?.take(), assessedAhead: ahead?.takeAssessment(),
                                                                 gate: gate)
                }
                gate?.finished(filled: decision?.outcome == .filled)
                guard var decision else {
                    logger.warning("signal \(signal.id): its order \(SignalCycle.clientOrderId(of: signal)) is still in doubt as the director stops; left without a decision for the next start, which sends the order again",
                                   metadata: ["trace_id": .string(TraceContext.caused(by: signal).traceId)])
                    return nil
                }
                decision.latencyUs = Self.since(signal.ts, time.nowMicros())
                decision.queuedUs = started - received
                // Recorded and published while the symbol's next signal is assessed: its assessment
                // needs only this cycle's order report, which it has had.
                return { [self, decision, written] in await conclude(signal, decision, step: written) }
            }
            if case .queued = admission { gates[symbol] = gate }
            return admission
        }
        let now = time.nowMicros()
        switch admission {
        case .queued: return
        case .full(let waiting):
            var decision = SignalCycle.decision(for: signal, .rejected, stage: "queue", latencyUs: 0,
                                                "\(waiting) signals already wait for \(signal.payload.symbol) (max_queued_per_symbol); try again later")
            decision.latencyUs = Self.since(signal.ts, now)
            Task { await conclude(signal, decision) }
        case .stopped:
            let decision = SignalCycle.decision(for: signal, .failed, stage: "queue", latencyUs: Self.since(signal.ts, now),
                                                "the director is shutting down")
            Task { await conclude(signal, decision) }
        }
    }

    /// Records `decision` as `signal`'s (durably, with a journal) and then publishes it: a
    /// crash in between leaves a recorded decision that a re-sent signal gets, never a second
    /// cycle. The event takes the record's bytes when the hand-written form wrote them, and the
    /// record takes the analysis and verdict of the execution `step` it was made with as that
    /// step's record wrote them.
    private func conclude(_ signal: Envelope<SignalPayload>, _ decision: DecisionPayload, step: WrittenStep? = nil) async {
        var written: Data?
        if let journal {
            written = DirectorRecordCoding.written(decision, step: step)
            do {
                let record = try written ?? DirectorRecordCoding.encodeWithCodable(decision)
                try await journal.enqueue(.decided(signalId: signal.id, decision: record)).wait()
            } catch {
                logger.error("cannot record the decision of signal \(signal.id): \(error)")
            }
        }
        publish(decision, written: written, trace: .caused(by: signal))
    }

    /// Publishes the recorded decision of a signal seen before, if it has one yet.
    private func redeliver(_ signal: Envelope<SignalPayload>) {
        guard let journal else { return }
        let admitted = queuedLookups.withLock { queued in
            guard queued < Self.maxQueuedLookups else { return false }
            queued += 1
            return true
        }
        guard admitted else {
            Instruments.counter("hedgebus_decisions_redelivery_skipped_total").increment()
            return
        }
        lookups.async { [self] in
            defer { queuedLookups.withLock { $0 -= 1 } }
            do {
                guard let recorded = try journal.store.decision(of: signal.id) else { return }
                let decision = try DirectorRecordCoding.decode(DecisionPayload.self, from: recorded)
                Instruments.counter("hedgebus_decisions_redelivered_total").increment()
                publish(decision, trace: .caused(by: signal))
            } catch {
                logger.error("cannot read the recorded decision of signal \(signal.id): \(error)")
            }
        }
    }

    private static func millis(_ micros: Int64) -> String { "\(max(0, micros) / 1_000) ms" }

    /// Microseconds from `then` (a timestamp off the network) to `now`: 0 when `then` is in the
    /// future, `Int64.max` when the difference does not fit.
    static func since(_ then: Int64, _ now: Int64) -> Int64 {
        let (difference, overflow) = now.subtractingReportingOverflow(then)
        if overflow { return then > now ? 0 : .max }
        return max(0, difference)
    }

    /// Publishes `decision`; with `written`, its hand-written form's bytes (its record), which
    /// the event carries as its payload rather than writing the decision again.
    func publish(_ decision: DecisionPayload, written: Data? = nil, trace: TraceContext) {
        instruments.record(decision)
        if let written {
            publisher.publish(RecordedDecision(decision, json: written), type: EventType.decision, topic: Topic.decision(decision.symbol), trace: trace)
        } else {
            publisher.publish(decision, type: EventType.decision, topic: Topic.decision(decision.symbol), trace: trace)
        }
        logger.info(composed: "\(decision.symbol) \(decision.side.rawValue) → \(decision.outcome.rawValue): \(decision.reason)",
                    traceId: trace.traceId)
    }
}
