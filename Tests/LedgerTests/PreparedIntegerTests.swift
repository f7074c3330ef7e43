import GRDB
@testable import Ledger
import Testing

/// `PreparedDatabase.integer` reads one integer through the store's prepared statements: the
/// first column of the first row, nil for no row or NULL, an error SQLite reports as a thrown
/// `DatabaseError` (the statement usable afterwards), and `PRAGMA data_version` as GRDB reads it.
struct PreparedIntegerTests {
    @Test func theFirstColumnOfTheFirstRowNilForNoRowOrNullAndErrorsThrown() throws {
        try withPreparedDatabase("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (42), (NULL), (-7)") { (db, connection, _) throws in
            #expect(try db.integer("SELECT v FROM t ORDER BY rowid") == 42)
            #expect(try db.integer("SELECT v FROM t WHERE rowid = 2") == nil)
            #expect(try db.integer("SELECT v FROM t WHERE rowid = 9") == nil)
            #expect(try db.integer("SELECT v FROM t WHERE rowid = 3") == -7)
            #expect(throws: DatabaseError.self) { try db.integer("SELECT abs(-9223372036854775807 - 1)") }
            #expect(throws: DatabaseError.self) { try db.integer("SELECT abs(-9223372036854775807 - 1)") }
            // Each read again from the first row: the statement was reset after the last.
            #expect(try db.integer("SELECT v FROM t ORDER BY rowid") == 42)
            #expect(try db.integer("PRAGMA data_version") == (try Int64.fetchOne(connection, sql: "PRAGMA data_version")))
        }
    }
}
