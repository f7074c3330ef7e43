import Foundation
import Synchronization
import Testing
@testable import Messaging

/// `MessageLoop.atIterationEnd`: an action left for the end of an iteration runs on the loop
/// thread after the work queued in that iteration, whoever queued it.
@Suite("Iteration end", .timeLimit(.minutes(1)))
struct IterationEndTests {
    @Test func anEndActionRunsOnTheLoopAfterTheWorkQueuedBeforeAndAfterIt() async throws {
        let loop = try MessageLoop(name: "iteration-end")
        let log = LoopOrderLog()
        await withTaskExecutorPreference(loop) {
            await withCheckedContinuation { (ended: CheckedContinuation<Void, Never>) in
                log.note("task", loop)
                loop.atIterationEnd {
                    log.note("end", loop)
                    ended.resume()
                }
                // Queued after the end action, by the same iteration's work: still runs first.
                Task(executorPreference: loop) { log.note("job", loop) }
            }
        }
        #expect(log.order.withLock { $0 } == ["task", "job", "end"])
        #expect(log.onLoop.withLock { $0 } == [true, true, true])
        await loop.shutdown()
    }

    @Test func anEndActionQueuedFromAnotherThreadWakesTheLoop() async throws {
        let loop = try MessageLoop(name: "iteration-end-wake")
        let ranOnLoop = await withCheckedContinuation { (ran: CheckedContinuation<Bool, Never>) in
            #expect(!loop.isLoopThread)
            loop.atIterationEnd { ran.resume(returning: loop.isLoopThread) }
        }
        #expect(ranOnLoop)
        await loop.shutdown()
    }

    @Test func anEndActionRunsAtOnceOnceTheLoopHasStopped() async throws {
        let loop = try MessageLoop(name: "iteration-end-stopped")
        await loop.shutdown()
        let log = LoopOrderLog()
        loop.atIterationEnd { log.note("end", loop) }
        #expect(log.order.withLock { $0 } == ["end"])
        #expect(log.onLoop.withLock { $0 } == [false])
    }
}
