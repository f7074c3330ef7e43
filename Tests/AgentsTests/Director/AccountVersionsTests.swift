import Agents
import AgentsTesting
import Synchronization
import Testing
import Trading
import WireFormat
import WireProtocol

/// The director sends with each assessment the newest account version the venue's order reports
/// have carried: none before the first, the highest within an epoch, a new epoch's at once.
@Suite(.timeLimit(.minutes(1)))
struct AccountVersionsTests {
    @Test func eachAssessmentCarriesTheNewestVersionTheDirectorWasTold() async throws {
        let fixture = try DirectorFixture()
        // The reports of the first three orders, in order: a version, a lower one of the same
        // epoch (an older order answered late), and the first of a restarted venue.
        let versions: [(String, UInt64)] = [("e1", 10), ("e1", 5), ("e2", 1)]
        let orders = Mutex(0)
        fixture.execution.on(ExecuteRequest.self) { request in
            let order = request.payload.order
            let number = orders.withLock { $0 += 1; return $0 }
            var report = OrderReport(orderId: "O-\(number)", clientOrderId: order.clientOrderId, account: order.account, symbol: order.symbol,
                                     side: order.side, type: order.type, status: .filled, qty: order.qty, filledQty: order.qty, avgPrice: 100,
                                     fills: [FillPayload(orderId: "O-\(number)", clientOrderId: order.clientOrderId, account: order.account,
                                                         symbol: order.symbol, side: order.side, price: 100, qty: order.qty, fee: 0.1)],
                                     reason: nil, reasonCode: nil)
            if number <= versions.count { (report.venueEpoch, report.accountVersion) = versions[number - 1] }
            return report
        }
        try await SignalCycleTests.running(fixture) {
            for (index, symbol) in ["BTC-USD", "ETH-USD", "SOL-USD", "ADA-USD"].enumerated() {
                let signal = try DirectorFixture.signal(symbol, .buy)
                #expect(fixture.director.receive(topic: signal.topic, body: signal.body) == nil)
                #expect(try await fixture.decisions(index + 1).last?.payload.outcome == .filled)
            }
        }
        let asked = try fixture.risk.received.map { try $0.decoded(as: AssessRequest.self) }
        #expect(asked.map(\.venueEpoch) == [nil, "e1", "e1", "e2"])
        #expect(asked.map(\.afterVersion) == [nil, 10, 10, 1])
    }
}
