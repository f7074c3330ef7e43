import Foundation
@testable import Messaging
import Testing

/// A message loop's thread carries its name where the system shows threads (`top -H`, `perf`,
/// /proc), so a profile tells the loops apart.
@Suite(.timeLimit(.minutes(1)))
struct LoopThreadNameTests {
    @Test func theLoopThreadIsNamedForItsLoop() async throws {
        let loop = try MessageLoop(name: "named")
        let seen = await Task(executorPreference: loop) {
            (loop.isLoopThread, (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "")
        }.value
        #expect(seen.0)
        #expect(seen.1.trimmingCharacters(in: .newlines) == "zmq-named")
        await loop.shutdown()
    }
}
