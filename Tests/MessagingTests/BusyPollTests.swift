import Foundation
import HedgeBusTesting
import Testing
import WireFormat
@testable import Messaging

/// A loop with a busy-poll window, while a request made through it awaits its reply, takes what
/// comes within the window without sleeping, and sleeps once the window has passed; a loop that
/// awaits no reply, or has no window, never polls busily, and one whose machine has no CPU to
/// spare cuts its window. The tests that count polls open their loops with the gate open
/// (`BusyPollGate.always`): the suite runs beside other tests that may keep every CPU busy.
@Suite("Busy polling", .timeLimit(.minutes(1)))
struct BusyPollTests {
    @Test func repliesThatComeWithinTheWindowAreTakenWithoutSleepingAndOnlyTheAwaitingLoopPolls() async throws {
        // A window far longer than a loopback round trip, so replies land inside it even on a
        // loaded machine.
        let serverLoop = try MessageLoop(name: "busy-poll-server", busyPoll: .milliseconds(200), gate: .always)
        let clientLoop = try MessageLoop(name: "busy-poll-client", busyPoll: .milliseconds(200), gate: .always)
        let link = try await EchoLink.open(serverLoop: serverLoop, clientLoop: clientLoop)
        let replies = try await withTaskExecutorPreference(clientLoop) { try await link.echoes(20) }
        #expect(replies == 20)
        #expect(clientLoop.stats.busyPollHits > 0, "the client loop took no reply while polling: \(clientLoop.stats)")
        #expect(clientLoop.awaitedReplies.load(ordering: .relaxed) == 0)
        // The server's loop answers requests but awaits no reply of its own: it sleeps at once.
        #expect(serverLoop.stats.busyPollHits == 0 && serverLoop.stats.busyPollMisses == 0, "\(serverLoop.stats)")
        await link.close()
    }

    @Test func aReplyThatDoesNotComeEndsTheWindowAndTheLoopSleeps() async throws {
        let loop = try MessageLoop(name: "busy-poll-waiting", busyPoll: .milliseconds(20), gate: .always)
        // Nothing listens there: the request waits out its attempt, far longer than the window.
        let client = try await RequestClient.connect(loop: loop, peer: "ghost", endpoint: FreePort.endpoint(), source: "client",
                                                     policy: RequestPolicy(attemptTimeout: .milliseconds(400), attempts: 1))
        let outcome = await withTaskExecutorPreference(loop) {
            do { _ = try await client.request(Echo(text: "anyone?"), trace: .root()); return "answered" } catch { return "\(error)" }
        }
        #expect(outcome != "answered")
        #expect(loop.stats.busyPollMisses > 0, "the loop never stopped polling while it waited: \(loop.stats)")
        client.close()
        await loop.shutdown()
    }

    @Test func aLoopWhoseMachineHasNoCPUToSpareSleepsAtOnce() async throws {
        let loop = try MessageLoop(name: "busy-poll-cut", busyPoll: .milliseconds(20), gate: .never)
        let client = try await RequestClient.connect(loop: loop, peer: "ghost", endpoint: FreePort.endpoint(), source: "client",
                                                     policy: RequestPolicy(attemptTimeout: .milliseconds(200), attempts: 1))
        _ = await withTaskExecutorPreference(loop) { try? await client.request(Echo(text: "anyone?"), trace: .root()) }
        #expect(loop.stats.busyPollsCut > 0, "the loop never came to a window to cut: \(loop.stats)")
        #expect(loop.stats.busyPollHits == 0 && loop.stats.busyPollMisses == 0, "\(loop.stats)")
        client.close()
        await loop.shutdown()
    }

    @Test func aLoopWithoutAWindowNeverPollsBusily() async throws {
        let loop = try MessageLoop(name: "busy-poll-none")
        let client = try await RequestClient.connect(loop: loop, peer: "ghost", endpoint: FreePort.endpoint(), source: "client",
                                                     policy: RequestPolicy(attemptTimeout: .milliseconds(100), attempts: 1))
        _ = await withTaskExecutorPreference(loop) { try? await client.request(Echo(text: "anyone?"), trace: .root()) }
        #expect(loop.busyPoll == .zero)
        #expect(loop.stats.busyPollHits == 0 && loop.stats.busyPollMisses == 0 && loop.stats.busyPollsCut == 0, "\(loop.stats)")
        client.close()
        await loop.shutdown()
    }
}
