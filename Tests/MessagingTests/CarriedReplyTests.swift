import Foundation
import HedgeBusTesting
import Testing
import WireFormat
import WireProtocol
@testable import Messaging

/// A handler registered with `on(_:carrying:)` answers with a payload another agent sent it: a
/// request read from a socket gets the bytes that payload came in, when the decoder kept them, and
/// the payload written again otherwise; a request handed over as a value gets the payload. Errors
/// and validation are those of any other handler.
@Suite("Replies carrying a received payload", .timeLimit(.minutes(1)))
struct CarriedReplyTests {
    static let report = OrderReport(orderId: "O-7", clientOrderId: "sig-1", account: "desk", symbol: "BTC-USD", side: .buy,
                                     type: .market, status: .filled, qty: 0.5, filledQty: 0.5, avgPrice: 59000,
                                     fills: [FillPayload(orderId: "O-7", clientOrderId: "sig-1", account: "desk", symbol: "BTC-USD",
                                                         side: .buy, price: 59000, qty: 0.5, fee: 29.5)],
                                     reason: nil, reasonCode: nil)

    /// The report's bytes as this build writes them.
    static var written: String { String(decoding: report.writtenFastJSON()!, as: UTF8.self) }

    /// The report in another writer's form: spaces, and a price written as `59000.0`.
    static var spaced: String {
        written.replacingOccurrences(of: #","avg_price":59000"#, with: #", "avg_price" : 59000.0"#)
    }

    /// The report as a peer replied it in `payload`'s form, decoded as a client decodes it.
    static func received(_ payload: String) throws -> Envelope<OrderReport> {
        let header = #"{"id":"m-9","parent_id":"m-8","payload":"#
        let rest = #","source":"market-maker","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","ts":1700000000000001,"type":"order.submit.ok","v":1}"#
        return try JSONEnvelopeCodec().decode(OrderReport.self, from: Data((header + payload + rest).utf8))
    }

    /// A server on a loop at a TCP endpoint and an `inproc://` one, answering `order.submit` with
    /// the report in the form its client order id names.
    struct Served {
        let loop: MessageLoop
        let server: RequestServer
        let serving: Task<Void, Never>

        static func start(_ name: String) async throws -> Served {
            let loop = try MessageLoop(name: name)
            var handlers = RequestHandlers()
            handlers.on(OrderSubmit.self, carrying: { request in
                switch request.payload.clientOrderId {
                case "spaced": return CarriedPayload(try CarriedReplyTests.received(CarriedReplyTests.spaced))
                case "unknown":
                    let extra = CarriedReplyTests.written.replacingOccurrences(of: #","fills":"#, with: #","note":"late","fills":"#)
                    return CarriedPayload(try CarriedReplyTests.received(extra))
                case "negative":
                    var report = CarriedReplyTests.report
                    report.filledQty = -1
                    return CarriedPayload(Envelope.make(type: "order.submit.ok", source: "market-maker", trace: .root(), payload: report))
                case "fail": throw ProtocolError(.notFound, "told to fail")
                default:
                    return CarriedPayload(Envelope.make(type: "order.submit.ok", source: "market-maker", trace: .root(),
                                                        payload: CarriedReplyTests.report))
                }
            })
            let server = try await RequestServer.bind(loop: loop, endpoint: "tcp://127.0.0.1:*", alsoBinding: ["inproc://carried.\(name)"],
                                                      name: "server", handlers: handlers)
            return Served(loop: loop, server: server, serving: Task(executorPreference: loop) { await server.run() })
        }

        func client(at endpoint: String) async throws -> RequestClient {
            try await RequestClient.connect(loop: loop, peer: "server", endpoint: endpoint, source: "client",
                                            policy: RequestPolicy(attemptTimeout: .seconds(10), attempts: 1))
        }

        func stop() async {
            await loop.shutdown()
            await serving.value
        }
    }

    static func order(_ clientOrderId: String) -> OrderSubmit {
        OrderSubmit(clientOrderId: clientOrderId, account: "desk", symbol: "BTC-USD", side: .buy, type: .market, qty: 0.5)
    }

    @Test func aReplyThroughTheSocketCarriesThePayloadAsItCame() async throws {
        let served = try await Served.start("socket")
        let client = try await served.client(at: served.server.endpoint)
        #expect(Self.spaced != Self.written)
        let carried = try await client.request(Self.order("spaced"), trace: .root())
        #expect(carried.payload == Self.report)
        #expect(carried.type == "order.submit.ok" && carried.source == "server")
        // The client keeps the bytes the reply's payload was read from: the other writer's, unchanged.
        #expect(carried.receivedPayload.json.map { String(decoding: $0, as: UTF8.self) } == Self.spaced)
        // Bytes that held a member their reader passed over were not kept: the payload is written again.
        let rewritten = try await client.request(Self.order("unknown"), trace: .root())
        #expect(rewritten.payload == Self.report)
        #expect(rewritten.receivedPayload.json.map { String(decoding: $0, as: UTF8.self) } == Self.written)
        // A payload made in memory has no bytes to carry and is written by its form.
        let made = try await client.request(Self.order("made"), trace: .root())
        #expect(made.receivedPayload.json.map { String(decoding: $0, as: UTF8.self) } == Self.written)
        client.close()
        await served.stop()
    }

    @Test func aCarriedPayloadIsCheckedAndErrorsAreRepliesAsForAnyHandler() async throws {
        let served = try await Served.start("errors")
        let client = try await served.client(at: served.server.endpoint)
        await #expect { _ = try await client.request(Self.order("negative"), trace: .root()) }
            throws: { ($0 as? ProtocolError)?.code == .invalidValue && "\($0)".contains("filled_qty") }
        await #expect { _ = try await client.request(Self.order("fail"), trace: .root()) }
            throws: { ($0 as? ProtocolError)?.code == .notFound && ($0 as? ProtocolError)?.message == "told to fail" }
        #expect(served.server.stats.errors == 2)
        #expect(try await client.request(Self.order("spaced"), trace: .root()).payload == Self.report)
        client.close()
        await served.stop()
    }

    @Test func aRequestHandedOverAsAValueGetsThePayload() async throws {
        let served = try await Served.start("values")
        let client = try await served.client(at: "inproc://carried.values")
        let before = served.loop.stats
        let replies = try await withTaskExecutorPreference(served.loop) { [server = served.server] in
            while !server.takesHandOvers { await Task.yield() }
            return [try await client.request(Self.order("spaced"), trace: .root()), try await client.request(Self.order("made"), trace: .root())]
        }
        #expect(replies.map(\.payload) == [Self.report, Self.report])
        let after = served.loop.stats
        #expect(after.sent == before.sent && after.received == before.received, "requests went through sockets: \(before) → \(after)")
        await #expect { _ = try await withTaskExecutorPreference(served.loop) { try await client.request(Self.order("negative"), trace: .root()) } }
            throws: { ($0 as? ProtocolError)?.code == .invalidValue }
        client.close()
        await served.stop()
    }
}
