import Agents
import Configuration
import Foundation
import Ledger
import Logging
import Synchronization
import Trading
import WireFormat
import WireProtocol

/// The TradingDirector's own work per filled signal, without the wire: signals handed to
/// `receive` one at a time, peers that answer at once with prepared payloads (an analysis, an
/// approval with a plan, a fill), the production journal and analytics store (synchronous =
/// NORMAL, checkpoints apart) committing where they are asked to, and a publisher that keeps
/// nothing. Alternating buys and sells on eight symbols, so every entry after a symbol's first
/// closes the position before it, records a closed trade and opens its own, as in a bench run.
///
/// The cycle's steps are async, so a tool that counts instructions cannot toggle on one
/// function: run it for two counts and take the difference (see docs/PERFORMANCE.md). Prints
/// µs per signal (median).
enum DirectorProbe {
    static let symbols = ["BTC-USD", "ETH-USD", "SOL-USD", "ADA-USD", "XRP-USD", "DOT-USD", "LTC-USD", "AVAX-USD"]

    static func run(count: Int) async throws {
        let folder = StoreProbeSupport.temporaryDirectory("director-probe")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let logger = ProbeLogging.logger("trading-director")
        let inline: @Sendable (@escaping @Sendable () -> Void) -> Void = { $0() }
        let store = try DirectorStore(path: folder + "/director.sqlite", syncEveryCommit: false, checkpointsApart: true)
        _ = try store.load(rememberedSignals: 100_000)
        let journal = DirectorJournal(store: store, scheduler: inline, onFailure: { fatalError("DirectorProbe: \($0)") })
        let analytics = try AnalyticsStore(path: folder + "/analytics.sqlite", syncEveryCommit: false, checkpointsApart: true)
        let (decided, sink) = AsyncStream.makeStream(of: Void.self)
        let director = TradingDirector(
            analyst: PreparedPeer(), risk: PreparedPeer(), execution: PreparedPeer(), venue: PreparedPeer(), settings: DirectorSection(),
            listed: symbols, recorder: AnalyticsRecorder(store: analytics, logger: logger, scheduler: inline), publisher: DecisionSink(sink),
            logger: logger, journal: journal)
        let lanes = Task { await director.lanes.run() }
        var decisions = decided.makeAsyncIterator()
        var micros: [UInt64] = []
        micros.reserveCapacity(count)
        for index in 0..<count {
            let symbol = symbols[index % symbols.count]
            let envelope = Envelope.make(type: EventType.signal, source: "probe", trace: .root(),
                                         payload: SignalPayload(symbol: symbol, side: (index / symbols.count).isMultiple(of: 2) ? .buy : .sell,
                                                                confidence: 0.8, ttlMs: 3_600_000))
            let body = try JSONEnvelopeCodec().encode(envelope)
            let start = nanos()
            director.receive(topic: Topic.signal(symbol), body: body)
            _ = await decisions.next()
            micros.append(nanos() - start)
        }
        lanes.cancel()
        _ = await lanes.value
        await journal.close()
        emit("director: filled signal, receive → decision published (no wire)", StoreProbeSupport.medianMicros(micros), "µs")
    }

    /// The plan every approval carries: a stop and one target for the whole quantity.
    static let plan: RiskPlanPayload = {
        let json = """
            {"stop_price": 95, "targets": [{"risk_reward": 2, "fraction": 1, "price": 110, "qty": 2}],
             "leverage": 1, "risk_amount": 1, "risk_pct": 0.01, "sized_by": "riskPerTradePct", "margin": 100, "capital": 10000,
             "exposure_after": 0.01, "heat_after": 0.01, "margin_usage_after": 0.01, "warnings": [], "assumed_stops": []}
            """
        return try! JSONDecoder().decode(RiskPlanPayload.self, from: Data(json.utf8))
    }()
}

/// A peer that answers analyze, assess and execute at once: a flat analysis, an approval of 2
/// at 100 with `DirectorProbe.plan`, and a fill of the whole order at 100.
private final class PreparedPeer: RequestSending {
    private let orders = Mutex(0)

    func request<R: RequestPayload>(_ payload: R, trace: TraceContext) async throws(ProtocolError) -> Envelope<R.Reply> {
        let reply: any MessagePayload
        switch payload {
        case let ask as AnalyzeRequest:
            reply = AnalysisReport(symbol: ask.symbol, direction: .flat, confidence: 0.5, sampleCount: 50, lastPrice: 100, thesis: "probe")
        case let ask as AssessRequest:
            reply = RiskVerdict(symbol: ask.symbol, side: ask.side, approved: true, qty: 2, price: 100, notional: 200,
                                reason: "probe approves", limit: nil, plan: DirectorProbe.plan)
        case let ask as ExecuteRequest:
            let order = ask.order
            let number = orders.withLock { $0 += 1; return $0 }
            let fill = FillPayload(orderId: "O-\(number)", clientOrderId: order.clientOrderId, account: order.account, symbol: order.symbol,
                                   side: order.side, price: 100, qty: order.qty, fee: 0.1)
            reply = OrderReport(orderId: "O-\(number)", clientOrderId: order.clientOrderId, account: order.account, symbol: order.symbol,
                                side: order.side, type: order.type, status: .filled, qty: order.qty, filledQty: order.qty,
                                avgPrice: 100, fills: [fill], reason: nil, reasonCode: nil)
        default:
            throw ProtocolError(.unreachable, "the probe's peers answer analyze, assess and execute only")
        }
        return Envelope.make(type: R.replyType, source: "probe", trace: trace, payload: reply as! R.Reply)
    }
}

/// A publisher that keeps nothing and says when a decision went out.
private final class DecisionSink: EventPublishing {
    private let decided: AsyncStream<Void>.Continuation

    init(_ decided: AsyncStream<Void>.Continuation) { self.decided = decided }

    func publish<P: MessagePayload>(_ payload: P, type: String, topic: String, trace: TraceContext) -> Envelope<P> {
        if type == EventType.decision { decided.yield() }
        return Envelope.make(type: type, source: "probe", trace: trace, payload: payload)
    }

    func afterPendingSends(_ work: @escaping @Sendable () -> Void) { work() }
}
