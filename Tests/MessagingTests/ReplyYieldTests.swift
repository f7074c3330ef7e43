import Foundation
import HedgeBusTesting
import Testing
import WireFormat
@testable import Messaging

/// A server bound with `yieldingAfterReplies` has its loop yield the CPU after each reply where
/// the loop's gate lets it (`ReplyYield`), whether the reply leaves at once from the handler's
/// task or through the loop's queue; a server bound without it never yields, nor does the
/// client's loop, which sends requests, nor a loop whose gate is shut. The counting tests open
/// their loops with the gate open (`BusyPollGate.always`): the suite runs beside other tests
/// that may keep every CPU busy, where the agents' gate would rightly hold the yields back.
@Suite("Yielding after a reply", .timeLimit(.minutes(1)))
struct ReplyYieldTests {
    /// An echo server on `serverLoop`, bound with `yielding`, served on its loop or (`onLoop`
    /// false) from the global executor, and a client on a loop of its own.
    static func link(_ name: String, serverGate: BusyPollGate = .always, yielding: Bool = true,
                     onLoop: Bool = true) async throws -> EchoLink {
        let serverLoop = try MessageLoop(name: "\(name)-server", busyPoll: .zero, gate: serverGate)
        let clientLoop = try MessageLoop(name: "\(name)-client", busyPoll: .zero, gate: .always)
        let server = try await RequestServer.bind(loop: serverLoop, endpoint: "tcp://127.0.0.1:*", name: "server",
                                                  handlers: EchoLink.echoing, yieldingAfterReplies: yielding)
        let serving = onLoop ? Task(executorPreference: serverLoop) { await server.run() } : Task.detached { await server.run() }
        let client = try await RequestClient.connect(loop: clientLoop, peer: "server", endpoint: server.endpoint, source: "client",
                                                     policy: RequestPolicy(attemptTimeout: .seconds(10), attempts: 1))
        return EchoLink(serverLoop: serverLoop, clientLoop: clientLoop, server: server, client: client, serving: serving)
    }

    /// Sends `count` echoes over `link` from the client's loop, expects every one back, and
    /// returns the server loop's counters once the loop has finished the work that sent the last
    /// reply (a yield is counted after its send, which the client may see first).
    static func serverStats(afterEchoing count: Int, over link: EchoLink) async throws -> MessageLoopStats {
        let replies = try await withTaskExecutorPreference(link.clientLoop) { try await link.echoes(count) }
        #expect(replies == count)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            link.serverLoop.atIterationEnd { done.resume() }
        }
        return link.serverLoop.stats
    }

    @Test func aYieldingServersLoopYieldsOnceForEveryReplyAndTheClientsNever() async throws {
        let link = try await Self.link("reply-yield")
        let stats = try await Self.serverStats(afterEchoing: 12, over: link)
        #expect(stats.repliesYielded == 12, "\(stats)")
        #expect(link.clientLoop.stats.repliesYielded == 0, "\(link.clientLoop.stats)")
        await link.close()
    }

    @Test func theRequestsAYieldingServerReadsSetItsLoopsPace() async throws {
        let link = try await Self.link("reply-yield-pace")
        _ = try await Self.serverStats(afterEchoing: 80, over: link)
        // Read on each loop's own thread, where the pace lives.
        func gap(on loop: MessageLoop) async -> Int64 {
            await withCheckedContinuation { (done: CheckedContinuation<Int64, Never>) in
                loop.atIterationEnd { done.resume(returning: loop.replyYield.pace.averageGapNanos) }
            }
        }
        let (server, client) = (await gap(on: link.serverLoop), await gap(on: link.clientLoop))
        #expect(server < RequestPace().averageGapNanos, "80 requests read: \(server)")
        #expect(client == RequestPace().averageGapNanos, "a client's loop reads replies, not requests")
        await link.close()
    }

    @Test func aReplySentThroughTheLoopsQueueYieldsToo() async throws {
        // Served from the global executor instead of the loop: each reply is posted from off the
        // loop thread, so the loop sends it as a queued command rather than at once.
        let link = try await Self.link("reply-yield-queued", onLoop: false)
        let stats = try await Self.serverStats(afterEchoing: 6, over: link)
        #expect(stats.repliesYielded == 6, "\(stats)")
        #expect(stats.sentAtOnce == 0, "the replies were meant to go through the queue: \(stats)")
        await link.close()
    }

    /// A server bound without `yieldingAfterReplies`, and one whose loop's gate is shut.
    @Test(arguments: [(yielding: false, gate: BusyPollGate.always), (yielding: true, gate: BusyPollGate.never)])
    func aServerNotAskingOrWhoseGateIsShutNeverYields(_ setting: (yielding: Bool, gate: BusyPollGate)) async throws {
        let link = try await Self.link("reply-yield-none", serverGate: setting.gate, yielding: setting.yielding)
        let stats = try await Self.serverStats(afterEchoing: 6, over: link)
        #expect(stats.repliesYielded == 0, "\(stats)")
        await link.close()
    }
}
