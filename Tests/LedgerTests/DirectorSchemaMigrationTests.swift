import Foundation
import GRDB
@testable import Ledger
import Testing

/// A director store written by the first schema (director-v1) opens under the current one and
/// reads back the same, and what the migration changed holds afterwards: no index of undecided
/// signals or of signal ids to keep up, positions one B-tree read back in the order they were
/// first recorded.
struct DirectorSchemaMigrationTests {
    static func blob(_ text: String) -> Data { Data(text.utf8) }

    /// A file as the first schema's store left it: two pending signals (one with its step), a
    /// decided one, and two positions whose keys sort against the order they were opened in.
    static func writeFirstSchemaFile(_ path: String) throws {
        let queue = try DatabaseQueue(path: path, configuration: DurableSQLite.configuration(readOnly: false, syncEveryCommit: false))
        try DirectorSchema.migrator.migrate(queue, upTo: "director-v1")
        try queue.write { db in
            for (id, step, decision) in [("s1", "step-1", nil), ("s2", nil, "decision-2"), ("s3", nil, nil)] as [(String, String?, String?)] {
                try db.execute(sql: "INSERT INTO signals (signal_id, symbol, received_us, envelope, step, decision) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [id, "BTC-USD", 10, blob("envelope-\(id)"), step.map(blob), decision.map(blob)])
            }
            for id in ["pz", "pa"] {
                try db.execute(sql: "INSERT INTO positions (opening_signal_id, symbol, state) VALUES (?, ?, ?)",
                               arguments: [id, "BTC-USD", blob("state-\(id)")])
            }
        }
    }

    @Test func aFirstSchemaStoreReadsBackTheSameAfterItsMigration() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/director.sqlite"
            try Self.writeFirstSchemaFile(path)
            let store = try DirectorStore(path: path)
            let records = try store.load(rememberedSignals: 10)
            #expect(records.pending.map(\.signalId) == ["s1", "s3"])
            #expect(records.pending.map(\.step) == [Self.blob("step-1"), nil])
            #expect(records.pending.map(\.envelope) == [Self.blob("envelope-s1"), Self.blob("envelope-s3")])
            #expect(records.decidedIds == ["s2"])
            #expect(try store.decision(of: "s2") == Self.blob("decision-2"))
            #expect(records.positions.map(\.openingSignalId) == ["pz", "pa"])
            #expect(records.positions.map(\.state) == [Self.blob("state-pz"), Self.blob("state-pa")])
            let schema = try store.queue.read { db in
                try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
            }
            #expect(!schema.contains { $0.contains("signals_undecided") })
            #expect(try store.queue.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'signals'") } == [])
            // Each row keyed by a slot of its own (its old seq), the order kept as seq.
            #expect(try store.queue.read { try Int64.fetchAll($0, sql: "SELECT slot FROM signals ORDER BY seq") } == [1, 2, 3])
            // The pending signals of the old file take their decisions by their rows' slots (their old seq).
            try store.record([.decided(signalId: "s3", decision: Self.blob("decision-3")), .decided(signalId: "s1", decision: Self.blob("decision-1"))])
            #expect(try store.decision(of: "s1") == Self.blob("decision-1"))
            #expect(try store.decision(of: "s3") == Self.blob("decision-3"))
            #expect(schema.contains { $0.hasPrefix("CREATE TABLE \"positions\"") && $0.hasSuffix("WITHOUT ROWID") })
        }
    }

    @Test func positionsKeepTheOrderTheyWereFirstRecordedInAcrossUpdatesAndReopening() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/director.sqlite"
            try Self.writeFirstSchemaFile(path)
            // Opened after the migration: a new position comes after the migrated ones, an
            // update keeps a position's place.
            try DirectorStore(path: path).record([
                .position(openingSignalId: "pm", symbol: "ETH-USD", state: Self.blob("state-pm")),
                .position(openingSignalId: "pz", symbol: "BTC-USD", state: Self.blob("state-pz-2")),
            ])
            try DirectorStore(path: path).record([.position(openingSignalId: "pb", symbol: "ETH-USD", state: Self.blob("state-pb"))])
            let positions = try DirectorStore(path: path).load(rememberedSignals: 10).positions
            #expect(positions.map(\.openingSignalId) == ["pz", "pa", "pm", "pb"])
            #expect(positions.first?.state == Self.blob("state-pz-2"))
        }
    }

    @Test func aFailedCommitLeavesNothingAndTheStoreCommitsAfterIt() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/director.sqlite"
            let store = try DirectorStore(path: path)
            try store.record([.accepted(signalId: "s1", symbol: "BTC-USD", receivedUs: 1, envelope: Self.blob("one"))])
            // A trigger makes the position insert fail after the signal row went in.
            try store.queue.write { db in
                try db.execute(sql: """
                    CREATE TRIGGER refuse BEFORE INSERT ON positions WHEN NEW.opening_signal_id = 'bad'
                    BEGIN SELECT RAISE(ABORT, 'refused'); END
                    """)
            }
            #expect(throws: (any Error).self) {
                try store.record([.accepted(signalId: "s2", symbol: "BTC-USD", receivedUs: 2, envelope: Self.blob("two")),
                                  .position(openingSignalId: "bad", symbol: "BTC-USD", state: Self.blob("x"))])
            }
            try store.record([.decided(signalId: "s1", decision: Self.blob("done"))])
            let records = try DirectorStore(path: path).load(rememberedSignals: 10)
            #expect(records.pending.isEmpty && records.decidedIds == ["s1"] && records.positions.isEmpty)
        }
    }
}
