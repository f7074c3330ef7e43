import Foundation
import Testing
import Messaging

/// `Data(utf8Of:)` holds exactly the UTF-8 bytes of its text, whatever the text's length or
/// characters, as `Data(text.utf8)` does.
@Suite struct DataUTF8Tests {
    @Test(arguments: ["", "a", "decision.BTC-USD", "market.ETH-USD.some-much-longer-topic-than-fits-inline",
                      "trace.risk-manager", "é", "topic.日本語", "mixed ✓ text 🚀 past fifteen bytes"])
    func holdsTheTextsUTF8Bytes(_ text: String) {
        let data = Data(utf8Of: text)
        #expect(data == Data(text.utf8))
        #expect(data.count == text.utf8.count)
        #expect(String(decoding: data, as: UTF8.self) == text)
    }

    @Test func aSubstringsTextTakesOnlyItsOwnBytes() {
        let whole = "decision.BTC-USD.extra"
        let part = String(whole.prefix(16))
        #expect(Data(utf8Of: part) == Data("decision.BTC-USD".utf8))
    }
}
