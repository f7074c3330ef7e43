import Configuration
import Instrumentation
import Logging
import Trading
import WireFormat
import WireProtocol

/// The RiskManager's logic: approves and sizes trades (risk per trade to the stop, take-profit
/// targets, exposure, position, heat and margin limits) against the account as the MarketMaker
/// reports it. The account comes from the venue's `account.<name>` events when the book holds
/// it at the version the request asks for (every order the director was told of), and is read
/// with `inventory.get` otherwise, so a decision always sees the fills of the orders before it.
public final class RiskManager: Sendable {
    let desk: RiskDesk
    let book: PortfolioBook
    let venue: any RequestSending
    let publisher: any EventPublishing
    let logger: Logger
    /// Accounts allowed to sell below zero.
    let shortAccounts: Set<String>
    /// The symbols the venue lists.
    let listed: [String]
    /// Each listed symbol's price step, which stops and targets are placed on.
    let ticks: [String: Price]
    /// Each listed symbol's quote asset, whose margin book the venue checks its orders against.
    let quoteAssets: [String: String]
    /// How long an assessment waits for an account event that is due, and what runs the timer.
    let eventWait: AccountEventWait?
    /// How long an assessment asked for after an order (`after_order`) waits for the event that
    /// names the order, and what runs the timer; without it such an assessment is answered with
    /// an error unless the event came already.
    let orderWait: AccountEventWait?

    /// A risk manager with the topology's `settings`, reading accounts from `venue`; stops
    /// and targets go on `ticks` (symbol → price step; 10⁻⁸ for a symbol not given). With
    /// `eventWait`, an assessment asking for an account version whose event is due waits that
    /// long for it before reading the account from `venue`; with `orderWait`, an assessment
    /// asked for after an order waits that long for the event that names it.
    public init(settings: RiskSection, accounts: [AccountSection], listed: [String], ticks: [String: Price] = [:],
                quoteAssets: [String: String] = [:], venue: any RequestSending, publisher: any EventPublishing, logger: Logger,
                eventWait: AccountEventWait? = nil, orderWait: AccountEventWait? = nil) {
        desk = RiskDesk(planner: TradePlanner(limits: settings.limits), minConfidence: settings.minConfidence,
                        lotSize: settings.lotSize, assumedStopPct: settings.assumedStopPct, feeAllowanceBps: settings.feeAllowanceBps)
        book = PortfolioBook(desk: desk)
        shortAccounts = Set(accounts.filter(\.allowShort).map(\.name))
        self.listed = listed
        self.ticks = ticks
        self.quoteAssets = quoteAssets
        self.eventWait = eventWait
        self.orderWait = orderWait
        self.venue = venue
        self.publisher = publisher
        self.logger = logger
    }

    /// Answers an `assess` request: reads the account from the venue, then approves with a plan
    /// or refuses naming the limit; the verdict is also published as a `risk` event once it has
    /// left. A request with `after_order` is judged once an account event has named that order
    /// (at that event's version or later), and fails with `timeout` when none does within
    /// `orderWait`.
    public func assess(_ request: Envelope<AssessRequest>) async throws -> RiskVerdict {
        if let verdict = assessAtOnce(request) { return verdict }
        let trace = TraceContext.caused(by: request)
        var ask = request.payload
        if let order = ask.afterOrder { ask.afterVersion = try await versionShowing(order, for: ask) }
        return judge(request, against: try await account(for: ask, trace: trace), trace: trace)
    }

    /// Answers an `assess` request as `assess` does when the book already holds the account at
    /// the version asked for (and has seen the event naming its `after_order`), with nothing to
    /// await; nil when the answer needs an event still due or the venue (`assess` then).
    public func assessAtOnce(_ request: Envelope<AssessRequest>) -> RiskVerdict? {
        let ask = request.payload
        var after = ask.afterVersion
        if let order = ask.afterOrder {
            guard let epoch = ask.venueEpoch, let shown = book.shownVersion(of: order, account: ask.account, epoch: epoch) else { return nil }
            after = max(after ?? 0, shown)
        }
        guard ask.analysis.lastPrice != nil, let view = book.current(ask.account, epoch: ask.venueEpoch, after: after) else {
            return nil
        }
        let trace = TraceContext.caused(by: request)
        noteEventRead(ask, trace: trace)
        return judge(request, against: view, trace: trace)
    }

