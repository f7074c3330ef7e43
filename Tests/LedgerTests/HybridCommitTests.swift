import Foundation
import Instrumentation
import Synchronization
import Testing
@testable import Ledger

/// A `GroupCommitWriter` with both a thread and a scheduler (`HybridCommitPolicy`): while items
/// come slowly its commits run where the scheduler runs them, once they come fast on its thread;
/// wherever they run, commits keep the items' order, a commit that finds the write lock held
/// goes to the thread, a failure stops every later write, and `close` writes what is queued.
@Suite(.timeLimit(.minutes(1)))
struct HybridCommitTests {
    /// Where each transaction ran and what it held. Its write lock can be held by the test: a
    /// write that may not wait then throws `StoreLockBusy`, and one that may waits for the test.
    final class Store: Sendable {
        let transactions = Mutex<[(thread: String, items: [Int], waitingForLock: Bool)]>([])
        let lockHeld = Mutex(false)
        let lockFreed = DispatchSemaphore(value: 0)
        static let poison = 99

        func write(_ items: [Int], waitingForLock: Bool) throws {
            if lockHeld.withLock({ $0 }) {
                guard waitingForLock else { throw StoreLockBusy(path: "test") }
                lockFreed.wait()
            }
            if items.contains(Self.poison) { throw LedgerError("the disk is full") }
            transactions.withLock { $0.append((Self.threadName(), items, waitingForLock)) }
        }

        var committed: [[Int]] { transactions.withLock { $0.map(\.items) } }
        var threads: [String] { transactions.withLock { $0.map(\.thread) } }

        static func threadName() -> String {
            (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        }
    }

    /// Hands each commit given to the scheduler to the test.
    typealias Scheduler = ScheduledCommitTests.Scheduler

    /// Runs a commit handed to the scheduler on a thread named `loop-thread`, as a message loop
    /// would, and returns once it has.
    static func runOnLoop(_ action: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                ThreadNaming.nameCurrentThread("loop-thread")
                action()
                done.resume()
            }
            thread.start()
        }
    }

    final class Failures: Sendable {
        let reported = Mutex<[String]>([])
    }

    /// A writer whose thread is `hybrid-writer`, moving commits to it above `threadAbove` items
    /// in a window of a minute (so no window ends during a test).
    /// The writer is returned once its thread has started and found nothing to write (until
    /// then an item goes to the thread, which is about to look).
    static func writer(_ store: Store, _ scheduler: Scheduler, threadAbove: Double, failures: Failures = Failures()) async throws -> GroupCommitWriter<Store, Int> {
        let window = Duration.seconds(60)
        let perSecond = threadAbove / 60
        let writer = GroupCommitWriter(store: store, path: "test", thread: "hybrid-writer", scheduler: { scheduler.schedule($0) },
                                       policy: HybridCommitPolicy(threadAbove: perSecond, schedulerBelow: perSecond / 2, window: window),
                                       write: { try $0.write($1, waitingForLock: $2) },
                                       onFailure: { problem in failures.reported.withLock { $0.append(problem) } })
        for _ in 0..<1_000 where !writer.state.withLock({ $0.writerIdle }) { try await Task.sleep(for: .milliseconds(5)) }
        try #require(writer.state.withLock { $0.writerIdle }, "the writer thread never started")
        return writer
    }

    @Test func slowItemsCommitWhereTheSchedulerRunsThem() async throws {
        let store = Store(), scheduler = Scheduler()
        let writer = try await Self.writer(store, scheduler, threadAbove: 100)
        var actions = scheduler.actions.makeAsyncIterator()
        for item in 1...3 {
            let commit = writer.enqueue([item])
            let action = try #require(await actions.next())
            #expect(!commit.isDone)
            await Self.runOnLoop(action)
            try await commit.wait()
        }
        #expect(store.committed == [[1], [2], [3]])
        #expect(store.threads == ["loop-thread", "loop-thread", "loop-thread"])
        #expect(store.transactions.withLock { $0.allSatisfy { !$0.waitingForLock } }, "a scheduled commit waited for the lock")
        #expect(writer.stats.transactions == 3 && writer.stats.scheduledBesideThread == 3 && writer.stats.moves == 0)
        await writer.close()
    }

    @Test func fastItemsMoveTheCommitsToTheThreadAndKeepTheirOrder() async throws {
        let store = Store(), scheduler = Scheduler()
        let writer = try await Self.writer(store, scheduler, threadAbove: 5)
        var actions = scheduler.actions.makeAsyncIterator()
        // The first item asks the scheduler for a commit; the rest ride on it, and the sixth
        // item of the window moves later commits to the thread.
        var commits = (1...6).map { writer.enqueue([$0]) }
        #expect(scheduler.handed.withLock { $0 } == 1)
        #expect(writer.stats.moves == 1)
        // The commit handed over before the move still runs where the scheduler runs it, and
        // takes everything queued by then.
        let action = try #require(await actions.next())
        await Self.runOnLoop(action)
        // Later items wake the thread instead.
        commits.append(writer.enqueue([7]))
        commits.append(writer.enqueue([8]))
        for commit in commits { try await commit.wait() }
        #expect(scheduler.handed.withLock { $0 } == 1, "a commit went to the scheduler after the move")
        #expect(store.committed.flatMap { $0 } == Array(1...8))
        #expect(store.committed.first == [1, 2, 3, 4, 5, 6])
        #expect(store.threads.first == "loop-thread")
        #expect(store.threads.dropFirst().allSatisfy { $0 == "hybrid-writer" } && store.threads.count >= 2)
        #expect(writer.stats.scheduledBesideThread == 1)
        await writer.close()
    }

    @Test func aScheduledCommitThatFindsTheLockHeldGoesToTheThread() async throws {
        let store = Store(), scheduler = Scheduler()
        let writer = try await Self.writer(store, scheduler, threadAbove: 100)
        var actions = scheduler.actions.makeAsyncIterator()
        store.lockHeld.withLock { $0 = true }
        let commit = writer.enqueue([1, 2])
        let action = try #require(await actions.next())
        // The scheduled commit does not wait for the lock: it returns, having written nothing.
        await Self.runOnLoop(action)
        #expect(store.committed.isEmpty && !commit.isDone)
        // The thread takes the items and waits for the lock; freed, it writes them.
        store.lockHeld.withLock { $0 = false }
        store.lockFreed.signal()
        try await commit.wait()
        #expect(store.committed == [[1, 2]])
        #expect(store.threads == ["hybrid-writer"])
        #expect(store.transactions.withLock { $0.map(\.waitingForLock) } == [true])
        await writer.close()
    }

    @Test func aFailedScheduledCommitStopsEveryLaterWrite() async throws {
        let store = Store(), scheduler = Scheduler(), failures = Failures()
        let writer = try await Self.writer(store, scheduler, threadAbove: 100, failures: failures)
        var actions = scheduler.actions.makeAsyncIterator()
        let failing = writer.enqueue([1, Store.poison])
        let action = try #require(await actions.next())
        await Self.runOnLoop(action)
        await #expect(throws: LedgerError.self) { try await failing.wait() }
        #expect(failures.reported.withLock { $0 } == ["the disk is full"])
        let later = writer.enqueue([2])
        await #expect(throws: LedgerError.self) { try await later.wait() }
        // Closing wakes the thread, which writes nothing queued after the failure.
        await writer.close()
        #expect(store.committed.isEmpty)
        #expect(scheduler.handed.withLock { $0 } == 1)
        #expect(failures.reported.withLock { $0.count } == 1)
    }

    @Test func closeWritesWhatAScheduledCommitHasNotTakenYetOnce() async throws {
        let store = Store(), scheduler = Scheduler()
        let writer = try await Self.writer(store, scheduler, threadAbove: 100)
        var actions = scheduler.actions.makeAsyncIterator()
        let commit = writer.enqueue([1])
        let action = try #require(await actions.next())
        await writer.close()
        try await commit.wait()
        // The commit the scheduler was given finds nothing left to write.
        await Self.runOnLoop(action)
        #expect(store.committed == [[1]])
        #expect(store.threads == ["hybrid-writer"])
        await #expect(throws: LedgerError.self) { try await writer.enqueue([2]).wait() }
    }
}

