import AgentRuntime
import Foundation
import HedgeBusTesting
import Messaging
import Testing
import Trading
import WireFormat
import WireProtocol

@Suite("Metrics", .serialized, .timeLimit(.minutes(3)))
struct MetricsTests {
    @Test(arguments: AgentLayout.allCases)
    func agentsReportCountersOverReqRepAndPrometheusHTTP(layout: AgentLayout) async throws {
        let metricsPort = FreePort.next()
        // BTC-USD has an inventory limit of 0.502 base: the desk holds 0.5 and buys 3 × 0.001.
        let sections = spotDeskSections.replacingOccurrences(of: #""start_price": 60000, "volatility": 0.5 }"#,
                                                             with: #""start_price": 60000, "volatility": 0.5, "max_inventory": 0.502 }"#)
        #expect(sections != spotDeskSections)
        try await RunningTopology.run(extra: sections, agentExtras: ["market-maker": #""metrics": "tcp://127.0.0.1:\#(metricsPort)""#],
                                      layout: layout) { running in
            let topology = running.topology
            let loop = try MessageLoop(name: "metrics-test")
            let venue = try await RequestClient.connect(loop: loop, peer: "market-maker", endpoint: try topology.endpoint(of: .marketMaker).endpoint, source: "test")
            for index in 0..<3 {
                let order = OrderSubmit(clientOrderId: "m\(index)", account: "desk", symbol: "BTC-USD", side: .buy, type: .market, qty: 0.001)
                #expect(try await venue.request(order, trace: .root()).payload.status == .filled)
            }
            let broke = OrderSubmit(clientOrderId: "poor", account: "desk", symbol: "BTC-USD", side: .buy, type: .market, qty: 100)
            #expect(try await venue.request(broke, trace: .root()).payload.status == .rejected)

            // The venue records an order's report (its fill and rejection counters) once the reply
            // has left and the loop has nothing else to do, in the order the orders came: the
            // last order's rejection counted, every earlier report is too.
            var exposition = ""
            let recorded = ContinuousClock.now.advanced(by: .seconds(10))
            repeat {
                exposition = try await venue.request(MetricsRequest(), trace: .root()).payload.exposition
            } while !exposition.contains("hedgebus_order_rejections_total") && ContinuousClock.now < recorded
            #expect(exposition.contains(#"hedgebus_requests_served_total{type="order.submit",outcome="ok"} 4"#))
            #expect(exposition.contains(#"hedgebus_fills_total{account="desk",symbol="BTC-USD",side="buy"} 3"#))
            #expect(exposition.contains(#"hedgebus_order_rejections_total{reason="insufficient_quote"} 1"#))
            #expect(exposition.contains(#"hedgebus_request_handler_seconds_count{type="order.submit"} 4"#))
            #expect(exposition.contains(#"hedgebus_inventory_base{account="desk",symbol="BTC-USD"} 0.503"#))
            #expect(exposition.contains(#"hedgebus_inventory_effective{account="desk",symbol="BTC-USD"} 0.503"#))
            #expect(exposition.contains(#"hedgebus_inventory_over_limit{account="desk",symbol="BTC-USD"} 1"#))
            #expect(exposition.contains(#"hedgebus_inventory_over_limit{account="desk",symbol="ETH-USD"} 0"#))
            #expect(exposition.contains(#"hedgebus_inventory_over_limit_events_total{account="desk",symbol="BTC-USD"} 1"#))

            let response = try await onOwnThread { try rawTCPExchange(port: metricsPort, send: "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n") }
            #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(response.contains("Content-Type: text/plain; version=0.0.4"))
            #expect(response.contains("hedgebus_fills_total"))
            let refused = try await onOwnThread { try rawTCPExchange(port: metricsPort, send: "DELETE /metrics HTTP/1.1\r\n\r\n") }
            #expect(refused.hasPrefix("HTTP/1.1 405"))
            await loop.shutdown()
        }
    }
}
