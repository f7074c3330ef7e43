import AgentRuntime
import Foundation
import HedgeBusTesting
import Messaging
import Testing
import Trading
import WireFormat
import WireProtocol

@Suite("Bad input and bad deployments", .serialized, .timeLimit(.minutes(3)))
struct RobustnessTests {
    @Test(arguments: AgentLayout.allCases)
    func agentsSurviveMalformedMessagesAndSayWhatIsWrong(layout: AgentLayout) async throws {
        try await RunningTopology.run(extra: pipelineSections, layout: layout) { running in
            let topology = running.topology
            let loop = try MessageLoop(name: "robustness-test")
            let recorder = try await BusRecorder.start(loop: loop, topology: topology)
            try await recorder.awaitEveryHeartbeat(timeout: .seconds(20))
            let publisher = try await GatedPublisher.connect(loop: loop, endpoint: topology.bus.publish)
            #expect(await publisher.awaitSubscriber(for: "signal.BTC-USD", timeout: .seconds(10)))

            // Garbage, a wrong type, and a readable signal with impossible numbers on the signal topic.
            let garbage: [String] = ["\u{0}\u{1}not json", #"{"v":1}"#, #"[1,2,3]"#]
            for body in garbage { try await publisher.publishRaw([Data("signal.BTC-USD".utf8), Data(body.utf8)]) }
            let impossible = #"{"v":1,"id":"bad-1","type":"signal","trace_id":"\#(TraceID.make())","parent_id":null,"source":"test","ts":1,"payload":{"symbol":"BTC-USD","side":"buy","confidence":7}}"#
            try await publisher.publishRaw([Data("signal.BTC-USD".utf8), Data(impossible.utf8)])
            let good = Envelope.make(type: EventType.signal, source: "test", trace: .root(), payload: SignalPayload(symbol: "BTC-USD", side: .buy, confidence: 0.9))
            try await publisher.publish(good, topic: Topic.signal("BTC-USD"))
            #expect(await recorder.wait(timeout: .seconds(30)) { messages in
                let parents = PipelineTests.decisions(in: messages).compactMap(\.parentId)
                return parents.contains("bad-1") && parents.contains(good.id)
            })
            let rejected = try #require(recorder.envelopes(EventType.decision, as: DecisionPayload.self).first { $0.parentId == "bad-1" })
            #expect(rejected.payload.outcome == .rejected)
            #expect(rejected.payload.reason.contains("payload.confidence"))

            // Malformed requests straight at the MarketMaker's endpoint get `error` replies.
            let endpoint = try topology.endpoint(of: .marketMaker).endpoint
            let replies = try await onOwnThread { () throws -> [Data] in
                let context = try ZMQContext()
                defer { context.terminate() }
                let req = try context.socket(.req)
                defer { req.close() }
                try req.connect(endpoint)
                var replies: [Data] = []
                let traceId = TraceID.make()
                for body in ["}{", #"{"v":1,"id":"q1","type":"order.submit","trace_id":"\#(traceId)","source":"t","ts":1,"payload":{"client_order_id":"c","account":"desk","symbol":"BTC-USD","side":"buy","type":"market","qty":-3}}"#,
                             #"{"v":1,"id":"q2","type":"order.submit","trace_id":"\#(traceId)","source":"t","ts":1,"payload":{"client_order_id":"c","account":"desk","symbol":"BTC-USD","side":"buy","type":"market","qty":"lots"}}"#,
                             #"{"v":1,"id":"q3","type":"launch.rockets","trace_id":"\#(traceId)","source":"t","ts":1,"payload":{}}"#] {
                    try req.send([Data(body.utf8)], wait: true)
                    replies.append(try req.receive()?.last ?? Data())
                }
                return replies
            }
            let codes = try replies.map { try JSONEnvelopeCodec().decode(ErrorPayload.self, from: $0).payload.code }
            #expect(codes == [.malformedJSON, .invalidValue, .wrongType, .unknownType])

            // Every process is still up and answering.
            for handle in running.handles.values { #expect(running.processes.isRunning(handle), "\(handle.name) died") }
            let venue = try await RequestClient.connect(loop: loop, peer: "market-maker", endpoint: endpoint, source: "test")
            #expect(try await venue.request(PingRequest(), trace: .root()).payload.agent == "market-maker")
            await loop.shutdown()
        }
    }

