import Foundation
import GRDB
@testable import Ledger
import Testing
import Trading
import VenueTesting

/// A ledger written by schema v5 opens under the current one and reads back the same through
/// every reader (the venue's restore, exports, hedgectl's balances), then goes on recording;
/// and the order counter, no longer written with every order, still reads as before.
@Suite struct LedgerSchemaMigrationTests {
    /// A ledger of `steps` seeded venue calls, recorded by the current schema.
    static func recordedRun(_ path: String, steps: Int) throws -> RecordedVenue {
        var script = VenueScript(seed: 21)
        var recorded = RecordedVenue(venue: try VenueScript.venue(), ledger: try LedgerStore(path: path))
        for step in 0..<steps { try recorded.perform(script.next(for: recorded.venue), at: Int64(step)) }
        return recorded
    }

    /// A v5 file holding every row of the ledger at `reference`, as v5 kept them: the order
    /// counter in meta.
    static func writeVersion5Copy(of reference: String, at path: String, ordersSubmitted: Int) throws {
        let queue = try DatabaseQueue(path: path, configuration: DurableSQLite.configuration(readOnly: false))
        try LedgerSchema.migrator.migrate(queue, upTo: "v5")
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS reference", arguments: [reference])
            try db.inTransaction {
                for table in ["orders", "events", "positions", "asset_balances", "resting_orders", "funding", "funding_clock"] {
                    let columns = try db.columns(in: table, in: "main").map(\.name).joined(separator: ", ")
                    try db.execute(sql: "INSERT INTO main.\(table) (\(columns)) SELECT \(columns) FROM reference.\(table)")
                }
                try db.execute(sql: "INSERT INTO main.meta (key, value) VALUES (?, ?)", arguments: [LedgerSchema.ordersSubmittedKey, ordersSubmitted])
                return .commit
            }
            try db.execute(sql: "DETACH DATABASE reference")
        }
    }

    /// What every reader of the ledger returns, side by side.
    static func expectSameReads(_ migrated: LedgerStore, _ reference: LedgerStore) throws {
        let snapshot = try migrated.venueSnapshot(), expected = try reference.venueSnapshot()
        expectSameState(snapshot, expected)
        #expect(snapshot.balances == expected.balances && snapshot.fundingTimes == expected.fundingTimes)
        #expect(try migrated.events() == reference.events())
        #expect(try migrated.balances() == reference.balances())
        #expect(try migrated.funding() == reference.funding())
        #expect(try migrated.replayBalances(initial: VenueScript.initialBalances, pairs: VenueScript.pairs)
                == reference.replayBalances(initial: VenueScript.initialBalances, pairs: VenueScript.pairs))
        for result in expected.rememberedResults.suffix(20) {
            #expect(try migrated.rememberedResult(account: result.account, clientOrderId: result.clientOrderId) == result)
            #expect(try migrated.status(ofOrder: result.orderId) == reference.status(ofOrder: result.orderId))
        }
    }

    @Test func aVersion5LedgerReadsTheSameAfterItsMigrationAndGoesOnRecording() throws {
        try withTemporaryDirectory { directory in
            let referencePath = directory + "/reference.sqlite", path = directory + "/v5.sqlite"
            var run = try Self.recordedRun(referencePath, steps: 600)
            let reference = try #require(run.ledger)
            try Self.writeVersion5Copy(of: referencePath, at: path, ordersSubmitted: run.venue.ordersSubmitted)

            let migrated = try LedgerStore(path: path)
            try Self.expectSameReads(migrated, reference)
            let schema = try migrated.queue.read { db in
                try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")
            }
            #expect(!schema.contains { $0.contains("events_time") })
            for table in ["positions", "asset_balances", "meta"] {
                #expect(schema.contains { $0.hasPrefix("CREATE TABLE \"\(table)\"") && $0.hasSuffix("WITHOUT ROWID") }, "\(table)")
            }

            // Both go on recording the same calls.
            var script = VenueScript(seed: 77)
            var continued = RecordedVenue(venue: run.venue, ledger: migrated)
            for step in 600..<800 {
                let call = script.next(for: run.venue)
                try run.perform(call, at: Int64(step))
                try continued.perform(call, at: Int64(step))
            }
            try Self.expectSameReads(migrated, reference)
            // A client order id remembered before the migration is still refused a second order.
            var duplicate = LedgerStoreTests.filledOrder(90_000)
            let remembered = try #require(reference.venueSnapshot().rememberedResults.first)
            duplicate.orders[0].result.account = remembered.account
            duplicate.orders[0].result.clientOrderId = remembered.clientOrderId
            #expect(throws: (any Error).self) { try migrated.record(duplicate) }
        }
    }

    @Test func theOrderCounterIsWrittenOnlyWhenTheBatchsOrdersDoNotTellIt() throws {
        try withTemporaryDirectory { directory in
            let store = try LedgerStore(path: directory + "/ledger.sqlite")
            for number in 1...3 { try store.record(LedgerStoreTests.filledOrder(number)) }
            let metaRows = { try store.queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM meta") } }
            #expect(try metaRows() == 0)
            #expect(try store.venueSnapshot().ordersSubmitted == 3)
            // A counter beyond its batch's orders (none here) is written, and read back.
            var counted = LedgerBatch()
            counted.ordersSubmitted = 7
            try store.record(counted)
            #expect(try metaRows() == 1)
            #expect(try LedgerStore(path: directory + "/ledger.sqlite").venueSnapshot().ordersSubmitted == 7)
            try store.record(LedgerStoreTests.filledOrder(8))
            #expect(try store.venueSnapshot().ordersSubmitted == 8)
        }
    }
}
