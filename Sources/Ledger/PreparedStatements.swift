import GRDB
import GRDBSQLite
import Synchronization

/// The statements a store runs on every commit, each prepared once on the store's connection
/// and found again by the address of its SQL literal. GRDB's statement cache finds a statement
/// by hashing its whole SQL text (a few hundred bytes for the ledger's and the director's
/// upserts) on every call: about 700 instructions, more than binding its parameters. Finalized
/// when the store goes; its connection closes with `sqlite3_close_v2`, which waits for them.
final class PreparedStatements: Sendable {
    /// The addresses of a statement and of the literal it was prepared from (as integers, so
    /// the list can sit in a `Mutex`).
    private struct Entry: Sendable {
        let text: UInt
        let statement: UInt
    }

    /// A handful per store: a linear search finds one sooner than hashing would.
    private let entries = Mutex<[Entry]>([])
    /// Where a statement's bound strings and blobs are copied for SQLite to read while it runs
    /// (`PreparedDatabase.run`). Only one statement of a connection runs at a time (GRDB's queue
    /// serialises them); the lock makes that plain.
    let bindingArena = Mutex(BindingArena())

    deinit {
        for entry in entries.withLock({ $0 }) { sqlite3_finalize(OpaquePointer(bitPattern: entry.statement)) }
    }

    /// The statement of `sql` on `db`'s connection, prepared on first use. `db` must be the
    /// connection of every earlier call: one instance serves one store's one connection.
    func statement(_ sql: StaticString, on db: Database) throws -> SQLiteStatement {
        precondition(sql.hasPointerRepresentation, "SQL must be a string literal of more than one character")
        let text = UInt(bitPattern: sql.utf8Start)
        if let found = entries.withLock({ $0.first { $0.text == text }?.statement }), let statement = OpaquePointer(bitPattern: found) {
            return statement
        }
        guard let connection = db.sqliteConnection else { throw LedgerError("cannot prepare a statement: the connection is closed") }
        var prepared: SQLiteStatement?
        let code = sql.utf8Start.withMemoryRebound(to: CChar.self, capacity: sql.utf8CodeUnitCount) { text in
            sqlite3_prepare_v3(connection, text, Int32(sql.utf8CodeUnitCount), UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        }
        guard code == SQLITE_OK, let prepared else {
            sqlite3_finalize(prepared)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: "\(sql)")
        }
        let entry = Entry(text: text, statement: UInt(bitPattern: prepared))
        entries.withLock { $0.append(entry) }
        return prepared
    }
}

/// A store's connection inside one of its transactions, running its statements from the
/// store's `PreparedStatements`.
struct PreparedDatabase {
    /// The connection, for what is not run through `statements`.
    let connection: Database
    let statements: PreparedStatements

    /// Rows the last statement changed.
    var changesCount: Int { connection.changesCount }

    /// The rowid of the last row inserted.
    var lastInsertedRowID: Int64 { connection.lastInsertedRowID }

    /// Runs the statement of `sql` (one that returns no rows) with the parameters `bind` sets,
    /// every one of them, in order. A failure throws the `DatabaseError` SQLite reports; the
    /// statement stays usable.
    ///
    /// The bound strings and blobs are copied to the store's binding arena, which SQLite reads
    /// them from while the statement runs; its bindings are cleared before the arena is let go.
    func run(_ sql: StaticString, _ bind: (inout ParameterBinder) -> Void) throws {
        let statement = try statements.statement(sql, on: connection)
        sqlite3_reset(statement)
        try statements.bindingArena.withLock { arena in
            // Whatever happens below, SQLite keeps no pointer into the arena once it is let go.
            defer { sqlite3_clear_bindings(statement) }
            var binder = ParameterBinder(statement, arena: arena.bytes())
            bind(&binder)
            let expected = sqlite3_bind_parameter_count(statement)
            guard binder.index - 1 == expected else {
                throw LedgerError("\(binder.index - 1) parameters bound where \(expected) are expected: \(sql)")
            }
            let code = sqlite3_step(statement)
            guard code == SQLITE_DONE else {
                let message = connection.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }
                sqlite3_reset(statement)
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: "\(sql)")
            }
            sqlite3_reset(statement)
        }
    }

    /// The integer in the first column of the first row of the statement of `sql` (one that
    /// takes no parameters); nil when it returns no row or NULL. Read without GRDB's cursor,
    /// which for one value made and freed an object and looked up generic metadata and witness
    /// tables: about 7,000 instructions for `PRAGMA data_version` (docs/PERFORMANCE.md, change
    /// 177).
    func integer(_ sql: StaticString) throws -> Int64? {
        let statement = try statements.statement(sql, on: connection)
        sqlite3_reset(statement)
        defer { sqlite3_reset(statement) }
        switch sqlite3_step(statement) {
        case SQLITE_ROW:
            return sqlite3_column_type(statement, 0) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, 0)
        case SQLITE_DONE:
            return nil
        case let code:
            let message = connection.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: "\(sql)")
        }
    }
}

/// Memory a store's statements bind strings and blobs from (`SQLITE_STATIC`) instead of having
/// SQLite allocate a copy of each and free it at the next binding: room for the largest row a
/// store writes (a director's decided signal, about 2.3 KB; a ledger order with its fills).
/// Values beyond it are bound as SQLite's own copies.
struct BindingArena: ~Copyable {
    static let capacity = 16_384
    /// The memory's address, as an integer so that the arena can sit in a `Mutex`.
    private let address = UInt(bitPattern: UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8))

    /// The arena's memory.
    func bytes() -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: UnsafeMutableRawPointer(bitPattern: address), count: Self.capacity)
    }

    deinit { UnsafeMutableRawPointer(bitPattern: address)?.deallocate() }
}
