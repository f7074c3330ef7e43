import Agents
import AgentsTesting
import Configuration
import Foundation
import Ledger
import Logging
import Synchronization
import Trading
import WireFormat
import WireProtocol

/// A TradingDirector whose peers answer in-process: an analyst, a risk manager and an
/// execution agent that fills every order at `fillPrice`, unless a test changes their answers.
/// With `deferringAfterSends`, the work it hands to `afterPendingSends` waits until a test runs
/// it (`deferring`).
struct DirectorFixture {
    let analyst = InMemoryPeer(name: "quant-analyst")
    let risk = InMemoryPeer(name: "risk-manager")
    let execution = InMemoryPeer(name: "execution-agent")
    let venue = InMemoryPeer(name: "market-maker")
    let bus: RecordingPublisher
    /// The director's publisher when it holds work for after its sends (`deferringAfterSends`).
    let deferring: DeferringPublisher?
    let analytics = RecordingAnalytics()
    let time = ManualTime(micros: WallClock.micros())
    let director: TradingDirector

    /// The symbols the fixture's venue lists.
    static let listed = ["BTC-USD", "ETH-USD", "SOL-USD", "ADA-USD"]

    /// A plan with its stop at `stop` and one target at `target` for the whole quantity.
    static func plan(stop: WireDecimal, target: WireDecimal, qty: WireDecimal) throws -> RiskPlanPayload {
        let json = """
            {"stop_price": \(stop), "targets": [{"risk_reward": 2, "fraction": 1, "price": \(target), "qty": \(qty)}],
             "leverage": 1, "risk_amount": 1, "risk_pct": 0.01, "sized_by": "riskPerTradePct", "margin": 100, "capital": 10000,
             "exposure_after": 0.01, "heat_after": 0.01, "margin_usage_after": 0.01, "warnings": [], "assumed_stops": []}
            """
        return try JSONDecoder().decode(RiskPlanPayload.self, from: Data(json.utf8))
    }

    init(settings: DirectorSection = DirectorSection(), direction: Direction = .long, confidence: Double = 0.5,
         approve qty: WireDecimal = 2, fillPrice: WireDecimal = 100, journal: DirectorJournal? = nil, analysisAhead: Bool = true,
         deferringAfterSends: Bool = false) throws {
        deferring = deferringAfterSends ? DeferringPublisher(source: "trading-director") : nil
        let bus = deferring?.recorded ?? RecordingPublisher(source: "trading-director")
        self.bus = bus
        director = TradingDirector(analyst: analyst, risk: risk, execution: execution, venue: venue, settings: settings,
                                   listed: Self.listed, recorder: analytics, publisher: deferring ?? bus,
                                   logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
                                   time: time, journal: journal, analysisAhead: analysisAhead)
        analyst.on(AnalyzeRequest.self) { request in
            AnalysisReport(symbol: request.payload.symbol, direction: direction, confidence: confidence, sampleCount: 50,
                           lastPrice: fillPrice.double, thesis: "fixture")
        }
        let price = Price(wire: fillPrice)
        let plan = try Self.plan(stop: try ExactFraction(0.95)!.of(price, .down).wire, target: try ExactFraction(1.1)!.of(price, .up).wire, qty: qty)
        let notional = try price.notional(Quantity(wire: qty)).wire
        risk.on(AssessRequest.self) { request in
            RiskVerdict(symbol: request.payload.symbol, side: request.payload.side, approved: true, qty: qty, price: fillPrice,
                        notional: notional, reason: "fixture approves", limit: nil, plan: plan)
        }
        let orders = Mutex(0)
        execution.on(ExecuteRequest.self) { request in
            let order = request.payload.order
            let number = orders.withLock { $0 += 1; return $0 }
            let fill = FillPayload(orderId: "O-\(number)", clientOrderId: order.clientOrderId, account: order.account, symbol: order.symbol,
                                   side: order.side, price: fillPrice, qty: order.qty, fee: 0.1)
            return OrderReport(orderId: "O-\(number)", clientOrderId: order.clientOrderId, account: order.account, symbol: order.symbol,
                               side: order.side, type: order.type, status: .filled, qty: order.qty, filledQty: order.qty,
                               avgPrice: fillPrice, fills: [fill], reason: nil, reasonCode: nil)
        }
    }

    /// The wire form of a signal, as the bus delivers it. It lives an hour (`ttl_ms`): the fixture's
    /// clock starts at the wall clock, and a loaded machine must not expire a signal between its
    /// making and a restarted director's recovery (the tests of expiry make their own signals).
    static func signal(_ symbol: String, _ side: Side, confidence: Double = 0.8) throws -> (topic: String, body: Data, id: String) {
        let envelope = Envelope.make(type: EventType.signal, source: "hedgectl", trace: .root(),
                                     payload: SignalPayload(symbol: symbol, side: side, confidence: confidence, ttlMs: 3_600_000))
        return (Topic.signal(symbol), try JSONEnvelopeCodec().encode(envelope), envelope.id)
    }

    /// The decisions published so far, once there are `count` of them.
    func decisions(_ count: Int) async throws -> [Envelope<DecisionPayload>] {
        try await bus.waitFor(count, of: EventType.decision).map { try $0.decoded(as: DecisionPayload.self) }
    }
}
