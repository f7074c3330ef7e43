import Foundation
import HedgeBusTesting
import Testing

/// `io_thread_policy`: the bus and every agent run libzmq's I/O threads under `SCHED_BATCH`
/// unless the topology says `normal`.
@Suite("The scheduling policy of the processes' libzmq I/O threads", .serialized, .timeLimit(.minutes(3)))
struct IOThreadPolicyTests {
    /// Linux's numbers for the two policies (sched(7)).
    static let normal = 0, batch = 3

    /// The policy of each libzmq I/O thread of process `pid` (field 41 of its `stat`). A thread
    /// names itself once it has taken its policy, so a named one is past that.
    static func ioThreadPolicies(of pid: Int32) -> [Int] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.compactMap { task in
            let folder = "/proc/\(pid)/task/\(task)"
            guard let name = try? String(contentsOfFile: folder + "/comm", encoding: .utf8), name.hasPrefix("ZMQbg/IO/"),
                  let stat = try? String(contentsOfFile: folder + "/stat", encoding: .utf8),
                  let fields = stat.split(separator: ")").last?.split(separator: " "), fields.count > 39 else { return nil }
            // After the name in parentheses the fields start at the third (state): the 41st is the 39th here.
            return Int(fields[38])
        }
    }

    static func expectEveryProcess(_ running: RunningTopology, policy: Int) {
        #expect(running.handles.count == 6)
        for (name, handle) in running.handles {
            let policies = ioThreadPolicies(of: handle.pid)
            #expect(!policies.isEmpty, "\(name) has no libzmq I/O thread")
            #expect(policies.allSatisfy { $0 == policy }, "\(name)'s I/O threads run under policies \(policies), expected \(policy)")
        }
    }

    @Test func byDefaultEveryProcessRunsItsIOThreadsUnderSchedBatch() async throws {
        try await RunningTopology.run { running in Self.expectEveryProcess(running, policy: Self.batch) }
    }

    @Test func normalKeepsThemUnderTheNormalPolicy() async throws {
        try await RunningTopology.run(extra: "\"io_thread_policy\": \"normal\"") { running in
            Self.expectEveryProcess(running, policy: Self.normal)
        }
    }
}
