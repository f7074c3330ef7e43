import CSQLiteSettings
import GRDB
import GRDBSQLite

/// How every HedgeBus SQLite file is opened: WAL mode with `synchronous = FULL`, so a
/// committed transaction reaches the disk before the call returns and survives a power cut
/// (setting `journalMode = .wal` instead would lower `synchronous` to NORMAL), and a busy
/// timeout, so a reader and the writer of another process wait for each other's lock
/// rather than fail.
enum DurableSQLite {
    /// How long a statement waits for another connection's lock before it fails.
    static let busyTimeoutMs: Int32 = 10_000

    /// What making the "hedgebus" VFS the default answered (`SQLITE_OK`): every store's
    /// connections write a commit's log frames in one write (Sources/CSQLiteSettings/walframes.c).
    /// Made before the first store opens; a process with no store never starts SQLite.
    static let framedLogWrites: Int32 = hedgebus_use_framed_vfs()

    /// `syncEveryCommit` false lowers `synchronous` to NORMAL: in WAL mode a commit then reaches
    /// the operating system (and survives the process being killed) without an fsync, and is
    /// on disk at the next checkpoint; only a power cut or an OS crash can lose the latest.
    /// A `newFilePageSize` (a power of two from 512 to 65,536) is the page size of a file created
    /// by this connection; a file that exists keeps its own.
    static func configuration(readOnly: Bool, syncEveryCommit: Bool = true, newFilePageSize: Int? = nil) -> Configuration {
        _ = framedLogWrites
        var config = Configuration()
        config.readonly = readOnly
        config.busyMode = .timeout(Double(busyTimeoutMs) / 1_000)
        config.prepareDatabase { db in
            // Before WAL mode, which writes the new file's first page.
            if !readOnly, let newFilePageSize { try db.execute(sql: "PRAGMA page_size = \(newFilePageSize)") }
            if !readOnly {
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                guard mode == "wal" else { throw LedgerError("could not put \(db.description) in WAL mode (got \(mode ?? "nothing"))") }
            }
            try db.execute(sql: syncEveryCommit ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
        }
        return config
    }
}

extension DurableSQLite {
    /// Runs `body` in one IMMEDIATE transaction on `queue`'s connection, its statements from
    /// `statements` (the store's, for that connection): all of it or, when `body` or the commit
    /// throws, none. BEGIN and COMMIT are prepared once, with the store's other statements, and
    /// run straight through SQLite: GRDB's `write` parses and prepares both again for every
    /// transaction, and its statement cache hashes their text and runs each through its
    /// statement bookkeeping, together about as many instructions as a small transaction's own
    /// statements. `committed` runs once the commit succeeded, before any other access to the
    /// connection. Without `waitingForLock`, a write lock held by another connection (the log's
    /// checkpointer) throws `StoreLockBusy` at once, before anything is written, instead of
    /// waiting in SQLite's busy handler; once the transaction has begun its statements wait as
    /// usual.
    static func transaction(_ queue: DatabaseQueue, _ statements: PreparedStatements, waitingForLock: Bool = true,
                            _ body: (PreparedDatabase) throws -> Void, committed: () -> Void = {}) throws {
        try queue.writeWithoutTransaction { db in
            let prepared = PreparedDatabase(connection: db, statements: statements)
            if waitingForLock {
                try prepared.run("BEGIN IMMEDIATE TRANSACTION") { _ in }
            } else {
                try begin(prepared, handle: db.sqliteConnection, path: queue.path)
            }
            do {
                try body(prepared)
                try prepared.run("COMMIT TRANSACTION") { _ in }
            } catch {
                try? db.rollback()
                throw error
            }
            committed()
        }
    }

    /// BEGIN IMMEDIATE with no busy handler: a held lock throws `StoreLockBusy`. The handler
    /// the connection was opened with is back before this returns.
    private static func begin(_ prepared: PreparedDatabase, handle: OpaquePointer?, path: String) throws {
        sqlite3_busy_handler(handle, nil, nil)
        defer { sqlite3_busy_timeout(handle, busyTimeoutMs) }
        do {
            try prepared.run("BEGIN IMMEDIATE TRANSACTION") { _ in }
        } catch let error as DatabaseError where error.resultCode.primaryResultCode == .SQLITE_BUSY {
            throw StoreLockBusy(path: path)
        }
    }
}
