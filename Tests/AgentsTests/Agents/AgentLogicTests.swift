import Agents
import AgentsTesting
import Configuration
import Foundation
import Logging
import Synchronization
import Testing
import Trading
import WireFormat
import WireProtocol

/// The ExecutionAgent, the RiskManager and the QuantAnalyst run in-process against fakes: what
/// each asks its peer, what it publishes on the request's trace, and what it answers.
@Suite(.timeLimit(.minutes(1)))
struct AgentLogicTests {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func request<R: RequestPayload>(_ payload: R) -> Envelope<R> {
        Envelope.make(type: R.requestType, source: "trading-director", trace: .root(), payload: payload)
    }

    /// A venue that fills every order it is sent in full at `avgPrice`, as order `orderId`.
    static func fillingVenue(orderId: String, avgPrice: WireDecimal) -> InMemoryPeer {
        let venue = InMemoryPeer(name: "market-maker")
        venue.on(OrderSubmit.self) { request in
            let order = request.payload
            return OrderReport(orderId: orderId, clientOrderId: order.clientOrderId, account: order.account, symbol: order.symbol,
                               side: order.side, type: order.type, status: .filled, qty: order.qty, filledQty: order.qty,
                               avgPrice: avgPrice, fills: [], reason: nil, reasonCode: nil)
        }
        return venue
    }

    @Test func theExecutionAgentSubmitsTheOrderAndPublishesWhatTheVenueDid() async throws {
        let venue = Self.fillingVenue(orderId: "O-9", avgPrice: 101)
        let bus = RecordingPublisher(source: "execution-agent")
        let agent = ExecutionAgent(venue: venue, publisher: bus, logger: Self.quiet)
        let order = OrderSubmit(clientOrderId: "sig-1", account: "desk", symbol: "BTC-USD", side: .buy, type: .market, qty: 0.5)
        let request = Self.request(ExecuteRequest(order: order))
        let report = try await agent.execute(request).payload
        #expect(report.orderId == "O-9" && report.filledQty == 0.5)
        #expect(try venue.received.map { try $0.decoded(as: OrderSubmit.self) } == [order])
        #expect(venue.received.first?.trace.traceId == request.traceId && venue.received.first?.trace.parentId == request.id)
        #expect(venue.received.first?.typed == true)
        let event = try #require(bus.events.first)
        #expect(event.type == EventType.order && event.topic == "order.BTC-USD")
        #expect(try event.decoded(as: OrderReport.self).parentId == request.id)
        // A venue that does not answer: the error reaches the caller, nothing is published.
        let silent = ExecutionAgent(venue: InMemoryPeer(name: "market-maker"), publisher: bus, logger: Self.quiet)
        await #expect(throws: ProtocolError.self) { try await silent.execute(request) }
        #expect(bus.events.count == 1)
    }

    /// The venue's report goes back to the director as the bytes it came in, not written again.
    @Test func theExecutionAgentAnswersWithTheVenuesReportAsItCame() async throws {
        let venue = Self.fillingVenue(orderId: "O-3", avgPrice: 59000)
        venue.writeReplies(ReceivedRepliesTests.spaced)
        let agent = ExecutionAgent(venue: venue, publisher: RecordingPublisher(source: "execution-agent"), logger: Self.quiet)
        let order = OrderSubmit(clientOrderId: "sig-2", account: "desk", symbol: "BTC-USD", side: .buy, type: .market, qty: 0.5)
        let carried = try await agent.execute(Self.request(ExecuteRequest(order: order)))
        let reply = try JSONEnvelopeCodec().encode(Envelope.make(type: ExecuteRequest.replyType, source: "execution-agent", trace: .root(),
                                                                 carrying: carried))
        let written = try #require(carried.payload.writtenFastJSON())
        #expect(reply.range(of: ReceivedRepliesTests.spaced(written)) != nil, "the reply holds the report in the venue's form")
        #expect(reply.range(of: written) == nil)
        #expect(try JSONEnvelopeCodec().decode(OrderReport.self, from: reply).payload == carried.payload)
        #expect(carried.payload.orderId == "O-3" && carried.payload.filledQty == 0.5)
    }