    /// The account version an assessment asked for after `order` must see: its `after_version`,
    /// or the version of the event that named the order when that is later, waiting (with
    /// `orderWait`) for that event. Throws `timeout` when it does not come in time.
    private func versionShowing(_ order: String, for ask: AssessRequest) async throws(ProtocolError) -> UInt64 {
        guard let epoch = ask.venueEpoch else {
            throw ProtocolError(.invalidValue, "after_order \(order) needs venue_epoch: send the venue_epoch of the order reports after_version counts from, or leave after_order out")
        }
        if let orderWait, book.shownVersion(of: order, account: ask.account, epoch: epoch) == nil {
            let shown = await book.awaitOrder(order, account: ask.account, epoch: epoch) { end in orderWait.schedule(orderWait.limit, end) }
            (shown ? Self.orderWaitsArrived : Self.orderWaitsExpired).increment()
        }
        guard let version = book.shownVersion(of: order, account: ask.account, epoch: epoch) else {
            throw ProtocolError(.timeout, "no account.\(ask.account) event has named order \(order) yet; ask again once its report is in")
        }
        return max(ask.afterVersion ?? 0, version)
    }

    /// The verdict on `request` against `view`, remembered when it plans a trade; published and
    /// logged once it has left (`afterPendingSends`).
    private func judge(_ request: Envelope<AssessRequest>, against view: PortfolioBook.AccountView, trace: TraceContext) -> RiskVerdict {
        let ask = request.payload
        let (holdings, memos) = (view.holdings, view.memos)
        let margin = Self.marginBook(of: view.account, quoteAsset: quoteAssets[ask.symbol]).map { margin in
            VenueMargin(equity: Money(wire: margin.equity), marginUsed: Money(wire: margin.marginUsed), maxLeverage: margin.maxLeverage)
        }
        var (verdict, plan) = Self.verdict(for: ask, desk: desk, holdings: holdings, memos: memos,
                                           allowShort: shortAccounts.contains(ask.account), listed: listed,
                                           tick: ticks[ask.symbol] ?? Price(raw: 1), margin: margin)
        // Asked ahead, the director checks the verdict against the versions it has seen since.
        if ask.afterOrder != nil { verdict.accountVersion = view.account?.version }
        if let plan { book.remember(plan, account: ask.account) }
        // The `risk` event and the log line follow once the verdict has left, as the
        // ExecutionAgent's and the venue's do: the director waits for the verdict, not for them.
        let (publisher, logger, judged, traceId) = (publisher, logger, verdict, request.traceId)
        publisher.afterPendingSends {
            publisher.publish(judged, type: EventType.risk, topic: Topic.risk(ask.symbol), trace: trace)
            logger.info(composed: "assess \(ask.account) \(ask.side.rawValue) \(ask.symbol): \(judged.approved ? "approved \(judged.qty)" : "rejected [\(judged.limit ?? "-")]" as ComposedText) — \(judged.reason)",
                        traceId: traceId)
        }
        return verdict
    }

    /// The account `ask` is judged against: the book's when it holds the account at the
    /// request's version (and epoch) or later, else what `inventory.get` answers now. An
    /// analysis without a last price prices the plan at the venue's mid, which the book may hold
    /// only as of the account's last event (the venue publishes none for a flat account when
    /// marks move): the venue is asked then.
    private func account(for ask: AssessRequest, trace: TraceContext) async throws -> PortfolioBook.AccountView {
        if ask.analysis.lastPrice != nil, let view = await fromEvents(ask) {
            noteEventRead(ask, trace: trace)
            return view
        }
        Self.venueReads.increment()
        logger.debug("assess \(ask.account): account from inventory.get (asked for version \(ask.afterVersion.map(String.init) ?? "any"))",
                     metadata: ["trace_id": .string(trace.traceId)])
        let snapshot = try await venue.request(InventoryQuery(account: ask.account), trace: trace).payload
        book.apply(snapshot)
        return book.view(of: ask.account, with: snapshot.accounts?.first { $0.account == ask.account })
    }

