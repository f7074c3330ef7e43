import Agents
import AgentsTesting
import Configuration
import Foundation
import Ledger
import Testing
import Trading
import WireFormat
import WireProtocol

/// The funding clock lives in the ledger: a MarketMaker restarted from it pays each funding
/// time it missed while down, once, and none it paid before.
@Suite("Venue funding across a restart", .timeLimit(.minutes(1)))
struct VenueFundingRestartTests {
    /// BTC-USD pays 1 bps every second; "desk" is a 5x margin account.
    static func sections() -> (MarketSection, [AccountSection]) {
        var market = MarketSection()
        market.funding = FundingSection(intervalSeconds: 1, rateBps: 1)
        var desk = AccountSection()
        desk.allowShort = true
        desk.maxLeverage = 5
        return (market, [desk])
    }

    static func start(_ path: String, time: ManualTime, publisher: RecordingPublisher) throws -> (VenueState, VenueAgent) {
        let (market, accounts) = sections()
        let state = try VenueState(market: market, accounts: accounts, journal: LedgerJournal(store: try LedgerStore(path: path)),
                                   at: time.nowMicros())
        return (state, try VenueAgent(venueState: state, publisher: publisher, logger: .init(label: "venue-test"), time: time))
    }

    static func fundingTimes(_ publisher: RecordingPublisher) throws -> [Int64] {
        try publisher.payloads(FundingPayload.eventType, as: FundingPayload.self).map(\.fundingTime)
    }

    @Test("funding times missed while the MarketMaker was down are paid once after the restart, none twice")
    func restart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("funding-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ledger.sqlite").path
        let t0: Int64 = 1_700_000_000_000_000, second: Int64 = 1_000_000
        let time = ManualTime(micros: t0)

        let first = RecordingPublisher(source: "market-maker")
        let (state, venue) = try Self.start(path, time: time, publisher: first)
        #expect(await venue.tickMarket(), "the first tick starts the clock at t0")
        #expect(try await venue.submit(orderRequest("short", side: .sell, qty: 0.1)).status == .filled)
        time.advance(seconds: 1)
        #expect(await venue.tickMarket())
        time.advance(seconds: 1.5)
        #expect(await venue.tickMarket())
        #expect(try Self.fundingTimes(first) == [t0 + second, t0 + 2 * second])
        await state.close()

        // Down from t0 + 2.5 s to t0 + 5.2 s: t0 + 3, 4 and 5 s pass unpaid.
        time.advance(seconds: 2.7)
        let afterRestart = RecordingPublisher(source: "market-maker")
        let (restartedState, restarted) = try Self.start(path, time: time, publisher: afterRestart)
        #expect(await restarted.tickMarket())
        #expect(try Self.fundingTimes(afterRestart) == [3, 4, 5].map { t0 + $0 * second }, "each missed funding time, once")
        #expect(await restarted.tickMarket())
        #expect(try Self.fundingTimes(afterRestart).count == 3, "nothing more is due at t0 + 5.2 s")
        time.advance(seconds: 1)
        #expect(await restarted.tickMarket())
        await restartedState.close()

        // The ledger holds each funding time of the short once, with none skipped.
        let recorded = try LedgerStore(path: path, readOnly: true).funding().filter { $0.account == "desk" }
        #expect(recorded.map(\.fundingTimeMicros) == (1...6).map { t0 + Int64($0) * second })
        #expect(recorded.allSatisfy { $0.base == -0.1 && $0.amount.isPositive }, "a short receives at a positive rate")
    }
}
