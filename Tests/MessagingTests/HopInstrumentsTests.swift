import Metrics
import Testing
@testable import Messaging

/// `HopInstruments` makes one counter and timer per key and hands the same pair back for it,
/// whichever key was looked up last.
@Suite struct HopInstrumentsTests {
    @Test func eachKeyKeepsItsOwnPairWhateverWasLookedUpLast() {
        let instruments = HopInstruments<String>()
        var made: [String] = []
        func pair(_ key: String) -> (counter: Counter, timer: Timer) {
            instruments.pair(for: key) {
                made.append(key)
                return (Counter(label: "hop_test_\(key)_total"), Timer(label: "hop_test_\(key)_seconds"))
            }
        }
        let first = pair("order.submit")
        let second = pair("analyze")
        for key in ["order.submit", "order.submit", "analyze", "order.submit", "analyze", "analyze"] {
            let expected = key == "order.submit" ? first : second
            let found = pair(key)
            #expect(found.counter === expected.counter && found.timer === expected.timer, "the pair of \(key)")
            #expect(found.counter.label == "hop_test_\(key)_total")
        }
        #expect(made == ["order.submit", "analyze"])
        #expect(instruments.count == 2)
    }
}
