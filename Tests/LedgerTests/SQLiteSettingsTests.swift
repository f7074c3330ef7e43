import CSQLiteSettings
import GRDB
import GRDBSQLite
@testable import Ledger
import Testing

/// SQLite's process-wide setting (Sources/CSQLiteSettings): made before any store opens, and in
/// force once one has.
@Suite struct SQLiteSettingsTests {
    @Test func theSettingWasAcceptedBeforeSQLiteStarted() {
        #expect(hedgebus_sqlite_settings_result() == SQLITE_OK)
    }

    @Test func sqliteKeepsNoCountOfTheHeapAStoreUses() throws {
        try withTemporaryDirectory { folder in
            let store = try DirectorStore(path: folder + "/director.sqlite", syncEveryCommit: true)
            // Opening and migrating allocated; without the memory statistics nothing counted it.
            let pages = try store.queue.read { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 }
            #expect(pages > 0)
            #expect(sqlite3_memory_used() == 0)
            #expect(sqlite3_memory_highwater(0) == 0)
        }
    }
}
