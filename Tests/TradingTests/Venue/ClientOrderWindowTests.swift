import Synchronization
import Testing
@testable import Trading

/// A venue that keeps only recent client order ids in memory still answers every retry as the
/// first time, reading older ids back from its archive.
@Suite struct ClientOrderWindowTests {
    /// An archive as the ledger is one: every first result the venue gave, by account and id,
    /// with a count of lookups and a switch that makes reads fail.
    final class Archive: ClientOrderArchive {
        struct Unreadable: Error, CustomStringConvertible { var description: String { "disk I/O error" } }
        private let state = Mutex((results: [String: OrderResult](), lookups: 0, failing: false))

        func keep(_ result: OrderResult) {
            state.withLock { state in
                let key = result.account + "/" + result.clientOrderId
                if state.results[key] == nil { state.results[key] = result }
            }
        }
        var lookups: Int { state.withLock { $0.lookups } }
        func fail() { state.withLock { $0.failing = true } }

        func firstResult(account: String, clientOrderId: String) throws -> OrderResult? {
            try state.withLock { state in
                state.lookups += 1
                if state.failing { throw Unreadable() }
                return state.results[account + "/" + clientOrderId]
            }
        }
    }

    /// Submits `request` and keeps a first result in the archive, as the ledger would.
    private func submit(_ request: OrderRequest, to venue: inout SimulatedVenue, archive: Archive, at time: Int64) -> OrderResult {
        let result = venue.submit(request, at: time)
        let remembered = venue.rememberedResult(account: result.account, clientOrderId: result.clientOrderId)
        // What a ledger batch asks, told without building the result, says the same.
        #expect(venue.remembers(orderId: result.orderId, account: result.account, clientOrderId: result.clientOrderId)
                == (remembered?.orderId == result.orderId))
        if let remembered {
            #expect(!venue.remembers(orderId: remembered.orderId + "0", account: result.account, clientOrderId: result.clientOrderId))
        }
        if remembered?.orderId == result.orderId {
            archive.keep(result)
        }
        return result
    }

    @Test func memoryStaysBoundedAndEveryRetryStillGetsItsFirstResult() throws {
        var venue = try quotedVenue(Balance(quote: 50_000_000_000), bid: 99, ask: 101)
        let archive = Archive()
        try venue.keepClientOrders(inMemory: 100, archive: archive)
        var firsts: [OrderResult] = []
        for n in 0..<1_000 {
            firsts.append(submit(order(n % 2 == 0 ? .buy : .sell, 1, id: "c\(n)"), to: &venue, archive: archive, at: Int64(n)))
            #expect(venue.clientOrders.count <= 100)
        }
        #expect(firsts.allSatisfy { $0.status == .filled })
        // New ids never reached the archive: the filter knew they were new.
        #expect(archive.lookups == 0)
        #expect(venue.snapshot().rememberedResults.count <= 100)
        let submitted = venue.ordersSubmitted
        let position = venue.position(account: "desk", symbol: "BTC-USD")
        // The oldest ids are long out of memory; a retry replays the first result from the archive.
        for n in [0, 1, 2, 500, 999] {
            let retry = venue.submit(order(n % 2 == 0 ? .buy : .sell, 1, id: "c\(n)"), at: 5_000)
            #expect(retry == firsts[n], "c\(n)")
        }
        #expect(archive.lookups > 0)
        #expect(venue.ordersSubmitted == submitted)
        #expect(venue.position(account: "desk", symbol: "BTC-USD") == position)
    }

    @Test func anOldIdReusedWithOtherTermsIsRefusedNamingTheTerm() throws {
        var venue = try quotedVenue(Balance(quote: 1e9), bid: 99, ask: 101)
        let archive = Archive()
        try venue.keepClientOrders(inMemory: 10, archive: archive)
        let first = submit(order(.buy, 1, id: "old"), to: &venue, archive: archive, at: 0)
        for n in 0..<50 { _ = submit(order(.buy, 1, id: "n\(n)"), to: &venue, archive: archive, at: Int64(n + 1)) }
        let reuse = venue.submit(order(.buy, 2, id: "old"), at: 100)
        #expect(reuse.status == .rejected)
        #expect(reuse.rejection?.code == .duplicateClientOrderId)
        #expect(reuse.rejection?.message.contains(first.orderId) == true)
        #expect(reuse.rejection?.message.contains("qty") == true)
    }

    @Test func anUnreadableArchiveRefusesTheOrderInsteadOfRunningItAgain() throws {
        var venue = try quotedVenue(Balance(quote: 1e9), bid: 99, ask: 101)
        let archive = Archive()
        try venue.keepClientOrders(inMemory: 10, archive: archive)
        _ = submit(order(.buy, 1, id: "old"), to: &venue, archive: archive, at: 0)
        for n in 0..<50 { _ = submit(order(.buy, 1, id: "n\(n)"), to: &venue, archive: archive, at: Int64(n + 1)) }
        let position = venue.position(account: "desk", symbol: "BTC-USD")
        archive.fail()
        let retry = venue.submit(order(.buy, 1, id: "old"), at: 100)
        #expect(retry.status == .rejected)
        #expect(retry.rejection?.code == .clientOrderLookupFailed)
        #expect(retry.rejection?.message.contains("disk I/O error") == true)
        #expect(venue.position(account: "desk", symbol: "BTC-USD") == position)
        // A new id is not held up by the unreadable archive: the filter knows it is new.
        #expect(venue.submit(order(.buy, 1, id: "fresh"), at: 101).status == .filled)
    }

    @Test func aRestoredVenueKeepsItsBoundAndAnswersOldIdsFromTheArchive() throws {
        var source = try quotedVenue(Balance(quote: 1e9), bid: 99, ask: 101)
        let archive = Archive()
        var firsts: [OrderResult] = []
        for n in 0..<300 { firsts.append(submit(order(.buy, 1, id: "c\(n)"), to: &source, archive: archive, at: Int64(n))) }
        #expect(source.snapshot().rememberedResults.count == 300)
        var restored = try makeVenue([AccountConfig(name: "desk", perSymbol: ["BTC-USD": Balance(quote: 1e9)])])
        _ = restored.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 99, ask: 101, last: 100), at: 0)
        try restored.keepClientOrders(inMemory: 50, archive: archive)
        try restored.restore(source.snapshot())
        #expect(restored.clientOrders.count <= 50)
        #expect(restored.submit(order(.buy, 1, id: "c0"), at: 1_000) == firsts[0])
        #expect(restored.submit(order(.buy, 1, id: "c299"), at: 1_000) == firsts[299])
        #expect(restored.ordersSubmitted == source.ordersSubmitted)
    }

    @Test func aBoundBelowTwoIsRefused() throws {
        var venue = try quotedVenue(Balance(quote: 1), bid: 99, ask: 101)
        #expect(throws: TradingError.self) { try venue.keepClientOrders(inMemory: 1, archive: Archive()) }
    }

    @Test func theFilterNeverForgetsAKeyItWasGiven() {
        var filter = SeenKeyFilter(log2Bits: 16)
        let keys = (0..<5_000).map { ClientOrderKey(account: $0 % 3, clientOrderId: "id-\($0)") }
        for key in keys { filter.insert(key) }
        #expect(keys.allSatisfy(filter.mayContain))
        let strangers = (0..<5_000).map { ClientOrderKey(account: 0, clientOrderId: "other-\($0)") }
        // 65,536 bits holding 5,000 keys with four probes: about 2.4 % false positives.
        #expect(strangers.filter(filter.mayContain).count < 500)
    }
}
