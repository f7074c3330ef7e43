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

/// A batch's asset balances that equal what this store last committed are not written again;
/// a change committed through another connection in between is not mistaken for them.
@Suite struct LedgerBalanceWritesTests {
    static func batch(_ amounts: [String: AssetAmount]) -> LedgerBatch {
        var batch = LedgerBatch()
        batch.assetBalances = amounts.sorted { $0.key < $1.key }.map { AccountAssetBalance(account: "mm", asset: $0.key, amount: $0.value) }
        return batch
    }

    /// The balances of one store's commits, counted by the file itself: every row written, by
    /// account and asset.
    static func countingWrites(_ store: LedgerStore) throws -> () throws -> [String] {
        try store.queue.write { db in
            try db.execute(sql: """
                CREATE TABLE balance_writes (name TEXT NOT NULL);
                CREATE TRIGGER balance_inserted AFTER INSERT ON asset_balances BEGIN INSERT INTO balance_writes VALUES (NEW.account || '/' || NEW.asset); END;
                CREATE TRIGGER balance_updated AFTER UPDATE ON asset_balances BEGIN INSERT INTO balance_writes VALUES (NEW.account || '/' || NEW.asset); END;
                """)
        }
        return { try store.queue.read { try String.fetchAll($0, sql: "SELECT name FROM balance_writes ORDER BY rowid") } }
    }

    /// The memory finds a balance by its place in the order the batches list them, and where a
    /// batch lists them in another order, leaves some out or mixes accounts, by its account and
    /// asset: only what changed is written, whatever the order.
    @Test func balancesInAnotherOrderOrOfSeveralAccountsAreComparedWithTheirOwn() throws {
        try withTemporaryDirectory { directory in
            let store = try LedgerStore(path: directory + "/ledger.sqlite")
            let writes = try Self.countingWrites(store)
            func batch(_ rows: [(String, String, AssetAmount)]) -> LedgerBatch {
                var batch = LedgerBatch()
                batch.assetBalances = rows.map { AccountAssetBalance(account: $0.0, asset: $0.1, amount: $0.2) }
                return batch
            }
            try store.record(batch([("mm", "BTC", 1), ("mm", "ETH", 0), ("mm", "USD", 100)]))
            try store.record(batch([("mm", "USD", 100), ("mm", "BTC", 1), ("mm", "ETH", 3)]))
            try store.record(batch([("mm", "ETH", 3), ("mm", "USD", 101)]))
            try store.record(batch([("hedge", "BTC", 1), ("mm", "BTC", 1), ("hedge", "USD", 5), ("mm", "USD", 101), ("hedge", "BTC", 2)]))
            try store.record([batch([("mm", "BTC", 7)]), batch([("hedge", "BTC", 2), ("mm", "BTC", 7), ("mm", "SOL", 0)])])
            #expect(try writes() == ["mm/BTC", "mm/ETH", "mm/USD", "mm/ETH", "mm/USD", "hedge/BTC", "hedge/USD", "hedge/BTC",
                                     "mm/BTC", "mm/SOL"])
            #expect(try store.balances() == [AssetKey(account: "mm", asset: "BTC"): 7, AssetKey(account: "mm", asset: "ETH"): 3,
                                             AssetKey(account: "mm", asset: "USD"): 101, AssetKey(account: "mm", asset: "SOL"): 0,
                                             AssetKey(account: "hedge", asset: "BTC"): 2, AssetKey(account: "hedge", asset: "USD"): 5])
        }
    }

    @Test func unchangedBalancesAreNotRewrittenAndAnotherWritersChangeIsNotSkipped() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/ledger.sqlite"
            let store = try LedgerStore(path: path)
            let writes = try Self.countingWrites(store)
            try store.record(Self.batch(["BTC": 1, "ETH": 0, "USD": 100]))
            try store.record(Self.batch(["BTC": 2, "ETH": 0, "USD": 100]))
            #expect(try writes() == ["mm/BTC", "mm/ETH", "mm/USD", "mm/BTC"])

            // Another connection sets BTC; this store's next batch says BTC is 2 again.
            try LedgerStore(path: path).record(Self.batch(["BTC": 5]))
            try store.record(Self.batch(["BTC": 2, "ETH": 0, "USD": 100]))
            #expect(try store.balances()[AssetKey(account: "mm", asset: "BTC")] == 2)
            // A failed transaction leaves the memory as the file is.
            var failing = Self.batch(["BTC": 9])
            failing.restingRemovals = ["O-404"]
            #expect(throws: (any Error).self) { try store.record(failing) }
            try store.record(Self.batch(["BTC": 2, "USD": 100]))
            #expect(try store.balances()[AssetKey(account: "mm", asset: "BTC")] == 2)
            #expect(try LedgerStore(path: path, readOnly: true).balances() == [AssetKey(account: "mm", asset: "BTC"): 2,
                                                                             AssetKey(account: "mm", asset: "ETH"): 0,
                                                                             AssetKey(account: "mm", asset: "USD"): 100])
        }
    }
}
