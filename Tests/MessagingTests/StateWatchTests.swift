@testable import Messaging
import Testing

/// Waiting on a value: an update that meets the condition ends the wait with true; the timeout
/// or a cancelled waiter ends it with false, and never leaves it hanging.
@Suite("State watch", .timeLimit(.minutes(1)))
struct StateWatchTests {
    @Test func anUpdateThatMeetsTheConditionEndsTheWait() async {
        let watch = StateWatch(0)
        let waiting = Task { await watch.wait(timeout: .seconds(30)) { $0 >= 2 } }
        watch.update { $0 = 1 }
        watch.update { $0 = 2 }
        #expect(await waiting.value)
        #expect(await watch.wait(timeout: .seconds(30)) { $0 == 2 })
    }

    @Test func theTimeoutEndsTheWaitWithFalse() async {
        let watch = StateWatch("idle")
        let started = ContinuousClock.now
        #expect(!(await watch.wait(timeout: .milliseconds(50)) { $0 == "busy" }))
        #expect(ContinuousClock.now - started >= .milliseconds(50))
    }

    @Test func aCancelledWaiterEndsWithFalseInsteadOfWaitingOut() async {
        let watch = StateWatch(false)
        let waiting = Task { await watch.wait(timeout: .seconds(3_600)) { $0 } }
        waiting.cancel()
        #expect(!(await waiting.value))
    }
}
