import Glibc
import Messaging
import Synchronization
import Testing
@testable import AgentRuntime

/// Each trim first drops what the agent no longer needs (the replies kept for retries), so that
/// a quiet agent gives that memory back too; a busy interval is not trimmed, and the trim runs
/// off the agent's message loop.
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

    @Test func anIntervalWithMoreThanTheQuietShareOfMessagesIsNotTrimmed() async {
        // What the agent has moved, read once at the start and once per interval: two busy
        // intervals (1,000 messages each), then a quiet one (100).
        let readings = [0, 1_000, 2_000, 2_100]
        let events = Mutex<[String]>([])
        let reads = Mutex(0)
        let (trimmed, trim) = AsyncStream.makeStream(of: Void.self)
        let trimming = Task {
            await MemoryTrimming(interval: .milliseconds(1),
                                 activity: {
                                     let moved = reads.withLock { read in
                                         defer { read += 1 }
                                         return readings[min(read, readings.count - 1)]
                                     }
                                     events.withLock { $0.append("read \(moved)") }
                                     return moved
                                 },
                                 busyMessages: 250,
                                 release: { events.withLock { $0.append("release") } },
                                 trim: { events.withLock { $0.append("trim") }; trim.yield() }).run()
        }
        var trims = trimmed.makeAsyncIterator()
        await trims.next()
        trimming.cancel()
        await trimming.value
        #expect(Array(events.withLock { $0 }.prefix(6)) == ["read 0", "read 1000", "read 2000", "read 2100", "release", "trim"])
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
