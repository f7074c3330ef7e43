import Foundation
import Synchronization
import Testing
@testable import Messaging

/// `MessageLoop.whenIdle`: an action for when the loop has nothing else to do runs on the loop
/// thread after the iteration's end actions and the work they resumed, and is not starved by a
/// loop that its own work keeps busy.
@Suite("Idle actions", .timeLimit(.minutes(1)))
struct IdleActionTests {
    @Test func anIdleActionRunsAfterTheEndActionsAndWhatTheyResumedEvenWhenQueuedBeforeThem() async throws {
        let loop = try MessageLoop(name: "idle-order")
        let log = LoopOrderLog()
        await withTaskExecutorPreference(loop) {
            await withCheckedContinuation { (idle: CheckedContinuation<Void, Never>) in
                log.note("task", loop)
                loop.whenIdle {
                    log.note("idle", loop)
                    idle.resume()
                }
                // As a commit at the end of the iteration resumes its waiter, which then sends.
                loop.atIterationEnd {
                    log.note("end", loop)
                    Task(executorPreference: loop) { log.note("resumed by the end action", loop) }
                }
                Task(executorPreference: loop) { log.note("job", loop) }
            }
        }
        #expect(log.order.withLock { $0 } == ["task", "job", "end", "resumed by the end action", "idle"])
        #expect(log.onLoop.withLock { $0 } == [true, true, true, true, true])
        await loop.shutdown()
    }

    /// A task that keeps the loop busy until told to stop, counting its turns.
    final class Spinner: Sendable {
        let state = Mutex<(spinning: Bool, turns: Int)>((true, 0))
        var turns: Int { state.withLock { $0.turns } }
        func stop() { state.withLock { $0.spinning = false } }
        func turn() -> Bool { state.withLock { $0.turns += 1; return $0.spinning } }
    }

    @Test func anIdleActionRunsWhileTheLoopsOwnWorkKeepsItBusy() async throws {
        let loop = try MessageLoop(name: "idle-busy")
        let spinner = Spinner()
        // A task that yields for ever re-queues itself on the loop: the loop never runs out of
        // commands, so it is never idle; the action must still run, at the end of an iteration.
        let spinning = Task(executorPreference: loop) {
            while spinner.turn() { await Task.yield() }
        }
        let (ranOnLoop, turnsBefore) = await withCheckedContinuation { (ran: CheckedContinuation<(Bool, Int), Never>) in
            loop.whenIdle { ran.resume(returning: (loop.isLoopThread, spinner.turns)) }
        }
        spinner.stop()
        await spinning.value
        #expect(ranOnLoop)
        // The spinner had the loop busy when the action ran.
        #expect(turnsBefore > 0)
        await loop.shutdown()
    }

    @Test func anIdleActionRunsAtOnceOnceTheLoopHasStopped() async throws {
        let loop = try MessageLoop(name: "idle-stopped")
        await loop.shutdown()
        let log = LoopOrderLog()
        loop.whenIdle { log.note("idle", loop) }
        #expect(log.order.withLock { $0 } == ["idle"])
        #expect(log.onLoop.withLock { $0 } == [false])
    }
}
