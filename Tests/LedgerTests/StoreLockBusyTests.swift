import Foundation
import GRDB
import Testing
@testable import Ledger

/// A commit on a message loop must not sleep in SQLite's busy handler: asked not to wait, the
/// director's and the analytics' stores give up at once when another connection holds the
/// write lock (as their checkpointer's RESTART does), write nothing, and commit once it is free.
@Suite(.timeLimit(.minutes(1)))
struct StoreLockBusyTests {
    static func accepted(_ index: Int) -> DirectorChange {
        .accepted(signalId: "s\(index)", symbol: "BTC-USD", receivedUs: Int64(index), envelope: Data("x".utf8))
    }

    /// Runs `body` while another connection to `path` holds its write lock.
    static func whileLockHeld(_ path: String, _ body: () throws -> Void) throws {
        let holder = try DatabaseQueue(path: path)
        try holder.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            defer { try? db.execute(sql: "COMMIT") }
            try body()
        }
    }

    @Test func theDirectorStoreGivesUpAtOnceAndCommitsOnceTheLockIsFree() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/director.sqlite"
            let store = try DirectorStore(path: path, checkpointsApart: true)
            try store.record([Self.accepted(0)])
            // A commit that waited would block here until the holder commits, which it does
            // only after this returns: the test would hang rather than pass.
            try Self.whileLockHeld(path) {
                #expect(throws: StoreLockBusy.self) { try store.record([Self.accepted(1)], waitingForLock: false) }
            }
            #expect(try DirectorStore(path: path).load(rememberedSignals: 10).pending.map(\.signalId) == ["s0"])
            try store.record([Self.accepted(1)], waitingForLock: false)
            #expect(try DirectorStore(path: path).load(rememberedSignals: 10).pending.map(\.signalId) == ["s0", "s1"])
        }
    }

    @Test func theAnalyticsStoreGivesUpAtOnceAndCommitsOnceTheLockIsFree() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/analytics.sqlite"
            let store = try AnalyticsStore(path: path, syncEveryCommit: false, checkpointsApart: true)
            let snapshot = AnalyticsStoreTests.snapshot("desk", at: 1, capital: 10_000)
            try Self.whileLockHeld(path) {
                #expect(throws: StoreLockBusy.self) { try store.record([.snapshot(snapshot)], waitingForLock: false) }
            }
            #expect(try store.snapshots(account: "desk").isEmpty)
            try store.record([.snapshot(snapshot)], waitingForLock: false)
            #expect(try store.snapshots(account: "desk").map(\.timeMicros) == [1])
        }
    }
}
