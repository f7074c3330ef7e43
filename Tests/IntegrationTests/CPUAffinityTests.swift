import Configuration
import Foundation
import HedgeBusTesting
import Testing

/// `cpus`: every thread of each process of a topology (libzmq's I/O thread and the ledger writer
/// among them) runs on the CPUs the topology names for that process, and a CPU the host does not
/// have stops the process with the key to fix.
@Suite("The CPUs a topology puts its processes on", .serialized, .timeLimit(.minutes(3)))
struct CPUAffinityTests {
    /// The CPUs this test process may use; the agents it starts inherit them unless pinned.
    static let allowed: [Int] = cpus(ofThreadsIn: getpid()).first?.cpus ?? []

    /// Each thread's CPU list in process `pid`, as the kernel reports it.
    static func cpus(ofThreadsIn pid: Int32) -> [CPUList] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.compactMap { task in
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else { return nil }
            return try? CPUList(parsing: String(line.dropFirst("Cpus_allowed_list:".count)))
        }
    }

    @Test(.enabled(if: allowed.count >= 2, "needs two CPUs to put processes on one of them"))
    func eachProcessRunsOnItsOwnCPUsOrElseTheTopologys() async throws {
        let (first, second) = (Self.allowed[0], Self.allowed[1])
        // The bus's own CPUs go into the file's bus entry, which the fixture writes itself.
        let busCPUs: (TestTopology, ProcessGroup) throws -> Void = { fixture, _ in
            let text = try String(contentsOfFile: fixture.path, encoding: .utf8)
            let subscribe = "\"subscribe\": \"\(fixture.topology.bus.subscribe)\""
            try text.replacingOccurrences(of: subscribe, with: subscribe + ", \"cpus\": \"\(second)\"")
                .write(toFile: fixture.path, atomically: true, encoding: .utf8)
        }
        try await RunningTopology.run(extra: "\"cpus\": \"\(first)\"", agentExtras: ["market-maker": "\"cpus\": \"\(second)\""],
                                      prelude: busCPUs) { running in
            #expect(running.handles.count == 6)
            for (name, handle) in running.handles {
                let lists = Self.cpus(ofThreadsIn: handle.pid)
                let expected = ["market-maker", "bus"].contains(name) ? [second] : [first]
                #expect(lists.count >= 3, "\(name) has threads: \(lists)")
                #expect(lists.allSatisfy { $0.cpus == expected }, "\(name)'s threads run on \(lists), expected \(expected)")
                #expect(running.processes.log(handle).contains("runs on CPUs"), "\(name) does not say where it runs")
            }
        }
    }

    @Test(.enabled(if: allowed.count >= 2, "needs two CPUs to put the process on one of them"))
    func theFiveAgentsInOneProcessRunOnTheTopologysCPUs() async throws {
        let only = Self.allowed[1]
        try await RunningTopology.run(extra: "\"cpus\": \"\(only)\"", layout: .oneProcess) { running in
            let handle = try #require(running.handles[RunningTopology.allAgents])
            let lists = Self.cpus(ofThreadsIn: handle.pid)
            #expect(lists.count >= 3)
            #expect(lists.allSatisfy { $0.cpus == [only] }, "threads run on \(lists)")
        }
    }

    @Test func aCPUTheHostDoesNotHaveStopsTheProcessNamingTheKey() async throws {
        let absent = CPUList.highestCPU
        let fixture = try TestTopology.make(agentExtras: ["quant-analyst": "\"cpus\": \"\(absent)\""])
        let processes = ProcessGroup()
        let handle = try processes.start("quant-analyst", ["--topology", fixture.path])
        let status = await processes.exitStatus(handle, within: .seconds(30))
        await processes.stop()
        #expect(status != nil && status != 0)
        let log = processes.log(handle)
        #expect(log.contains("agents.quant-analyst.cpus is \(absent), but this process may run only on CPUs"), "\(log)")
    }
}
