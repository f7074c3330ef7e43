import Foundation
import HedgeBusTesting
@testable import Messaging
import Testing

/// `TopicInterest` answers as `hasSubscriber(for:)` does, whenever it is asked: a subscription
/// made or dropped after an answer, in the process or outside it, changes the next one.
@Suite("Topic interest", .timeLimit(.minutes(2)))
struct TopicInterestTests {
    @Test func theAnswerFollowsSubscriptionsInTheProcessAndOutside() async throws {
        let endpoints = BusProxy.Endpoints(publish: FreePort.endpoint(), subscribe: FreePort.endpoint(), capture: nil)
        let busLoop = try MessageLoop(name: "interest-bus")
        let bus = try await LoopBus.open(loop: busLoop, endpoints: endpoints)
        let agent = BusPublisher.onLoopBus(bus)
        let traces = TopicInterest(topic: "trace.risk-manager", publisher: agent)
        let fills = TopicInterest(topic: "fill.BTC-USD", publisher: agent)
        #expect(!traces.hasSubscriber)
        #expect(!fills.hasSubscriber)
        #expect(!traces.hasSubscriber, "asked again with nothing changed")

        // A subscriber in the process, to traces.
        let inProcess = BusSubscriber.onLoopBus(bus, topics: ["trace."])
        #expect(traces.hasSubscriber)
        #expect(!fills.hasSubscriber)

        // A subscriber outside, to fills: once the bus has read its subscription.
        let outside = try MessageLoop(name: "interest-client")
        let subscriber = try await BusSubscriber.connect(loop: outside, endpoint: endpoints.subscribe, topics: ["fill."])
        #expect(await agent.subscriptions.wait(for: Data("fill.BTC-USD".utf8), timeout: .seconds(5)))
        #expect(fills.hasSubscriber)
        #expect(fills.hasSubscriber == agent.hasSubscriber(for: "fill.BTC-USD"))

        // It goes away: its unsubscription reaches the bus, and the answer follows.
        await outside.shutdown()
        #expect(await agent.subscriptions.wait(for: Data("fill.BTC-USD".utf8), covered: false, timeout: .seconds(5)))
        #expect(!fills.hasSubscriber)
        #expect(traces.hasSubscriber)

        _ = (inProcess, subscriber)
        bus.stop()
        await busLoop.shutdown()
    }

    @Test func everyChangeOfAPublishersSubscriptionsIsCounted() {
        let registry = SubscriptionRegistry()
        #expect(registry.changeCount == 0)
        registry.update(prefix: Data("trace.".utf8), subscribed: true)
        registry.update(prefix: Data("trace.".utf8), subscribed: true)
        registry.update(prefix: Data("trace.".utf8), subscribed: false)
        #expect(registry.changeCount == 3)
        #expect(registry.covers("trace.director"))
        registry.update(prefix: Data("trace.".utf8), subscribed: false)
        #expect(registry.changeCount == 4)
        #expect(!registry.covers("trace.director"))
    }
}
