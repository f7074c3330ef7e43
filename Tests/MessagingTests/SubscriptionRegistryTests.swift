import Foundation
@testable import Messaging
import Testing

/// What a publisher's registry answers for a topic: whether some subscribed prefix starts it,
/// byte for byte, as libzmq's own filter decides.
@Suite("Subscription registry")
struct SubscriptionRegistryTests {
    static func subscribe(_ registry: SubscriptionRegistry, _ prefix: String) {
        registry.apply([Data([1]) + Data(prefix.utf8)])
    }

    @Test func aTopicIsCoveredExactlyWhenASubscribedPrefixStartsIt() {
        let registry = SubscriptionRegistry()
        #expect(registry.covers("account.desk") == false, "nobody subscribes yet")
        Self.subscribe(registry, "account.")
        Self.subscribe(registry, "fill.BTC-USD")
        #expect(registry.covers("account.desk"))
        #expect(registry.covers("account."))
        #expect(registry.covers("account") == false, "a prefix longer than the topic")
        #expect(registry.covers("accounts.desk") == false)
        #expect(registry.covers("fill.BTC-USD"))
        #expect(registry.covers("fill.BTC-USDT"))
        #expect(registry.covers("fill.ETH-USD") == false)
        #expect(registry.covers("") == false)
    }

    @Test func anEmptyPrefixCoversEveryTopicAndAnUnsubscribedOneNoLonger() {
        let registry = SubscriptionRegistry()
        Self.subscribe(registry, "")
        #expect(registry.covers(""))
        #expect(registry.covers("inventory.BTC-USD"))
        registry.apply([Data([0])])
        #expect(registry.covers("inventory.BTC-USD") == false)
    }

    @Test func prefixesAreComparedAsUTF8Bytes() {
        let registry = SubscriptionRegistry()
        Self.subscribe(registry, "quote.€")
        #expect(registry.covers("quote.€UR"))
        #expect(registry.covers("quote.e") == false)
        registry.apply([Data([1, 0x71, 0xE2])])  // "q" and the first byte of "€"
        #expect(registry.covers("q€"))
        #expect(registry.covers("qe") == false)
    }
}
