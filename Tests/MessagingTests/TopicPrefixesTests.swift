import Foundation
import Testing
@testable import Messaging

/// `TopicPrefixes` matches a topic when one of its prefixes starts it, byte for byte, and an
/// empty prefix matches every topic; prefixes added later count as the first ones do.
@Suite struct TopicPrefixesTests {
    private func prefixes(_ texts: [String]) -> TopicPrefixes { TopicPrefixes(texts.map { Data($0.utf8) }) }

    @Test func aTopicMatchesWhenSomePrefixStartsIt() {
        let table = prefixes(["market.", "decision.BTC-USD", "trace.risk"])
        for topic in ["market.ETH-USD", "market.", "decision.BTC-USD", "decision.BTC-USD.more", "trace.risk-manager"] {
            #expect(table.matches(topic), "\(topic)")
        }
        for topic in ["", "market", "decision.ETH-USD", "decision.BTC", "risk.BTC-USD", "Market.BTC-USD", "trace.ris"] {
            #expect(!table.matches(topic), "\(topic)")
        }
    }

    @Test func noPrefixMatchesNothingAndAnEmptyOneMatchesEverything() {
        #expect(!TopicPrefixes().matches("market.BTC-USD"))
        #expect(!TopicPrefixes().matches(""))
        let everything = prefixes(["decision.", ""])
        #expect(everything.matches("anything at all"))
        #expect(everything.matches(""))
    }

    @Test func addedPrefixesMatchAsTheFirstOnesDo() {
        var table = prefixes(["market."])
        #expect(!table.matches("inventory.BTC-USD"))
        table.add([Data("inventory.".utf8), Data("account.desk".utf8)])
        #expect(table.matches("inventory.BTC-USD"))
        #expect(table.matches("account.desk"))
        #expect(table.matches("market.SOL-USD"))
        #expect(!table.matches("account.spot"))
        // The same through raw bytes, as frames read off a socket are matched.
        let frame = Data("inventory.ETH-USD".utf8)
        #expect(frame.withUnsafeBytes { table.matches($0) })
        #expect(Data("fill.ETH-USD".utf8).withUnsafeBytes { !table.matches($0) })
    }

    @Test func multiByteTopicsAreMatchedByTheirBytes() {
        let table = prefixes(["價格.", "note.é"])
        #expect(table.matches("價格.BTC"))
        #expect(table.matches("note.été"))
        #expect(!table.matches("note.e"))
    }
}
