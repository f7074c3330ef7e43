import Foundation
import Synchronization
import Testing
@testable import Ledger

/// A `GroupCommitWriter` whose scheduled commits never wait for the store's write lock: a
/// commit that finds it held writes nothing, resumes nobody and runs again from `retryLater`;
/// `close` waits for the lock.
@Suite(.timeLimit(.minutes(1)))
struct ScheduledCommitRetryTests {
    /// A store whose write lock the test holds or frees; keeps each transaction's items and
    /// whether the write was allowed to wait.
    final class LockedStore: Sendable {
        let held = Mutex(false)
        let committed = Mutex<[[Int]]>([])
        let waitedFlags = Mutex<[Bool]>([])

        func write(_ items: [Int], waitingForLock: Bool) throws {
            waitedFlags.withLock { $0.append(waitingForLock) }
            if held.withLock({ $0 }) {
                // A write allowed to wait would wait here for the lock; the test never asks for one.
                guard !waitingForLock else { throw LedgerError("waited for a held lock") }
                throw StoreLockBusy(path: "test")
            }
            committed.withLock { $0.append(items) }
        }
    }

    /// Hands the scheduler's and retryLater's actions to the test, each on a stream of its own.
    final class Hands: Sendable {
        let scheduled: AsyncStream<@Sendable () -> Void>
        let retried: AsyncStream<@Sendable () -> Void>
        private let toScheduled: AsyncStream<@Sendable () -> Void>.Continuation
        private let toRetried: AsyncStream<@Sendable () -> Void>.Continuation
        let retries = Mutex(0)

        init() {
            (scheduled, toScheduled) = AsyncStream.makeStream()
            (retried, toRetried) = AsyncStream.makeStream()
        }

        func schedule(_ action: @escaping @Sendable () -> Void) { toScheduled.yield(action) }

        func retry(_ action: @escaping @Sendable () -> Void) {
            retries.withLock { $0 += 1 }
            toRetried.yield(action)
        }
    }

    static func writer(_ store: LockedStore, _ hands: Hands) -> GroupCommitWriter<LockedStore, Int> {
        GroupCommitWriter(store: store, path: "test", scheduler: { hands.schedule($0) }, retryLater: { hands.retry($0) },
                          write: { try $0.write($1, waitingForLock: $2) }, onFailure: { Issue.record("failed: \($0)") })
    }

    @Test func aCommitThatFindsTheLockHeldRunsAgainLaterWithWhatCameMeanwhile() async throws {
        let store = LockedStore(), hands = Hands()
        let writer = Self.writer(store, hands)
        var scheduled = hands.scheduled.makeAsyncIterator()
        var retried = hands.retried.makeAsyncIterator()
        let first = writer.enqueue([1, 2])
        let resumed = Mutex(false)
        let waiter = Task {
            try await first.wait()
            resumed.withLock { $0 = true }
        }
        store.held.withLock { $0 = true }
        let commit = try #require(await scheduled.next())
        commit()
        // Nothing written, nobody resumed, and the commit handed to retryLater, not waited for.
        #expect(store.committed.withLock { $0 }.isEmpty)
        #expect(store.waitedFlags.withLock { $0 } == [false])
        #expect(hands.retries.withLock { $0 } == 1)
        #expect(!first.isDone && !resumed.withLock { $0 })
        // Items queued meanwhile ride on the retry rather than asking for a commit of their own.
        let second = writer.enqueue([3])
        // Still held: the retry puts everything back and asks once more.
        let retry1 = try #require(await retried.next())
        retry1()
        #expect(store.committed.withLock { $0 }.isEmpty)
        #expect(hands.retries.withLock { $0 } == 2)
        store.held.withLock { $0 = false }
        let retry2 = try #require(await retried.next())
        retry2()
        // One transaction, in the order enqueued; both waiters done.
        #expect(store.committed.withLock { $0 } == [[1, 2, 3]])
        try await waiter.value
        #expect(resumed.withLock { $0 } && second.isDone)
        #expect(writer.stats == .init(items: 3, transactions: 1))
        #expect(hands.retries.withLock { $0 } == 2)
    }

    @Test func closeWaitsForTheLockInsteadOfRetrying() async throws {
        let store = LockedStore(), hands = Hands()
        let writer = Self.writer(store, hands)
        var scheduled = hands.scheduled.makeAsyncIterator()
        _ = writer.enqueueDeferred([5])
        let closing = Task { await writer.close() }
        let action = try #require(await scheduled.next())
        action()
        await closing.value
        #expect(store.waitedFlags.withLock { $0 } == [true])
        #expect(store.committed.withLock { $0 } == [[5]])
        #expect(hands.retries.withLock { $0 } == 0)
    }
}
