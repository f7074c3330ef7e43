import Foundation
import Glibc
import CZeroMQ
import HedgeBusTesting
import Testing
@testable import Messaging

/// The scheduling policy a context gives libzmq's I/O thread (`ZMQContext.ThreadScheduling`).
@Suite("libzmq thread scheduling")
struct ZMQThreadSchedulingTests {
    /// The policy of thread `thread` of this process (a Linux thread id; 0 for the caller); nil
    /// for another (real-time, idle) or when it cannot be read.
    static func policy(ofThread thread: Int32) -> ZMQContext.ThreadScheduling? {
        switch sched_getscheduler(thread) {
        case HEDGEBUS_SCHED_BATCH: return .batch
        case SCHED_OTHER: return .normal
        default: return nil
        }
    }

    /// The Linux thread ids of this process's threads named `name` now.
    static func threads(named name: String) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.compactMap { task -> Int32? in
            guard let comm = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8),
                  comm.trimmingCharacters(in: .newlines) == name else { return nil }
            return Int32(task)
        }
    }

    /// Makes a context scheduled as `threads` whose libzmq threads are named after `prefix`
    /// (`ZMQ_THREAD_NAME_PREFIX`, so other tests' contexts cannot be taken for it), and passes
    /// one message through its I/O thread (a TCP round trip on loopback), so that thread has
    /// started, taken its policy and named itself; returns the policies of the threads so named
    /// (its I/O thread's alone). With `fromBatchThread`, the thread that makes the context and
    /// its sockets runs under `SCHED_BATCH` (as an agent's do under `thread_policy` batch).
    static func policyOfIOThread(_ threads: ZMQContext.ThreadScheduling, prefix: Int32,
                                 fromBatchThread: Bool = false) async throws -> [ZMQContext.ThreadScheduling?] {
        let (reply, policies) = try await onOwnThread { () throws -> ([Data], [ZMQContext.ThreadScheduling?]) in
            if fromBatchThread {
                var none = sched_param(sched_priority: 0)
                guard sched_setscheduler(0, HEDGEBUS_SCHED_BATCH, &none) == 0 else { throw ZMQError.last("sched_setscheduler") }
                guard Self.policy(ofThread: 0) == .batch else { throw ZMQError.last("sched_getscheduler") }
            }
            let context = try ZMQContext(threads: threads)
            defer { context.terminate() }
            guard zmq_ctx_set(context.handle, ZMQ_THREAD_NAME_PREFIX, prefix) == 0 else { throw ZMQError.last("zmq_ctx_set") }
            let server = try context.socket(.rep)
            let client = try context.socket(.req)
            defer { server.close(); client.close() }
            try server.bind("tcp://127.0.0.1:*")
            try client.connect(try server.lastEndpoint())
            try client.send([Data("ping".utf8)], wait: true)
            let request = try server.receive() ?? []
            try server.send(request, wait: true)
            let reply = try client.receive() ?? []
            return (reply, Self.threads(named: "\(prefix)/ZMQbg/IO/0").map { policy(ofThread: $0) })
        }
        #expect(reply == [Data("ping".utf8)])
        return policies
    }

    @Test func batchContextRunsItsIOThreadUnderSchedBatch() async throws {
        #expect(try await Self.policyOfIOThread(.batch, prefix: 71) == [.batch])
    }

    @Test func normalContextLeavesItsIOThreadUnderTheNormalPolicy() async throws {
        #expect(try await Self.policyOfIOThread(.normal, prefix: 72) == [.normal])
    }

    /// libzmq's threads inherit the policy of the thread that starts them unless the context
    /// sets one: a `.normal` context made on a `SCHED_BATCH` thread still sets the normal one.
    @Test func normalContextMadeOnABatchThreadRunsItsIOThreadUnderTheNormalPolicy() async throws {
        #expect(try await Self.policyOfIOThread(.normal, prefix: 73, fromBatchThread: true) == [.normal])
    }

    @Test func batchContextMadeOnABatchThreadRunsItsIOThreadUnderSchedBatch() async throws {
        #expect(try await Self.policyOfIOThread(.batch, prefix: 74, fromBatchThread: true) == [.batch])
    }

    @Test func theCallingThreadIsUnderTheNormalPolicy() {
        #expect(Self.policy(ofThread: 0) == .normal)
    }
}
