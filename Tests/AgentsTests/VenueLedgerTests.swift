import Agents
import AgentsTesting
import Configuration
import Foundation
import Ledger
import Testing
import WireFormat
import WireProtocol

@Suite("Venue ledger: committed before acknowledged, fail-stop", .timeLimit(.minutes(1)))
struct VenueLedgerTests {
    @Test("a ledger failure makes the ledger watch throw, shuts the group down, and fails later requests")
    func failStop() async throws {
        let harness = try VenueHarness(holding: true)
        let inFlight = Pending { try await harness.venue.submit(orderRequest("in-flight")) }
        #expect(await happensFirst({ await harness.journal.untilWaiting(1) }, before: { await inFlight.end() }))

        // Nothing but the failure ends this group: the failed watch must shut it down.
        let group = serviceGroup([harness.venue.ledgerWatch, harness.venue.followUpService])
        harness.journal.fail("disk I/O error")
        let error = await #expect(throws: VenueError.self) { try await group.run() }
        #expect(error?.code == .ledgerFailed && error?.message.contains("disk I/O error") == true)

        await #expect(throws: LedgerError.self) { try await inFlight.value }
        await #expect(throws: LedgerError.self) { try await harness.venue.submit(orderRequest("after")) }
        await #expect(throws: LedgerError.self) { try await harness.venue.inventory(request(InventoryQuery())) }
        #expect(harness.publisher.events.isEmpty, "nothing that was not durable may be published")
    }

    @Test("with a real SQLite ledger the reply follows the commit, shutdown closes the ledger, and a restart restores the position")
    func realLedger() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("venue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ledger.sqlite").path

        let publisher = RecordingPublisher(source: "market-maker")
        let journal = LedgerJournal(store: try LedgerStore(path: path))
        let venueState = try VenueState(market: MarketSection(), accounts: [AccountSection()], journal: journal, at: 1_700_000_000_000_000)
        let venue = try VenueAgent(venueState: venueState, publisher: publisher, logger: .init(label: "venue-test"), time: ManualTime())
        let report = try await withServices([venue.ledgerWatch]) {
            let report = try await venue.submit(orderRequest("durable"))
            // Acknowledged, so on disk: another connection reads it.
            let fills = try LedgerStore(path: path, readOnly: true).fills()
            #expect(fills.map(\.orderId) == [report.orderId])
            return report
        }
        #expect(report.status == .filled)
        // The watch closed the ledger on shutdown: a late request fails instead of hanging.
        await #expect(throws: LedgerError.self) { try await venue.submit(orderRequest("late")) }

        let restarted = try VenueState(market: MarketSection(), accounts: [AccountSection()],
                                     journal: LedgerJournal(store: try LedgerStore(path: path)), at: 1_700_000_000_000_001)
        #expect(restarted.positions(account: "desk").first?.base == report.filledQty)
        await restarted.close()
    }
}