/// The count behind a `HybridCommitPolicy`: a stream moves the commits to the thread within one
/// window, and only a quiet spell as long as the policy's `quietWindows` brings them back.
@Suite struct ItemLoadTests {
    /// 10 items a window of 10 ms move commits to the thread; 3 windows below 500 a second bring them back.
    static let policy = HybridCommitPolicy(threadAbove: 1_000, schedulerBelow: 500, window: .milliseconds(10), quietWindows: 3)
    let start = ContinuousClock.now

    func at(_ milliseconds: Int) -> ContinuousClock.Instant { start.advanced(by: .milliseconds(milliseconds)) }

    @Test func moreThanAWindowsShareMovesTheCommitsAtOnce() {
        var load = ItemLoad()
        for _ in 0..<10 { load.note(1, at: at(0), Self.policy) }
        #expect(load.inline, "ten items are a window's share, not more")
        load.note(1, at: at(1), Self.policy)
        #expect(!load.inline && load.moves == 1)
    }

    @Test func slowItemsStayWhereTheSchedulerRunsThem() {
        var load = ItemLoad()
        // Five items a window for a second: 500 a second, half the threshold.
        for window in 0..<100 {
            for item in 0..<5 { load.note(1, at: at(window * 10 + item), Self.policy) }
        }
        #expect(load.inline && load.moves == 0)
    }

    /// A count whose first window, at 0 ms, moved the commits to the thread.
    func onTheThread() -> ItemLoad {
        var load = ItemLoad()
        load.note(11, at: at(0), Self.policy)
        return load
    }

    @Test func onlyAQuietSpellBringsTheCommitsBack() {
        var load = onTheThread()
        #expect(!load.inline)
        // Two quiet windows (one item each), then a busy one: still on the thread.
        for (milliseconds, items) in [(10, 1), (20, 1), (30, 20), (40, 1)] { load.note(items, at: at(milliseconds), Self.policy) }
        #expect(!load.inline, "a pause of two windows moved the commits back")
        // Three quiet windows in a row after the busy one: back to the scheduler.
        for milliseconds in [50, 60, 70] { load.note(1, at: at(milliseconds), Self.policy) }
        #expect(load.inline && load.moves == 2)
    }

    @Test func aLongGapCountsAsThatManyQuietWindows() {
        var load = onTheThread()
        #expect(!load.inline)
        load.note(1, at: at(1_000), Self.policy)
        #expect(load.inline)
    }
}