    /// libzmq drops a message over the size limit by closing its connection and tells the agent
    /// nothing; the agent's socket monitor counts the closed connection, which shows in its
    /// metrics and in the heartbeat notes `hedgectl status` prints, and the agent answers on.
    @Test func anOversizedRequestIsCountedAndTheAgentAnswersTheNextOne() async throws {
        try await RunningTopology.run(extra: pipelineSections) { running in
            let loop = try MessageLoop(name: "oversized-test")
            let recorder = try await BusRecorder.start(loop: loop, topology: running.topology, topics: [Topic.heartbeat("market-maker")])
            let endpoint = try running.topology.endpoint(of: .marketMaker).endpoint
            let venue = try await RequestClient.connect(loop: loop, peer: "market-maker", endpoint: endpoint, source: "test")
            // The harness's own connections, closed before the test began, are counted by now:
            // the gauge holds still across two heartbeats.
            var before = try await Self.closedConnections(venue)
            while true {
                let beats = recorder.messages.count
                #expect(await recorder.wait(timeout: .seconds(5)) { $0.count >= beats + 2 })
                let settled = try await Self.closedConnections(venue)
                if settled == before { break }
                before = settled
            }

            // A raw DEALER without a size limit, open throughout: only the agent can close its connection.
            let (raw, replies) = try await loop.open(SocketSpec(kind: .dealer, connects: [endpoint]))
            var inbox = replies.makeAsyncIterator()
            try await loop.send([Data(), Data(repeating: 0x20, count: Int(SocketOptions.defaultMaxMessageSize) + 1)], on: raw)
            var after = before
            let deadline = ContinuousClock.now.advanced(by: .seconds(15))
            // The gauge follows the agent's heartbeat; a counter offers no handshake to wait on.
            while after == before, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                after = try await Self.closedConnections(venue)
            }
            #expect(after == before + 1, "closed connections went from \(before) to \(after)")
            #expect(await recorder.wait(timeout: .seconds(5)) { messages in
                messages.contains { message in
                    ((try? JSONEnvelopeCodec().decode(HeartbeatPayload.self, from: message.body).payload.notes) ?? nil)?
                        .contains { $0.contains("connection(s) closed") } == true
                }
            }, "no heartbeat of the market-maker notes the closed connection")

            // The same client, reconnected by libzmq, is answered; the agent never went down.
            let ping = Envelope.make(type: PingRequest.requestType, source: "test", trace: .root(), payload: PingRequest())
            try await loop.send([Data(), try JSONEnvelopeCodec().encode(ping)], on: raw)
            let reply = try #require(await inbox.next()?.last)
            #expect(try JSONEnvelopeCodec().decode(HeartbeatPayload.self, from: reply).payload.agent == "market-maker")
            #expect(running.processes.isRunning(try #require(running.handles["market-maker"])))
            await loop.shutdown()
        }
    }

    /// The market-maker's `hedgebus_loop_connections_closed` gauge, as its metrics report it.
    private static func closedConnections(_ venue: RequestClient) async throws -> Int {
        let exposition = try await venue.request(MetricsRequest(), trace: .root()).payload.exposition
        let line = exposition.split(separator: "\n").first { $0.hasPrefix("hedgebus_loop_connections_closed ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "").map { Int($0) } } ?? 0
    }

    @Test func aSecondAgentOnATakenPortExitsNamingThePort() async throws {
        try await RunningTopology.run(extra: pipelineSections) { running in
            // A ledger of its own, so the refusal comes from the port, not from a file it finds.
            let second = try running.processes.start("market-maker", ["--topology", running.fixture.path,
                                                                      "--ledger", running.processes.logDirectory + "/second-ledger.sqlite"])
            let status = await running.processes.exitStatus(second, within: .seconds(20))
            #expect(status == 2)
            let port = try running.topology.endpoint(of: .marketMaker).endpoint
            #expect(running.processes.log(second).contains("cannot listen on \(port)"))
            #expect(running.processes.log(second).contains("already in use"))
        }
    }

    @Test func aBadTopologyFileIsRefusedWithTheFieldNamed() async throws {
        let path = NSTemporaryDirectory() + "hedgebus-bad-\(UUID().uuidString.prefix(6)).json"
        try Data(#"{"bus": {"publish": "tcp://127.0.0.1:1"}, "agents": {}}"#.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let processes = ProcessGroup()
        let agent = try processes.start("risk-manager", ["--topology", path])
        let status = await processes.exitStatus(agent, within: .seconds(20))
        #expect(status != nil && status != 0)
        #expect(processes.log(agent).contains("bus.subscribe"))
        await processes.stop()
    }
}