    /// Counts and logs an account read from its events.
    private func noteEventRead(_ ask: AssessRequest, trace: TraceContext) {
        Self.eventReads.increment()
        logger.debug("assess \(ask.account): account from its events (asked for version \(ask.afterVersion.map(String.init) ?? "any"))",
                     metadata: ["trace_id": .string(trace.traceId)])
    }

    /// The account from the book at the version asked for, waiting (with `eventWait`) for an
    /// event that is due; nil when the venue must be asked.
    private func fromEvents(_ ask: AssessRequest) async -> PortfolioBook.AccountView? {
        if let view = book.current(ask.account, epoch: ask.venueEpoch, after: ask.afterVersion) { return view }
        guard let eventWait else { return nil }
        let arrived = await book.awaitVersion(ask.account, epoch: ask.venueEpoch, after: ask.afterVersion) { end in
            eventWait.schedule(eventWait.limit, end)
        }
        (arrived ? Self.waitsArrived : Self.waitsExpired).increment()
        guard arrived else { return nil }
        return book.current(ask.account, epoch: ask.venueEpoch, after: ask.afterVersion)
    }

    /// Counts waits for a due account event by `outcome`: `arrived`, or `expired` (the time was
    /// up or the venue restarted; the account was then read with `inventory.get`).
    public static let eventWaitsMetric = "hedgebus_risk_account_event_waits_total"

    /// Counts assessments by where their account came from: `source` is `event` (the book
    /// held it at the version asked for) or `venue` (an `inventory.get` round trip).
    public static let readsMetric = "hedgebus_risk_account_reads_total"

    // Each assessment counts one read and at most one wait: the counters are found once, on
    // first use, rather than looked up by label and dimensions every time.
    private static let eventReads = Instruments.counter(readsMetric, [("source", "event")])
    private static let venueReads = Instruments.counter(readsMetric, [("source", "venue")])
    private static let waitsArrived = Instruments.counter(eventWaitsMetric, [("outcome", "arrived")])
    private static let waitsExpired = Instruments.counter(eventWaitsMetric, [("outcome", "expired")])
    private static let orderWaitsArrived = Instruments.counter(orderWaitsMetric, [("outcome", "arrived")])
    private static let orderWaitsExpired = Instruments.counter(orderWaitsMetric, [("outcome", "expired")])

    /// Counts waits of assessments asked for after an order (`after_order`) for the event that
    /// names it, by `outcome`: `arrived`, or `expired` (the assessment then failed with `timeout`).
    public static let orderWaitsMetric = "hedgebus_risk_order_event_waits_total"


    /// The margin book an order in a symbol quoted in `quoteAsset` is checked against: the
    /// account's book whose collateral is that asset (the venue margins each quote asset apart);
    /// the only book when the quote asset is not known; nil for a spot account, or when the
    /// account has no book in that asset yet.
    static func marginBook(of account: AccountPayload?, quoteAsset: String?) -> MarginPayload? {
        guard let books = account?.books, !books.isEmpty else { return nil }
        guard let quoteAsset else { return books.count == 1 ? books[0] : nil }
        return books.first { $0.collateralAsset == quoteAsset }
    }

    /// Takes in an `account.<name>` event, a whole listing or the changes since an earlier one
    /// (`PortfolioBook.applyEvent`).
    public func apply(_ event: InventorySnapshot) { book.applyEvent(event) }

    /// Replaces the view with a snapshot of every account from the venue; false when the venue
    /// did not answer.
    @discardableResult
    public func refresh(because why: String) async -> Bool {
        guard let snapshot = try? await venue.request(InventoryQuery(), trace: .root()) else {
            logger.warning("no inventory snapshot from the MarketMaker (\(why)); waiting for its events")
            return false
        }
        book.apply(snapshot.payload)
        logger.info("inventory snapshot from the MarketMaker (\(why)): \(snapshot.payload.positions.count) row(s)")
        return true
    }

