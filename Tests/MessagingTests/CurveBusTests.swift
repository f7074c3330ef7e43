import Foundation
import HedgeBusTesting
@testable import Messaging
import Synchronization
import Testing
import WireFormat
import WireProtocol

@Suite("CURVE bus", .timeLimit(.minutes(2)))
struct CurveBusTests {
    /// A bus that lists maker, watcher and reader; only maker may publish `market.*` and
    /// `inventory.*`, only reader may subscribe to `inventory.`.
    @Test func publicationsAndSubscriptionsAreJudgedByIdentity() async throws {
        let (busKeys, maker, watcher, reader, outsider) = (try CurveKeyPair.generate(), try CurveKeyPair.generate(), try CurveKeyPair.generate(),
                                                           try CurveKeyPair.generate(), try CurveKeyPair.generate())
        let listed = [maker.publicKey: "maker", watcher.publicKey: "watcher", reader.publicKey: "reader"]
        let security = BusSecurity(
            keys: busKeys,
            zap: ZAPPolicy(domains: [BusSecurity.publishDomain: listed, BusSecurity.subscribeDomain: listed]),
            mayPublish: { identity, topic in identity == "maker" || !(topic.hasPrefix("market.") || topic.hasPrefix("inventory.")) },
            maySubscribe: { identity, prefix in identity == "reader" || !"inventory.".hasPrefix(prefix) && !prefix.hasPrefix("inventory.") })
        let endpoints = BusProxy.Endpoints(publish: FreePort.endpoint(), subscribe: FreePort.endpoint(), capture: nil)
        let proxy = try BusProxy(endpoints: endpoints, heartbeatInterval: .seconds(60), security: security) { _ in nil }
        let running = Task { try await proxy.run() }
        let loop = try MessageLoop(name: "curve-bus-test")
        func as_(_ keys: CurveKeyPair) -> CurveRole { .client(keys, serverKey: busKeys.publicKey) }
        do {
            let (seenByReader, seenByWatcher, seenByOutsider) = (Bodies(), Bodies(), Bodies())
            for (keys, seen) in [(reader, seenByReader), (watcher, seenByWatcher), (outsider, seenByOutsider)] {
                let messages = try await BusSubscriber.connect(loop: loop, endpoint: endpoints.subscribe, topics: ["market.", "inventory."],
                                                               curve: as_(keys)).messages
                Task { for await message in messages { seen.append(message.body) } }
            }
            let makerOut = try await BusPublisher.connect(loop: loop, endpoint: endpoints.publish, curve: as_(maker))
            let forger = try await BusPublisher.connect(loop: loop, endpoint: endpoints.publish, curve: as_(watcher))
            let envelope = { (text: String) in Envelope.make(type: "test", source: "maker", trace: .root(), payload: ErrorPayload(ProtocolError(.invalidValue, text))) }

            // Publish until the bus has refused the forger's tick and refused the watcher's
            // inventory subscription, and the reader has received both of maker's topics.
            let deadline = ContinuousClock.now.advanced(by: .seconds(15))
            while ContinuousClock.now < deadline {
                try forger.publish(envelope("forged-tick"), topic: "market.BTC-USD")
                try makerOut.publish(envelope("real-tick"), topic: "market.BTC-USD")
                try makerOut.publish(envelope("real-inventory"), topic: "inventory.BTC-USD")
    
                let stats = proxy.stats
                if stats.refusedPublications > 0, stats.refusedSubscriptions > 0, stats.refusedHandshakes > 0,
                   seenByReader.has("real-tick"), seenByReader.has("real-inventory"), seenByWatcher.has("real-tick") { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            let stats = proxy.stats
            #expect(stats.refusedPublications > 0, "the forged market tick was never refused")
            #expect(stats.refusedSubscriptions > 0, "the watcher's inventory subscription was never refused")
            #expect(stats.refusedHandshakes > 0, "the outsider's key was never refused")
            #expect(seenByReader.has("real-inventory"), "the listed reader got no inventory")
            #expect(seenByWatcher.has("real-tick"), "the watcher got no market ticks")
            #expect(!seenByWatcher.has("real-inventory"), "the watcher read inventory")
            for seen in [seenByReader, seenByWatcher] {
                #expect(!seen.has("forged-tick"), "a forged tick got through")
            }
            #expect(seenByOutsider.count == 0, "the outsider received \(seenByOutsider.count) message(s)")
        } catch {
            proxy.stop()
            _ = try? await running.value
            await loop.shutdown()
            throw error
        }
        proxy.stop()
        try await running.value
        await loop.shutdown()
    }

    /// Behind a manual XPUB every subscriber's change comes up; publishers must hear of a prefix
    /// once while anyone holds it, and of its end once when the last holder goes.
    @Test func publishersHearTheFirstSubscriptionAndTheEndOfTheLast() throws {
        func change(_ subscribe: Bool, _ prefix: String) throws -> SubscriptionChange {
            try #require(SubscriptionChange([Data([subscribe ? 1 : 0]) + Data(prefix.utf8)]))
        }
        var granted = GrantedSubscriptions()
        #expect(granted.record(try change(true, "market."), departed: false))
        #expect(!granted.record(try change(true, "market."), departed: false), "a second holder is not news upstream")
        #expect(!granted.record(try change(false, "market."), departed: false), "one holder is left")
        #expect(granted.record(try change(false, "market."), departed: false), "the last holder's cancel goes up")
        #expect(!granted.record(try change(false, "market."), departed: false), "nothing left to cancel")

        #expect(granted.record(try change(true, "fill."), departed: false))
        #expect(!granted.record(try change(true, "fill."), departed: false))
        #expect(granted.record(try change(false, "fill."), departed: true), "libzmq's notice that every holder has gone")
        #expect(granted.record(try change(true, "fill."), departed: false), "a new holder is news again")
        #expect(SubscriptionChange([Data([7]) + Data("x".utf8)]) == nil && SubscriptionChange([Data(), Data()]) == nil)
    }
}

/// Message bodies a subscriber received, as text.
private final class Bodies: Sendable {
    private let bodies = Mutex<[String]>([])

    func append(_ body: Data) { bodies.withLock { $0.append(String(decoding: body, as: UTF8.self)) } }
    func has(_ marker: String) -> Bool { bodies.withLock { $0.contains { $0.contains(marker) } } }
    var count: Int { bodies.withLock { $0.count } }
}
