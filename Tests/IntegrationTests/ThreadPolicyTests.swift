import Foundation
import HedgeBusTesting
import Messaging
import WireFormat
import Testing

/// `io_thread_policy` and `thread_policy`: the bus and every agent run libzmq's I/O threads and
/// their own threads (message loops, the ledger writer, the concurrency pool) under
/// `SCHED_BATCH` or the normal policy as the topology says for each, and under `auto`, the
/// default, move them to the normal policy while other programs keep the CPUs busy.
@Suite("The scheduling policies of the processes' threads", .serialized, .timeLimit(.minutes(4)))
struct ThreadPolicyTests {
    /// Linux's numbers for the two policies (sched(7)).
    static let normal = 0, batch = 3

    /// The name and policy of each thread of process `pid` (field 41 of its `stat`).
    static func threadPolicies(of pid: Int32) -> [(name: String, policy: Int)] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.compactMap { task in
            let folder = "/proc/\(pid)/task/\(task)"
            guard let name = try? String(contentsOfFile: folder + "/comm", encoding: .utf8),
                  let stat = try? String(contentsOfFile: folder + "/stat", encoding: .utf8),
                  let fields = stat.split(separator: ")").last?.split(separator: " "), fields.count > 39,
                  let policy = Int(fields[38]) else { return nil }
            // After the name in parentheses the fields start at the third (state): the 41st is the 39th here.
            return (name.trimmingCharacters(in: .whitespacesAndNewlines), policy)
        }
    }

    /// Checks that in every process libzmq's I/O threads run under `io` and its other threads,
    /// its message loop among them, under `own`. An I/O thread names itself once it has taken its
    /// policy, so a named one is past that.
    static func expectEveryProcess(_ running: RunningTopology, io: Int, own: Int) {
        #expect(running.handles.count == 6)
        for (name, handle) in running.handles {
            let threads = threadPolicies(of: handle.pid)
            let ioThreads = threads.filter { $0.name.hasPrefix("ZMQbg/IO/") }
            let ownThreads = threads.filter { !$0.name.hasPrefix("ZMQbg/") }
            #expect(!ioThreads.isEmpty, "\(name) has no libzmq I/O thread")
            #expect(ownThreads.contains { $0.name.hasPrefix("zmq-") }, "\(name) has no message loop thread among \(threads.map(\.name))")
            #expect(ioThreads.allSatisfy { $0.policy == io }, "\(name)'s I/O threads run under policies \(ioThreads.map(\.policy)), expected \(io)")
            let others = ownThreads.filter { $0.policy != own }
            #expect(others.isEmpty, "\(name)'s threads \(others.map(\.name)) run under policies \(others.map(\.policy)), expected \(own)")
        }
    }

    @Test func batchPutsEveryThreadOfEveryProcessUnderSchedBatch() async throws {
        try await RunningTopology.run(extra: "\"io_thread_policy\": \"batch\", \"thread_policy\": \"batch\"") { running in
            Self.expectEveryProcess(running, io: Self.batch, own: Self.batch)
        }
    }

    /// The I/O threads are started by a loop thread already under `SCHED_BATCH`, whose policy they
    /// would inherit: `normal` has to be set on them.
    @Test func ioThreadPolicyNormalPutsTheIOThreadsAloneUnderTheNormalPolicy() async throws {
        try await RunningTopology.run(extra: "\"io_thread_policy\": \"normal\", \"thread_policy\": \"batch\"") { running in
            Self.expectEveryProcess(running, io: Self.normal, own: Self.batch)
        }
    }

    @Test func threadPolicyNormalKeepsTheProcessesOwnThreadsUnderTheNormalPolicy() async throws {
        try await RunningTopology.run(extra: "\"io_thread_policy\": \"batch\", \"thread_policy\": \"normal\"") { running in
            Self.expectEveryProcess(running, io: Self.batch, own: Self.normal)
        }
    }

    /// Whether every thread of every process (libzmq's included) runs under `policy`.
    static func everyThread(of running: RunningTopology, under policy: Int) -> Bool {
        running.handles.values.allSatisfy { handle in threadPolicies(of: handle.pid).allSatisfy { $0.policy == policy } }
    }

    /// By default (`auto`) every process watches the machine's load: with a busy loop per CPU
    /// of a program that is not HedgeBus's, every thread of every process moves to the normal
    /// policy within a few seconds' samples. (Back to `SCHED_BATCH` needs a quiet machine, which a
    /// test run in parallel with others cannot count on: `MachineLoadTests` covers the choice.)
    @Test func autoMovesEveryThreadToTheNormalPolicyWhileOtherProgramsKeepTheCPUsBusy() async throws {
        try await RunningTopology.run { running in
            for handle in running.handles.values {
                let names = Self.threadPolicies(of: handle.pid).map(\.name)
                #expect(names.contains("thread-policy"), "no thread watching the load among \(names)")
            }
            var loops: [Process] = []
            defer {
                for loop in loops where loop.isRunning { kill(loop.processIdentifier, SIGKILL) }
                for loop in loops { loop.waitUntilExit() }
            }
            for _ in 0..<ProcessInfo.processInfo.activeProcessorCount {
                let loop = Process()
                loop.executableURL = URL(fileURLWithPath: "/bin/sh")
                loop.arguments = ["-c", "while :; do :; done"]
                try loop.run()
                loops.append(loop)
            }
            let deadline = ContinuousClock.now.advanced(by: .seconds(20))
            while !Self.everyThread(of: running, under: Self.normal), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
            }
            Self.expectEveryProcess(running, io: Self.normal, own: Self.normal)

            // What the watch chose shows in the metrics (the MarketMaker's, asked over req/rep).
            let loop = try MessageLoop(name: "policy-metrics")
            let venue = try await RequestClient.connect(loop: loop, peer: "market-maker",
                                                        endpoint: try running.topology.endpoint(of: .marketMaker).endpoint, source: "test")
            let exposition = try await venue.request(MetricsRequest(), trace: .root()).payload.exposition
            await loop.shutdown()
            let values = Dictionary(exposition.split(separator: "\n").compactMap { line -> (String, Double)? in
                let parts = line.split(separator: " ")
                guard parts.count == 2, let value = Double(parts[1]) else { return nil }
                return (String(parts[0]), value)
            }, uniquingKeysWith: { $1 })
            #expect(values["hedgebus_thread_policy_batch"] == 0)
            #expect((values["hedgebus_thread_policy_moves_total"] ?? 0) >= 1)
            #expect((values["hedgebus_foreign_cpus"] ?? 0) >= 0.8, "\(values["hedgebus_foreign_cpus"] ?? -1) CPUs of other programs' work")
        }
    }
}
