import Agents
import Testing

/// The director's memory of signal ids: a repeat is recognised, the oldest id goes first.
@Suite struct RecentIDsTests {
    @Test func aRepeatIsRecognisedAndTheOldestIdIsForgottenFirst() {
        let ids = RecentIDs(capacity: 3)
        #expect(ids.insert("sig-1"))
        #expect(!ids.insert("sig-1"))
        #expect(ids.insert("sig-2") && ids.insert("sig-3"))
        #expect(!ids.insert("sig-2"))
        #expect(ids.insert("sig-4"))     // sig-1 is forgotten
        #expect(ids.insert("sig-1"))     // so it is new again, and sig-2 goes
        #expect(!ids.insert("sig-3") && !ids.insert("sig-4"))
        #expect(ids.insert("sig-2"))
    }

    @Test func manyDistinctIdsAreEachNewOnceAndRepeatsOfTheHeldOnesAreNot() {
        let ids = RecentIDs(capacity: 100_000)
        let all = (0..<100_000).map { "sig-\($0)-\($0 &* 2_654_435_761)" }
        #expect(all.allSatisfy(ids.insert))
        #expect(!all.contains(where: ids.insert))
    }
}
