import Foundation
import Glibc
import HedgeBusTesting
import Messaging
import Testing

/// The scheduling policy a context gives libzmq's I/O thread (`ZMQContext.ThreadScheduling`).
@Suite("libzmq thread scheduling")
struct ZMQThreadSchedulingTests {
    /// The policy of thread `thread` of this process (a Linux thread id; 0 for the caller); nil
    /// for another (real-time, idle) or when it cannot be read.
    static func policy(ofThread thread: Int32) -> ZMQContext.ThreadScheduling? {
        switch sched_getscheduler(thread) {
        case 3: return .batch  // SCHED_BATCH, which Glibc's module does not export
        case SCHED_OTHER: return .normal
        default: return nil
        }
    }

    /// The Linux thread ids of the libzmq I/O threads of this process now.
    static func ioThreads() -> Set<Int32> {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return Set(tasks.compactMap { task -> Int32? in
            guard let name = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8),
                  name.hasPrefix("ZMQbg/IO/") else { return nil }
            return Int32(task)
        })
    }

    /// Makes a context scheduled as `threads` and passes one message through its I/O thread
    /// (a TCP round trip on loopback), so that thread has started, taken its policy and named
    /// itself; returns the policies of the I/O threads that appeared meanwhile.
    static func policiesOfNewIOThreads(_ threads: ZMQContext.ThreadScheduling) async throws -> [ZMQContext.ThreadScheduling?] {
        let (reply, policies) = try await onOwnThread { () throws -> ([Data], [ZMQContext.ThreadScheduling?]) in
            let before = ioThreads()
            let context = try ZMQContext(threads: threads)
            defer { context.terminate() }
            let server = try context.socket(.rep)
            let client = try context.socket(.req)
            defer { server.close(); client.close() }
            try server.bind("tcp://127.0.0.1:*")
            try client.connect(try server.lastEndpoint())
            try client.send([Data("ping".utf8)], wait: true)
            let request = try server.receive() ?? []
            try server.send(request, wait: true)
            let reply = try client.receive() ?? []
            return (reply, ioThreads().subtracting(before).map { policy(ofThread: $0) })
        }
        #expect(reply == [Data("ping".utf8)])
        return policies
    }

    // Other tests make contexts meanwhile, with the process default (`batch`), so a new thread
    // of another policy than asked may show up beside this context's; this context's is there.
    @Test func batchContextRunsItsIOThreadUnderSchedBatch() async throws {
        #expect(try await Self.policiesOfNewIOThreads(.batch).contains(.batch))
    }

    @Test func normalContextLeavesItsIOThreadUnderTheNormalPolicy() async throws {
        #expect(try await Self.policiesOfNewIOThreads(.normal).contains(.normal))
    }

    @Test func theCallingThreadIsUnderTheNormalPolicy() {
        #expect(Self.policy(ofThread: 0) == .normal)
    }
}
