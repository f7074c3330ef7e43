import Foundation
import GRDB
@testable import Ledger
import Testing
import Trading

/// Parameters bound through the SQLite C API read back as GRDB's own binding stores them:
/// empty text and blobs stay empty (not NULL), absent values are NULL, fixed-point values are
/// their units; a failing statement throws and runs again afterwards, a statement given the
/// wrong number of parameters is refused before it runs, and each statement is prepared once.
struct ParameterBinderTests {
    @Test func everyKindOfValueReadsBackAsGRDBBindsIt() throws {
        try withPreparedDatabase("CREATE TABLE t (i, b, d, f, s, e, x, y, n1, n2, n3)") { db, connection, _ in
            let insert: StaticString = "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            let quantity: Quantity = 1.25
            try db.run(insert) { b in
                b.bind(Int64.min)
                b.bind(true)
                b.bind(0.5)
                b.bind(quantity)
                b.bind("héllo")
                b.bind("")
                b.bind(Data([0, 1, 2]))
                b.bind(Data())
                b.bind(String?.none)
                b.bind(Data?.none)
                b.bind(Price?.none)
            }
            try connection.execute(sql: "\(insert)", arguments: [Int64.min, true, 0.5, quantity, "héllo", "", Data([0, 1, 2]), Data(), nil, nil, nil])
            let rows = try Row.fetchAll(connection, sql: "SELECT *, typeof(e), typeof(y), typeof(n1) FROM t")
            #expect(rows.count == 2 && rows[0] == rows[1])
            #expect(rows[0][11] as String == "text" && rows[0][12] as String == "blob" && rows[0][13] as String == "null")
            #expect(rows[0][3] as Int64 == quantity.raw)
        }
    }

    @Test func aFailingStatementThrowsAndRunsAgainAndAWrongCountIsRefused() throws {
        try withPreparedDatabase("CREATE TABLE t (k TEXT PRIMARY KEY NOT NULL)") { db, connection, statements in
            let insert: StaticString = "INSERT INTO t (k) VALUES (?)"
            try db.run(insert) { $0.bind("a") }
            let prepared = try statements.statement(insert, on: connection)
            #expect(throws: DatabaseError.self) { try db.run(insert) { $0.bind("a") } }
            try db.run(insert) { $0.bind("b") }
            #expect(throws: LedgerError.self) { try db.run(insert) { _ in } }
            #expect(throws: LedgerError.self) { try db.run(insert) { b in b.bind("c"); b.bind("d") } }
            #expect(try String.fetchAll(connection, sql: "SELECT k FROM t ORDER BY k") == ["a", "b"])
            // One statement all along, and a statement of other SQL is another.
            #expect(try statements.statement(insert, on: connection) == prepared)
            #expect(try statements.statement("SELECT k FROM t", on: connection) != prepared)
            // SQL SQLite cannot prepare is reported, not kept.
            #expect(throws: DatabaseError.self) { try statements.statement("INSERT INTO nowhere VALUES (?)", on: connection) }
        }
    }
}
