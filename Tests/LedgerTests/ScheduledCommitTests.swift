import Foundation
import Synchronization
import Testing
@testable import Ledger

/// A `GroupCommitWriter` without a thread: its commits run only where its scheduler runs them,
/// each takes everything queued by then, and nobody waiting is resumed before the commit that
/// covers them.
@Suite(.timeLimit(.minutes(1)))
struct ScheduledCommitTests {
    /// A store that keeps each transaction's items, and fails a transaction holding `poison`.
    final class Transactions: Sendable {
        let committed = Mutex<[[Int]]>([])
        static let poison = 99

        func write(_ items: [Int]) throws {
            if items.contains(Self.poison) { throw LedgerError("the disk is full") }
            committed.withLock { $0.append(items) }
        }
    }

    /// Hands each commit to the test, which runs it when it chooses.
    final class Scheduler: Sendable {
        let actions: AsyncStream<@Sendable () -> Void>
        private let continuation: AsyncStream<@Sendable () -> Void>.Continuation
        let handed = Mutex(0)

        init() { (actions, continuation) = AsyncStream.makeStream() }

        func schedule(_ action: @escaping @Sendable () -> Void) {
            handed.withLock { $0 += 1 }
            continuation.yield(action)
        }
    }

    /// The problems reported to `onFailure`.
    final class Failures: Sendable {
        let reported = Mutex<[String]>([])
    }

    static func writer(_ store: Transactions, _ scheduler: Scheduler, failures: Failures = Failures()) -> GroupCommitWriter<Transactions, Int> {
        GroupCommitWriter(store: store, path: "test", scheduler: { scheduler.schedule($0) }, write: { try $0.write($1) },
                          onFailure: { problem in failures.reported.withLock { $0.append(problem) } })
    }

    @Test func whatIsQueuedBeforeTheCommitRunsCommitsInOneTransactionAndItsWaitersResumeAfterIt() async throws {
        let store = Transactions(), scheduler = Scheduler()
        let writer = Self.writer(store, scheduler)
        var actions = scheduler.actions.makeAsyncIterator()
        // Deferred items ask for no commit.
        _ = writer.enqueueDeferred([1, 2])
        #expect(scheduler.handed.withLock { $0 } == 0)
        // An item someone needs asks for one; later items ride on it instead of asking again.
        let third = writer.enqueue([3])
        let fourth = writer.enqueue([4, 5])
        #expect(scheduler.handed.withLock { $0 } == 1)
        let seenByWaiter = Task { () async throws -> [[Int]] in
            try await fourth.wait()
            return store.committed.withLock { $0 }
        }
        let commit = try #require(await actions.next())
        #expect(store.committed.withLock { $0 }.isEmpty)
        commit()
        // The waiter was resumed by the commit and saw it done, all five items in one transaction.
        #expect(try await seenByWaiter.value == [[1, 2, 3, 4, 5]])
        try await third.wait()
        #expect(writer.stats.items == 5 && writer.stats.transactions == 1)
        // A commit already done asks for nothing more.
        try await fourth.wait()
        #expect(scheduler.handed.withLock { $0 } == 1)
    }

    /// A store whose transaction, once begun, waits until the test lets it finish.
    final class HeldTransactions: Sendable {
        let committed = Mutex<[[Int]]>([])
        let began: AsyncStream<Void>
        private let beginning: AsyncStream<Void>.Continuation
        let finish = DispatchSemaphore(value: 0)

        init() { (began, beginning) = AsyncStream.makeStream() }

        func write(_ items: [Int]) {
            beginning.yield()
            finish.wait()
            committed.withLock { $0.append(items) }
        }
    }

    @Test func aWaiterThatComesWhileItsCommitIsBeingWrittenAsksForNoOther() async throws {
        let store = HeldTransactions(), scheduler = Scheduler()
        let writer = GroupCommitWriter<HeldTransactions, Int>(store: store, path: "test", scheduler: { scheduler.schedule($0) },
                                                              write: { $0.write($1) }, onFailure: { _ in })
        var actions = scheduler.actions.makeAsyncIterator()
        var began = store.began.makeAsyncIterator()
        let first = writer.enqueue([1, 2])
        let commit = try #require(await actions.next())
        // The commit runs on a thread of its own, as a loop would run it, and stops inside its write.
        DispatchQueue.global().async { commit() }
        // However the test ends, the write is let go (a second signal is never waited for).
        defer { store.finish.signal() }
        try #require(await began.next() != nil)
        let waiter = Task { try await first.wait() }
        // Until the waiter is registered with the writer (bounded: it only has to be scheduled).
        for _ in 0..<100_000 where writer.state.withLock({ $0.waiters.isEmpty }) { await Task.yield() }
        try #require(writer.state.withLock { $0.waiters.count } == 1, "the waiter never registered")
        #expect(scheduler.handed.withLock { $0 } == 1, "the waiter asked for a commit besides the one writing its items")
        store.finish.signal()
        try await waiter.value
        #expect(store.committed.withLock { $0 } == [[1, 2]])
        #expect(scheduler.handed.withLock { $0 } == 1)
    }

