import Foundation
import Synchronization
import Testing
@testable import AgentRuntime

/// The OTLP push's worker: its jobs run in order on one thread of their own, in the idle
/// scheduling class and nicer than the thread that made it; a job kept waiting past its bound
/// moves that thread to the normal class until its queue is empty; and the thread ends once the
/// worker is gone.
@Suite(.timeLimit(.minutes(1)))
struct BackgroundWorkerTests {
    private static func niceness() -> Int32 {
        getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
    }

    /// The calling thread's name as the system has it.
    private static func threadName() -> String {
        ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "").trimmingCharacters(in: .newlines)
    }

    @Test func jobsRunInOrderOnOneNicerThreadOfTheirOwn() async {
        let worker = BackgroundWorker(name: "test-worker")
        let seen = Mutex<[(index: Int, thread: String, nice: Int32, policy: Int32)]>([])
        let (done, finish) = AsyncStream.makeStream(of: Void.self)
        for index in 0..<20 {
            worker.submit {
                seen.withLock { $0.append((index, Self.threadName(), Self.niceness(), sched_getscheduler(0))) }
                if index == 19 { finish.finish() }
            }
        }
        for await _ in done {}
        let runs = seen.withLock { $0 }
        #expect(runs.map(\.index) == Array(0..<20))
        #expect(Set(runs.map(\.thread)) == ["test-worker"])
        // Nicer than this thread, by the worker's niceness (the kernel caps the value at 19).
        let here = Self.niceness()
        #expect(BackgroundWorker.niceness > 0 && here < 19)
        #expect(Set(runs.map(\.nice)) == [min(19, here + BackgroundWorker.niceness)])
        // Below every normal thread: a thread that wakes on its CPU preempts it at once.
        #expect(Set(runs.map(\.policy)) == [BackgroundWorker.idlePolicy])
        #expect(sched_getscheduler(0) != BackgroundWorker.idlePolicy)
    }

    /// Polls `worker`'s policy until it is `policy`, for at most 20 s.
    private static func policy(of worker: BackgroundWorker, becomes policy: Int32) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .seconds(20))
        while worker.policy != policy, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(5)) }
        return worker.policy == policy
    }

    @Test func aJobKeptWaitingPastItsBoundMovesTheThreadToTheNormalClassUntilItsQueueIsEmpty() async {
        let worker = BackgroundWorker(name: "test-promoted")
        // A job done within its bound leaves the thread where it is.
        let quick = await worker.run({ sched_getscheduler(0) }, promotingAfter: .seconds(60))
        guard worker.policy != nil else {
            print("skipped: this user may not move a thread out of the idle class (not root, RLIMIT_NICE below 10)")
            #expect(quick == BackgroundWorker.normalPolicy)
            return
        }
        #expect(quick == BackgroundWorker.idlePolicy && worker.policy == BackgroundWorker.idlePolicy)

        // A job that holds the thread keeps the next one waiting past its bound.
        let gate = DispatchSemaphore(value: 0)
        let (started, start) = AsyncStream.makeStream(of: Void.self)
        worker.submit {
            start.finish()
            gate.wait()
        }
        for await _ in started {}
        async let waited = worker.run({ sched_getscheduler(0) }, promotingAfter: .milliseconds(20))
        #expect(await Self.policy(of: worker, becomes: BackgroundWorker.normalPolicy), "not moved to the normal class")
        gate.signal()
        // It ran in the normal class, and the thread went back once its queue was empty.
        #expect(await waited == BackgroundWorker.normalPolicy)
        #expect(await Self.policy(of: worker, becomes: BackgroundWorker.idlePolicy), "not back in the idle class")
        #expect(await worker.run({ sched_getscheduler(0) }, promotingAfter: .seconds(60)) == BackgroundWorker.idlePolicy)
    }

    @Test func theThreadEndsOnceTheWorkerIsGone() async {
        let (ended, end) = AsyncStream.makeStream(of: Void.self)
        final class Marker: Sendable {
            let end: AsyncStream<Void>.Continuation
            init(_ end: AsyncStream<Void>.Continuation) { self.end = end }
            deinit { end.finish() }
        }
        do {
            let worker = BackgroundWorker(name: "test-worker-ends")
            let marker = Marker(end)
            // The job keeps the marker until the thread lets go of the job after running it.
            worker.submit { _ = marker }
        }
        for await _ in ended {}
        // Reaching here means the job was run and released; what follows checks that the
        // thread is gone: no thread of the process is still named after the worker.
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        var stillThere = true
        for _ in 0..<500 where stillThere {
            stillThere = names.contains { task in
                (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8))?.hasPrefix("test-worker-end") == true
            }
            if stillThere { try? await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(!stillThere)
    }
}