    static func assess(_ symbol: String, _ side: Side, last: Double = 100, atr: Double = 2) -> Envelope<AssessRequest> {
        request(AssessRequest(symbol: symbol, side: side, account: "desk", signalConfidence: 0.8,
                              analysis: AnalysisReport(symbol: symbol, direction: side == .buy ? .long : .short, confidence: 0.6,
                                                       sampleCount: 50, atr: atr, lastPrice: last, thesis: "t")))
    }

    @Test func theRiskManagerReadsTheAccountForEveryDecisionAndRemembersWhatItApproved() async throws {
        let venue = InMemoryPeer(name: "market-maker")
        let held = Mutex(Quantity.zero)
        venue.on(InventoryQuery.self) { _ in
            InventorySnapshot(positions: [PositionPayload(Position(account: "desk", symbol: "BTC-USD", base: held.withLock { $0 },
                                                                   quote: 100_000, averageEntryPrice: 100), mark: 100)])
        }
        let bus = RecordingPublisher(source: "risk-manager")
        let risk = RiskManager(settings: RiskSection(), accounts: [AccountSection()], listed: ["BTC-USD"], venue: venue,
                               publisher: bus, logger: Self.quiet)
        let first = try await risk.assess(Self.assess("BTC-USD", .buy))
        #expect(first.approved && first.qty > 0 && first.plan?.stopPrice ?? 0 < 100)
        // The venue now shows the position that plan opened: adding to it is refused.
        held.withLock { $0 = Quantity(wire: first.qty) }
        let second = try await risk.assess(Self.assess("BTC-USD", .buy))
        #expect(!second.approved && second.limit == "allowPyramiding")
        // A symbol the venue does not list is refused, naming what it lists.
        let unlisted = try await risk.assess(Self.assess("DOGE-USD", .buy))
        #expect(!unlisted.approved && unlisted.reason.contains("not listed") && unlisted.reason.contains("BTC-USD"))
        #expect(venue.receivedTypes == ["inventory.get", "inventory.get", "inventory.get"])
        #expect(try bus.payloads(EventType.risk, as: RiskVerdict.self).map(\.approved) == [true, false, false])
    }

    @Test func theQuantAnalystReadsItsWindowOfPricesAndPublishesItsAnalysis() async throws {
        let bus = RecordingPublisher(source: "quant-analyst")
        var settings = AnalystSection()
        settings.window = 30
        let analyst = QuantAnalyst(settings: settings, publisher: bus, logger: Self.quiet)
        for index in 0..<40 { analyst.record(symbol: "BTC-USD", price: 100 + Double(index) * 0.5) }
        analyst.record(symbol: "ETH-USD", price: 3_000)
        let request = Self.request(AnalyzeRequest(symbol: "BTC-USD", side: .buy))
        let report = analyst.analyze(request)
        #expect(report.symbol == "BTC-USD" && report.sampleCount == 30 && report.lastPrice == 119.5)
        #expect(report.direction == .long && report.confidence > 0)
        let thin = analyst.analyze(Self.request(AnalyzeRequest(symbol: "ETH-USD", side: .sell)))
        #expect(thin.sampleCount == 1 && thin.confidence == 0 && thin.thesis.contains("insufficient data"))
        let published = try bus.events.map { try $0.decoded(as: AnalysisReport.self) }
        #expect(published.map(\.payload.symbol) == ["BTC-USD", "ETH-USD"] && published.first?.parentId == request.id)
        // Its reading depends on the prices alone: the same report, whatever the side, until the
        // symbol's next price, as the report says.
        let sold = analyst.analyze(Self.request(AnalyzeRequest(symbol: "BTC-USD", side: .sell)))
        #expect(report.holdsUntilTick == true && sold == report)
        analyst.record(symbol: "BTC-USD", price: 130)
        #expect(analyst.analyze(request).lastPrice == 130)
    }
}
