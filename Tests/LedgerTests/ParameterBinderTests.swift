import Foundation
import GRDB
import GRDBSQLite
@testable import Ledger
import Testing
import Trading

/// Parameters bound through the SQLite C API read back as GRDB's own binding stores them:
/// empty text and blobs stay empty (not NULL), absent values are NULL, fixed-point values are
/// their units; a failing statement throws and runs again afterwards, a statement given the
/// wrong number of parameters is refused before it runs, and each statement is prepared once.
/// Strings and blobs are copied to the store's binding arena while it has room and bound by
/// SQLite's own copy beyond it, and a statement keeps no binding once it has run.
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

    /// Values that fill the arena, and more than fits in it, read back byte for byte: what fits
    /// is copied to the arena, what does not is left to SQLite to copy.
    @Test func valuesBeyondTheArenaAreBoundAsSQLitesCopies() throws {
        try withPreparedDatabase("CREATE TABLE t (a, b, c, d, e)") { db, connection, _ in
            let third = BindingArena.capacity / 3
            let text = { (letter: Character, count: Int) in String(repeating: letter, count: count) }
            let small = "é-" + text("s", 40)
            let first = text("a", third), second = Data(repeating: 0xB2, count: third)
            // Fits only if the arena holds more than the two before it; it does not.
            let third3 = text("c", third + 64)
            let huge = Data((0 ..< BindingArena.capacity + 1).map { UInt8(truncatingIfNeeded: $0 &* 7) })
            try db.run("INSERT INTO t VALUES (?, ?, ?, ?, ?)") { b in
                b.bind(small)
                b.bind(first)
                b.bind(second)
                b.bind(third3)
                b.bind(huge)
            }
            let row = try #require(try Row.fetchOne(connection, sql: "SELECT a, b, c, d, e FROM t"))
            #expect(row[0] as String == small && row[1] as String == first && row[2] as Data == second)
            #expect(row[3] as String == third3 && row[4] as Data == huge)
        }
    }

    /// The binder copies into the arena exactly the values it has room for.
    @Test func theArenaTakesWhatFitsAndNothingElse() throws {
        try withPreparedDatabase("CREATE TABLE t (a, b, c, d)") { _, connection, statements in
            let statement = try statements.statement("INSERT INTO t VALUES (?, ?, ?, ?)", on: connection)
            defer { sqlite3_clear_bindings(statement) }
            let arena = UnsafeMutableRawBufferPointer.allocate(byteCount: 100, alignment: 8)
            defer { arena.deallocate() }
            var binder = ParameterBinder(statement, arena: arena)
            binder.bind(String(repeating: "x", count: 60))
            #expect(binder.used == 60)
            binder.bind(Data(repeating: 1, count: 41))  // 60 + 41 > 100: SQLite's copy
            #expect(binder.used == 60)
            binder.bind(Data(repeating: 2, count: 40))  // exactly the rest
            #expect(binder.used == 100)
            binder.bind("")
            #expect(binder.used == 100 && binder.index == 5)
            #expect(memcmp(arena.baseAddress!, Array(repeating: UInt8(ascii: "x"), count: 60), 60) == 0)
            #expect(memcmp(arena.baseAddress! + 60, Array(repeating: UInt8(2), count: 40), 40) == 0)
        }
    }

    /// Once a statement has run, or failed, it holds no value: nothing in it points into an
    /// arena another statement will write over.
    @Test func aStatementKeepsNoBindingOnceItHasRun() throws {
        try withPreparedDatabase("CREATE TABLE t (k TEXT PRIMARY KEY NOT NULL, v BLOB)") { db, connection, statements in
            let insert: StaticString = "INSERT INTO t (k, v) VALUES (?, ?)"
            let expanded = { () throws -> String in
                let statement = try statements.statement(insert, on: connection)
                let text = try #require(sqlite3_expanded_sql(statement))
                defer { sqlite3_free(text) }
                return String(cString: text)
            }
            try db.run(insert) { b in b.bind("first"); b.bind(Data([1, 2, 3])) }
            #expect(try expanded() == "INSERT INTO t (k, v) VALUES (NULL, NULL)")
            #expect(throws: DatabaseError.self) { try db.run(insert) { b in b.bind("first"); b.bind(Data([4])) } }
            #expect(try expanded() == "INSERT INTO t (k, v) VALUES (NULL, NULL)")
            #expect(throws: LedgerError.self) { try db.run(insert) { b in b.bind("second") } }
            #expect(try expanded() == "INSERT INTO t (k, v) VALUES (NULL, NULL)")
            #expect(try Row.fetchAll(connection, sql: "SELECT k, v FROM t").map { [$0[0] as String] } == [["first"]])
        }
    }
}
