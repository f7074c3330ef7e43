import Foundation
import Ledger
import Messaging
import Testing

/// The director's journal committing at the end of its message loop's iteration: the changes one
/// wake-up of the loop queued share one transaction, and their waiters resume on the loop once
/// it is done.
@Suite("Director journal on the loop", .timeLimit(.minutes(1)))
struct DirectorJournalLoopTests {
    @Test func changesQueuedInOneIterationCommitTogetherAndTheirWaitersResumeOnTheLoop() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("journal-loop-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/director.sqlite"
        let loop = try MessageLoop(name: "journal-loop")
        let store = try DirectorStore(path: path, checkpointsApart: true)
        let journal = DirectorJournal(store: store, scheduler: { loop.atIterationEnd($0) }) { problem in Issue.record("failed: \(problem)") }
        let envelope = Data("{}".utf8)
        let (first, second) = try await withTaskExecutorPreference(loop) { () async throws -> (DirectorJournal.Stats, DirectorJournal.Stats) in
            // Three signals' arrivals and decisions, queued without a suspension in between.
            var commits: [DirectorJournal.Commit] = []
            for index in 0..<3 {
                journal.enqueueDeferred(.accepted(signalId: "s\(index)", symbol: "BTC-USD", receivedUs: Int64(index), envelope: envelope))
                commits.append(journal.enqueue(.decided(signalId: "s\(index)", decision: Data("d\(index)".utf8))))
            }
            #expect(journal.stats.transactions == 0)
            for commit in commits { try await commit.wait() }
            // Each wait returned once the store held the decision.
            #expect(try store.decision(of: "s2") == Data("d2".utf8))
            let first = journal.stats
            try await journal.enqueue(.accepted(signalId: "s3", symbol: "ETH-USD", receivedUs: 3, envelope: envelope)).wait()
            return (first, journal.stats)
        }
        #expect(first.items == 6 && first.transactions == 1)
        #expect(second.items == 7 && second.transactions == 2)
        let records = try DirectorStore(path: path).load(rememberedSignals: 10)
        #expect(records.decidedIds == ["s0", "s1", "s2"])
        #expect(records.pending.map(\.signalId) == ["s3"])
        await journal.close()
        await loop.shutdown()
    }
}
