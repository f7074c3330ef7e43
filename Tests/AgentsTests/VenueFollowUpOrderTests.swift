@testable import Agents
import AgentsTesting
import Configuration
import Foundation
import Ledger
import Testing
import Trading
import WireFormat
import WireProtocol

/// The follow-up service publishes each job's events in the order the jobs were queued, once the
/// state they show is durable, whether a job's commit was already done when it was taken (the
/// events leave at once) or not (they wait behind the commit, and later jobs' events behind
/// them).
@Suite("Venue follow-ups in order", .timeLimit(.minutes(1)))
struct VenueFollowUpOrderTests {
    @Test("with a SQLite ledger and orders in flight at once, account versions only rise and the inventory only grows, event by event")
    func inOrder() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("follow-ups-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let publisher = RecordingPublisher(source: "market-maker")
        let state = try VenueState(market: MarketSection(), accounts: [AccountSection()],
                                   journal: LedgerJournal(store: try LedgerStore(path: folder.appendingPathComponent("ledger.sqlite").path)),
                                   at: 1_700_000_000_000_000)
        let venue = try VenueAgent(venueState: state, publisher: publisher, logger: .init(label: "venue-test"), time: ManualTime())
        let orders = 40
        let reports = try await withServices([venue.followUpService]) {
            try await withThrowingTaskGroup(of: OrderReport.self) { group in
                for index in 0..<orders { group.addTask { try await venue.submit(orderRequest("c-\(index)", qty: 0.01)) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        await state.close()
        #expect(reports.allSatisfy { $0.status == .filled })
        let bought = reports.reduce(0) { $0 + $1.filledQty.units }

        // Every filled order's inventory event, each showing at least what the one before it did.
        let inventory = try publisher.payloads(EventType.inventory, as: InventorySnapshot.self)
            .map { snapshot in snapshot.positions.first { $0.account == "desk" && $0.symbol == "BTC-USD" }?.base.units ?? 0 }
        #expect(inventory.count == orders)
        #expect(zip(inventory, inventory.dropFirst()).allSatisfy { $0 <= $1 }, "an inventory event older than the one before it: \(inventory)")
        #expect(inventory.last == bought)

        // Account events: one per job that found the account changed, each a newer version, the
        // last one the account as all the orders left it.
        let versions = try publisher.payloads(EventType.account, as: InventorySnapshot.self).compactMap { $0.accounts?.first?.version }
        #expect(!versions.isEmpty && versions.count <= orders)
        #expect(zip(versions, versions.dropFirst()).allSatisfy { $0 < $1 }, "an account event older than the one before it: \(versions)")
        #expect(versions.last == UInt64(orders))
    }

    @Test("events taken while their commit is pending leave in the order their jobs were queued once it is done")
    func heldInOrder() async throws {
        let harness = try VenueHarness(holding: true)
        let order = Pending { try await harness.venue.submit(orderRequest("held")) }
        await harness.journal.untilWaiting(1)
        // Queued before the service runs, so it takes them one after another, each snapshot
        // behind the order's commit, which the journal holds.
        let traces = (0..<8).map { _ in TraceContext.root() }
        for trace in traces { harness.venue.followUps.enqueue(.filled([], symbol: "BTC-USD", trace: trace)) }
        try await withServices([harness.venue.followUpService]) {
            await harness.journal.untilWaiting(2)
            #expect(harness.publisher.events.filter { $0.type == EventType.inventory }.isEmpty, "published before its commit")
            harness.journal.release()
            _ = try await order.value
            // The order's own fill queues one more, after these.
            _ = await harness.publisher.waitFor(traces.count + 1, of: EventType.inventory)
        }
        let published = try harness.publisher.events.filter { $0.type == EventType.inventory }
            .map { try $0.decoded(as: InventorySnapshot.self).traceId }
        #expect(Array(published.prefix(traces.count)) == traces.map(\.traceId))
    }

    @Test("account events that one commit makes durable together leave as one, the latest, naming every order")
    func oneEventPerCommitUnderLoad() async throws {
        let harness = try VenueHarness(holding: true)
        // Three orders in flight behind one held commit: the second and third each take the
        // account's event as it stood before them (at versions 1 and 2), due on the commit
        // before theirs.
        var orders: [Pending<OrderReport>] = []
        for (index, id) in ["c-1", "c-2", "c-3"].enumerated() {
            orders.append(Pending { try await harness.venue.submit(orderRequest(id)) })
            await harness.journal.untilWaiting(index + 1)
        }
        // A follow-up takes those two and the account as it is now (version 3), each waiting
        // for its commit; all three commits are then done at once.
        harness.venue.followUps.enqueue(.accountsChanged(trace: .root()))
        try await withServices([harness.venue.followUpService]) {
            await harness.journal.untilWaiting(4)
            harness.journal.release()
            for order in orders { _ = try await order.value }
            _ = await harness.publisher.waitFor(3, of: EventType.inventory)
        }
        let events = try VenueAccountEventTests.accountEvents(harness.publisher)
        #expect(events.map { VenueAccountEventTests.version($0.snapshot) } == [3], "one event for the three versions one commit made durable")
        #expect(events.first?.snapshot == (try await VenueAccountEventTests.answer(harness.venue)))
        #expect(try VenueAccountEventTests.namedOrders(harness.publisher) == [["c-1", "c-2", "c-3"]])
    }

    @Test("of events durable together, an account event leaves unless later ones list each of its accounts again; inventory events all leave")
    func notShownAgain() {
        func accounts(_ names: String...) -> DueEvent {
            let snapshots = names.map { InventorySnapshot(positions: [], accounts: [AccountPayload(account: $0, balances: [])]) }
            return DueEvent(content: .accounts(snapshots), commit: .done, trace: .root())
        }
        let inventory = DueEvent(content: .inventory(symbol: "BTC-USD", positions: [], states: []), commit: .done, trace: .root())
        let run = [accounts("desk"), inventory, accounts("desk"), inventory, accounts("desk", "hedge"), accounts("hedge")]
        #expect(DueEvent.notShownAgain(run) == [false, true, false, true, true, true])
        #expect(DueEvent.notShownAgain([accounts("desk")]) == [true])
        #expect(DueEvent.notShownAgain([accounts("desk", "hedge"), accounts("desk")]) == [true, true])
    }
}
