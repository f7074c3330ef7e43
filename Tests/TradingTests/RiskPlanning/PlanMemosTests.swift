import Testing
@testable import Trading

/// Plan memos kept in symbol order and found by walking from the last one found: the same memos
/// a dictionary finds, for symbols asked in order, out of order, and absent.
@Suite struct PlanMemosTests {
    static let symbols = ["ADA-USD", "AVAX-USD", "BTC-USD", "DOT-USD", "ETH-USD", "LTC-USD", "SOL-USD", "XRP-USD", "ZEC-USD"]

    @Test(arguments: [5, 6, 7] as [UInt64])
    func everyLookupFindsWhatADictionaryFinds(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        for _ in 0..<300 {
            var dictionary: [String: PlanMemo] = [:]
            var memos = PlanMemos()
            for symbol in Self.symbols where Bool.random(using: &generator) {
                let memo = PlanMemo(side: Bool.random(using: &generator) ? .buy : .sell, stopPrice: Price(raw: Int64.random(in: 1...1_000, using: &generator)),
                                    leverage: Int.random(in: 1...5, using: &generator))
                dictionary[symbol] = memo
                memos.set(memo, for: symbol)
            }
            #expect(memos == PlanMemos(dictionary))
            #expect(memos.entries.map(\.symbol) == dictionary.keys.sorted())
            // Holdings asked in symbol order (as an account lists them), then shuffled.
            let asked = Self.symbols.filter { _ in Bool.random(using: &generator) }
            for order in [asked, asked.shuffled(using: &generator)] {
                var next = 0
                for symbol in order {
                    #expect(memos.memo(for: symbol, after: &next) == dictionary[symbol], "\(symbol) in \(order) of \(memos.entries.map(\.symbol))")
                    #expect(memos[symbol] == dictionary[symbol])
                }
            }
        }
    }

    @Test func aMemoKeptAgainReplacesTheEarlierOneAndRemovalDropsIt() {
        var memos: PlanMemos = ["ETH-USD": PlanMemo(side: .buy, stopPrice: 90, leverage: 1)]
        #expect(memos.set(PlanMemo(side: .sell, stopPrice: 110, leverage: 2), for: "ETH-USD") == 0)
        #expect(memos.count == 1 && memos["ETH-USD"]?.side == .sell)
        #expect(memos.set(PlanMemo(side: .buy, stopPrice: 50, leverage: 1), for: "BTC-USD") == 0)
        memos.remove(at: 0)
        #expect(memos.entries.map(\.symbol) == ["ETH-USD"])
    }
}
