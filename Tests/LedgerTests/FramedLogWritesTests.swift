import CSQLiteSettings
import Foundation
import GRDBSQLite
@testable import Ledger
import Testing

/// The "hedgebus" VFS (Sources/CSQLiteSettings/walframes.c): a commit's log frames reach the
/// file in one write, before the commit returns, and nothing SQLite reads back is missing. Each
/// test drives its connections with SQLite's own calls on its own thread, where the VFS counts
/// the writes asked of logs and those passed on.
@Suite struct FramedLogWritesTests {
    init() {
        // As before a store's first connection.
        _ = DurableSQLite.framedLogWrites
    }

    @Test func theFramedVFSIsTheDefaultOnceAStoreWillOpen() throws {
        #expect(DurableSQLite.framedLogWrites == SQLITE_OK)
        #expect(hedgebus_use_framed_vfs() == SQLITE_OK)
        let vfs = try #require(sqlite3_vfs_find(nil))
        #expect(String(cString: vfs.pointee.zName) == "hedgebus")
    }

    @Test func aCommitsFramesReachTheLogInOneWriteBeforeItReturns() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/framed.sqlite"
            let writer = try Connection.logged(path, pageSize: 1_024, synchronous: "NORMAL",
                                               schema: "CREATE TABLE rows (id INTEGER PRIMARY KEY, body BLOB); CREATE INDEX rows_body ON rows (body)")
            let reader = try Connection(path)
            for round in 1...5 {
                let (asked, issued) = (hedgebus_wal_writes_asked(), hedgebus_wal_writes_issued())
                let logBefore = try Self.size(of: path + "-wal")
                // Three rows of 700 bytes and their index entries: several 1 KB pages per commit.
                try writer.run("BEGIN IMMEDIATE")
                for row in 0..<3 { try writer.run("INSERT INTO rows (body) VALUES (randomblob(700 + \(round * 3 + row)))") }
                try writer.run("COMMIT")
                let frames = try Self.size(of: path + "-wal") - logBefore
                let frameSize = 24 + 1_024
                // The commit's frames are all in the file already, each a header and its page.
                #expect(frames % frameSize == 0)
                let written = frames / frameSize
                #expect(written >= 3)
                #expect(hedgebus_wal_writes_asked() - asked == 2 * written)
                #expect(hedgebus_wal_writes_issued() - issued == 1)
                // Another connection reads the commit from the file at once.
                #expect(try reader.integer("SELECT count(*) FROM rows") == round * 3)
            }
            #expect(try reader.text("PRAGMA integrity_check") == "ok")
        }
    }

    @Test func aTransactionThatSpillsAndRewritesItsPagesCommitsWhole() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/spilled.sqlite"
            let writer = try Connection.logged(path, pageSize: 1_024, synchronous: "NORMAL",
                                               schema: "CREATE TABLE rows (id INTEGER PRIMARY KEY, value INTEGER, body BLOB)")
            // A cache of a few pages: the transaction writes frames to the log before its commit,
            // reads some of them back and writes some again in place (checksums redone at commit).
            try writer.run("PRAGMA cache_size = 4")
            try writer.run("BEGIN IMMEDIATE")
            for row in 1...400 { try writer.run("INSERT INTO rows (value, body) VALUES (\(row), randomblob(300))") }
            try writer.run("UPDATE rows SET value = value * 2 WHERE id % 3 = 0")
            try writer.run("COMMIT")
            // A spilled transaction rolled back leaves nothing; the commit after it is whole.
            try writer.run("BEGIN IMMEDIATE")
            for row in 1...400 { try writer.run("INSERT INTO rows (value, body) VALUES (\(-row), randomblob(300))") }
            try writer.run("ROLLBACK")
            try writer.run("INSERT INTO rows (value, body) VALUES (7, x'00')")
            let expected = (1...400).reduce(0) { $0 + ($1 % 3 == 0 ? 2 * $1 : $1) } + 7
            let reader = try Connection(path)
            #expect(try reader.integer("SELECT sum(value) FROM rows") == expected)
            #expect(try reader.text("PRAGMA integrity_check") == "ok")
            // And from the file alone, once both connections are gone.
            try writer.close()
            try reader.close()
            let reopened = try Connection(path)
            #expect(try reopened.integer("SELECT count(*) FROM rows") == 401)
            #expect(try reopened.integer("SELECT sum(value) FROM rows") == expected)
            #expect(try reopened.text("PRAGMA integrity_check") == "ok")
        }
    }

    @Test func aCommitLargerThanWhatIsHeldIsWrittenInPieces() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/large.sqlite"
            let writer = try Connection.logged(path, pageSize: 4_096, synchronous: "FULL",
                                               schema: "CREATE TABLE rows (id INTEGER PRIMARY KEY, body BLOB)")
            let (asked, issued) = (hedgebus_wal_writes_asked(), hedgebus_wal_writes_issued())
            // About 1 MB of pages in one commit: more than the 120 KB held at most, and more than the
            // default VFS writes in one call.
            try writer.run("BEGIN IMMEDIATE")
            for _ in 0..<250 { try writer.run("INSERT INTO rows (body) VALUES (randomblob(4000))") }
            try writer.run("COMMIT")
            let writes = hedgebus_wal_writes_issued() - issued
            #expect(writes >= 4)
            #expect(writes * 10 < hedgebus_wal_writes_asked() - asked)
            let reader = try Connection(path)
            #expect(try reader.integer("SELECT count(*) FROM rows WHERE length(body) = 4000") == 250)
            #expect(try reader.text("PRAGMA integrity_check") == "ok")
        }
    }

    private static func size(of path: String) throws -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
}

/// One SQLite connection driven by SQLite's own calls, on the thread that makes them.
private final class Connection {
    private var handle: OpaquePointer?

    init(_ path: String) throws {
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK else {
            defer { sqlite3_close(handle) }
            throw SQLiteFailure(message: String(cString: sqlite3_errmsg(handle)))
        }
        sqlite3_busy_timeout(handle, 5_000)
    }

    deinit { sqlite3_close(handle) }

    /// A new file of `pageSize` pages in WAL mode, at `synchronous`, with `schema` made.
    static func logged(_ path: String, pageSize: Int, synchronous: String, schema: String) throws -> Connection {
        let connection = try Connection(path)
        try connection.run("PRAGMA page_size = \(pageSize); PRAGMA journal_mode = WAL; PRAGMA synchronous = \(synchronous)")
        try connection.run(schema)
        return connection
    }

    func run(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &message) == SQLITE_OK else {
            defer { sqlite3_free(message) }
            throw SQLiteFailure(message: message.map { String(cString: $0) } ?? "failed: \(sql)")
        }
    }

    func integer(_ sql: String) throws -> Int {
        try first(sql) { Int(sqlite3_column_int64($0, 0)) }
    }

    func text(_ sql: String) throws -> String {
        try first(sql) { sqlite3_column_text($0, 0).map { String(cString: $0) } ?? "" }
    }

    func close() throws {
        guard sqlite3_close(handle) == SQLITE_OK else { throw SQLiteFailure(message: "close: \(String(cString: sqlite3_errmsg(handle)))") }
        handle = nil
    }

    private func first<T>(_ sql: String, _ column: (OpaquePointer) -> T) throws -> T {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw SQLiteFailure(message: String(cString: sqlite3_errmsg(handle)))
        }
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else { throw SQLiteFailure(message: "no row: \(sql)") }
        return column(statement)
    }
}

private struct SQLiteFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