    /// What `hedgectl status` shows: one line per account.
    public func notes() -> [String] { book.notes() }

    /// The verdict on `ask`: sized at the analysis's last price to the nearest 10⁻⁸ (the
    /// venue's mid when the analysis has none) with the analysis's ATR for the stop, placed on
    /// the `tick` grid. For a margin account the
    /// venue's own figures (`margin`) refuse a plan whose initial margin the equity cannot carry.
    static func verdict(for ask: AssessRequest, desk: RiskDesk, holdings: [Holding], memos: PlanMemos,
                        allowShort: Bool, listed: [String], tick: Price = Price(raw: 1), margin: VenueMargin? = nil) -> (verdict: RiskVerdict, plan: TradePlan?) {
        guard let held = holdings.first(where: { $0.symbol == ask.symbol }) else {
            let reason = !listed.contains(ask.symbol)
                ? "\(ask.symbol) is not listed at the venue (market.symbols: \(listed.joined(separator: ", ")))"
                : "the MarketMaker has no position for account '\(ask.account)' in \(ask.symbol); add it to the account's balances in the topology"
            return (RiskVerdict(symbol: ask.symbol, side: ask.side, approved: false, qty: 0, price: 0, notional: 0,
                                reason: reason, limit: PlanLimit.marketData.rawValue), nil)
        }
        let entry = ask.analysis.lastPrice.flatMap { try? Price(rounding: $0, .toNearestOrAwayFromZero) } ?? held.mark
        let assessment = desk.assessment(symbol: ask.symbol, side: ask.side, confidence: ask.signalConfidence, entry: entry,
                                         atr: ask.analysis.atr, allowShort: allowShort, holdings: holdings, memos: memos,
                                         assumedLeverage: margin?.maxLeverage ?? 1, tick: tick)
        var decision = assessment.decision
        if let plan = decision.plan, let refusal = margin?.refusal(notional: plan.notional, symbol: ask.symbol) {
            decision = .rejected(refusal)
        }
        switch decision {
        case .approved(let plan):
            // An approved plan was made on a valuation of this account.
            let valuation = assessment.valuation ?? RiskAssessment.Valuation(capital: .zero, assumedStops: [])
            let verdict = RiskVerdict(symbol: ask.symbol, side: ask.side, approved: true, qty: plan.qty.wire, price: plan.entryPrice.wire,
                                      notional: plan.notional.wire, reason: plan.summary, limit: nil,
                                      plan: RiskPlanPayload(plan, capital: valuation.capital, assumedStops: valuation.assumedStops))
            return (verdict, plan)
        case .rejected(let rejection):
            let verdict = RiskVerdict(symbol: ask.symbol, side: ask.side, approved: false, qty: 0, price: entry?.wire ?? 0, notional: 0,
                                      reason: rejection.message, limit: rejection.limit.rawValue,
                                      observed: rejection.observed, allowed: rejection.allowed)
            return (verdict, nil)
        }
    }
}

/// Tells when the MarketMaker restarted (a new pid) or came back after a silence longer than
/// `silence`, from its heartbeats: then events may have been lost and the view needs a snapshot.
public struct VenueRestartWatch: Sendable {
    private var last: (pid: Int32, at: ContinuousClock.Instant)?
    private let silence: Duration

    /// A watch that calls a gap of more than `silence` between heartbeats a silence.
    public init(silence: Duration) { self.silence = silence }

    /// Takes a heartbeat seen `now`; returns why a snapshot is needed, or nil.
    public mutating func beat(pid: Int32, at now: ContinuousClock.Instant) -> String? {
        defer { last = (pid, now) }
        guard let last else { return nil }
        if last.pid != pid { return "the MarketMaker restarted" }
        if now - last.at > silence { return "the MarketMaker is back after a silence" }
        return nil
    }
}