    @Test func waitingForDeferredItemsAsksForTheCommitThatWritesThem() async throws {
        let store = Transactions(), scheduler = Scheduler()
        let writer = Self.writer(store, scheduler)
        var actions = scheduler.actions.makeAsyncIterator()
        let deferred = writer.enqueueDeferred([7])
        let resumed = Mutex(false)
        let waiter = Task {
            try await deferred.wait()
            resumed.withLock { $0 = true }
        }
        // The wait handed over a commit (the handshake); nothing is written or resumed before it runs.
        let commit = try #require(await actions.next())
        #expect(!resumed.withLock { $0 })
        _ = writer.enqueueDeferred([8])
        commit()
        try await waiter.value
        #expect(resumed.withLock { $0 })
        #expect(store.committed.withLock { $0 } == [[7, 8]])
    }

    @Test func aFailedCommitIsFatalForEveryWaiterNowAndLater() async throws {
        let store = Transactions(), scheduler = Scheduler(), failures = Failures()
        let writer = Self.writer(store, scheduler, failures: failures)
        var actions = scheduler.actions.makeAsyncIterator()
        let failing = writer.enqueue([1, Transactions.poison])
        let action = try #require(await actions.next())
        action()
        await #expect(throws: LedgerError.self) { try await failing.wait() }
        #expect(failures.reported.withLock { $0 } == ["the disk is full"])
        // Nothing queued after the failure is written, and waiting for it fails at once.
        let later = writer.enqueue([2])
        await #expect(throws: LedgerError.self) { try await later.wait() }
        #expect(scheduler.handed.withLock { $0 } == 1)
        #expect(store.committed.withLock { $0 }.isEmpty)
        #expect(failures.reported.withLock { $0.count } == 1)
    }

    @Test func closeCommitsWhatIsQueuedThenRefusesToWaitForMore() async throws {
        let store = Transactions(), scheduler = Scheduler()
        let writer = Self.writer(store, scheduler)
        var actions = scheduler.actions.makeAsyncIterator()
        _ = writer.enqueueDeferred([1])
        let closing = Task { await writer.close() }
        let action = try #require(await actions.next())
        action()
        await closing.value
        #expect(store.committed.withLock { $0 } == [[1]])
        await #expect(throws: LedgerError.self) { try await writer.enqueue([2]).wait() }
        #expect(store.committed.withLock { $0 } == [[1]])
    }

    @Test func aCommitIsDoneOnlyOnceWhatItCoversIsWrittenAndNeverAfterAFailure() async throws {
        let store = Transactions(), scheduler = Scheduler()
        let writer = Self.writer(store, scheduler)
        var actions = scheduler.actions.makeAsyncIterator()
        #expect(GroupCommitWriter<Transactions, Int>.Commit.done.isDone)
        let first = writer.enqueue([1])
        #expect(!first.isDone && !writer.barrier().isDone)
        let commit1 = try #require(await actions.next())
        commit1()
        #expect(first.isDone && writer.barrier().isDone)
        // Asking neither starts a commit nor counts as waiting for one.
        let second = writer.enqueueDeferred([2])
        #expect(!second.isDone && !writer.barrier().isDone)
        #expect(scheduler.handed.withLock { $0 } == 1)
        let third = writer.enqueue([3])
        #expect(!second.isDone && !third.isDone)
        let commit2 = try #require(await actions.next())
        commit2()
        #expect(second.isDone && third.isDone && first.isDone)
        #expect(store.committed.withLock { $0 } == [[1], [2, 3]])
        let failing = writer.enqueue([Transactions.poison])
        let commit3 = try #require(await actions.next())
        commit3()
        #expect(!failing.isDone)
        #expect(!first.isDone, "after a failure no commit is done: waiting for it throws")
    }
}
