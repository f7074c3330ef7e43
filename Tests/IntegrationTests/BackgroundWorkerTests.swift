import Foundation
import Synchronization
import Testing
@testable import AgentRuntime

/// The OTLP push's worker: its jobs run in order on one thread of their own, in the idle
/// scheduling class and nicer than the thread that made it, and the thread ends once the worker
/// is gone.
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
