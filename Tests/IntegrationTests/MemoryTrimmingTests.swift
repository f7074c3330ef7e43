import Testing
@testable import AgentRuntime

/// Each trim first drops what the agent no longer needs (the replies kept for retries), so that
/// a quiet agent gives that memory back too.
@Suite("Memory trimming", .timeLimit(.minutes(1)))
struct MemoryTrimmingTests {
    @Test func eachTrimFirstReleasesWhatTheAgentNoLongerNeeds() async {
        let (released, release) = AsyncStream.makeStream(of: Void.self)
        let trimming = Task { await MemoryTrimming(interval: .milliseconds(1), release: { release.yield() }).run() }
        var releases = released.makeAsyncIterator()
        // Two rounds, each releasing once.
        await releases.next()
        await releases.next()
        trimming.cancel()
        await trimming.value
    }
}
