import Glibc
import Messaging
import Synchronization
import Testing
@testable import AgentRuntime

/// Each trim first drops what the agent no longer needs (the replies kept for retries), so that
/// a quiet agent gives that memory back too; and the trim runs off the agent's message loop.
@Suite("Memory trimming", .timeLimit(.minutes(1)))
struct MemoryTrimmingTests {
    @Test func eachTrimFirstReleasesWhatTheAgentNoLongerNeeds() async {
        let events = Mutex<[String]>([])
        let (trimmed, trim) = AsyncStream.makeStream(of: Void.self)
        let trimming = Task {
            await MemoryTrimming(interval: .milliseconds(1), release: { events.withLock { $0.append("release") } },
                                 trim: { events.withLock { $0.append("trim") }; trim.yield() }).run()
        }
        var trims = trimmed.makeAsyncIterator()
        // Two rounds, each releasing before it trims.
        await trims.next()
        await trims.next()
        trimming.cancel()
        await trimming.value
        #expect(Array(events.withLock { $0 }.prefix(4)) == ["release", "trim", "release", "trim"])
    }

    @Test func theTrimRunsOffTheMessageLoopTheAgentsServicesRunOn() async throws {
        let loop = try MessageLoop(name: "trimming-test")
        let loopThread = await withTaskExecutorPreference(loop) { pthread_self() }
        let (trimmedOn, trim) = AsyncStream.makeStream(of: pthread_t.self)
        let (releasedOn, release) = AsyncStream.makeStream(of: pthread_t.self)
        let trimming = Task(executorPreference: loop) {
            await MemoryTrimming(interval: .milliseconds(1), release: { release.yield(pthread_self()) },
                                 trim: { trim.yield(pthread_self()) }).run()
        }
        var trims = trimmedOn.makeAsyncIterator()
        var releases = releasedOn.makeAsyncIterator()
        let trimThread = await trims.next()
        let releaseThread = await releases.next()
        trimming.cancel()
        await trimming.value
        await loop.shutdown()
        // The release touches the server's state and stays where the services run.
        #expect(releaseThread.map { pthread_equal($0, loopThread) != 0 } == true)
        #expect(trimThread.map { pthread_equal($0, loopThread) == 0 } == true)
    }
}
