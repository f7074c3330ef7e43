import Foundation
import GRDB
@testable import Ledger
import Testing

/// `DurableSQLite.transaction`, which every store's commit goes through, runs its BEGIN and
/// COMMIT as prepared statements of its own: all of a transaction or none of it, and the
/// connection usable after a failed one.
@Suite struct DurableTransactionTests {
    /// A store of one table on a real file, as the stores open theirs.
    private static func open(_ path: String) throws -> (DatabaseQueue, PreparedStatements) {
        let queue = try DatabaseQueue(path: path, configuration: DurableSQLite.configuration(readOnly: false))
        try queue.write { try $0.execute(sql: "CREATE TABLE rows (id INTEGER PRIMARY KEY, name TEXT NOT NULL)") }
        return (queue, PreparedStatements())
    }

    private static func insert(_ id: Int64, _ name: String?, into db: PreparedDatabase) throws {
        try db.run("INSERT INTO rows (id, name) VALUES (?, ?)") { binder in
            binder.bind(id)
            binder.bind(name)
        }
    }

    private static func names(_ queue: DatabaseQueue) throws -> [String] {
        try queue.read { try String.fetchAll($0, sql: "SELECT name FROM rows ORDER BY id") }
    }

    @Test func aCommittedTransactionKeepsEveryRowAndEndsTheTransaction() throws {
        try withTemporaryDirectory { directory in
            let (queue, statements) = try Self.open(directory + "/rows.sqlite")
            var committed = 0
            try DurableSQLite.transaction(queue, statements, { db in
                try Self.insert(1, "a", into: db)
                try Self.insert(2, "b", into: db)
            }, committed: { committed += 1 })
            #expect(committed == 1)
            #expect(try Self.names(queue) == ["a", "b"])
            #expect(queue.writeWithoutTransaction { !$0.isInsideTransaction })
        }
    }

    @Test func aFailingStatementUndoesTheWholeTransactionAndTheNextOneWorks() throws {
        try withTemporaryDirectory { directory in
            let (queue, statements) = try Self.open(directory + "/rows.sqlite")
            var committed = 0
            // The second row breaks NOT NULL after the first was written in the same transaction.
            #expect(throws: DatabaseError.self) {
                try DurableSQLite.transaction(queue, statements, { db in
                    try Self.insert(1, "a", into: db)
                    try Self.insert(2, nil, into: db)
                }, committed: { committed += 1 })
            }
            #expect(committed == 0)
            #expect(try Self.names(queue).isEmpty)
            #expect(queue.writeWithoutTransaction { !$0.isInsideTransaction })
            try DurableSQLite.transaction(queue, statements) { db in try Self.insert(3, "c", into: db) }
            #expect(try Self.names(queue) == ["c"])
        }
    }

    @Test func anErrorOfTheBodyRollsBackWhatItWrote() throws {
        struct Refused: Error {}
        try withTemporaryDirectory { directory in
            let (queue, statements) = try Self.open(directory + "/rows.sqlite")
            try DurableSQLite.transaction(queue, statements) { db in try Self.insert(1, "kept", into: db) }
            #expect(throws: Refused.self) {
                try DurableSQLite.transaction(queue, statements) { db in
                    try Self.insert(2, "dropped", into: db)
                    throw Refused()
                }
            }
            #expect(try Self.names(queue) == ["kept"])
        }
    }

    @Test func aCommitIsOnDiskForAnotherConnection() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/rows.sqlite"
            let (queue, statements) = try Self.open(path)
            try DurableSQLite.transaction(queue, statements) { db in try Self.insert(1, "seen", into: db) }
            let other = try DatabaseQueue(path: path, configuration: DurableSQLite.configuration(readOnly: true))
            #expect(try Self.names(other) == ["seen"])
        }
    }
}
