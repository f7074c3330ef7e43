import Foundation
import Glibc
import HedgeBusTesting
import Testing

/// `launch.sh up --one-process`: the bus and the five agents as one supervised process. The run
/// folder remembers the layout for `status` and `down`; a crash of the one process is a crash of
/// every agent, and the supervisor starts it again.
@Suite("launch.sh --one-process", .serialized, .timeLimit(.minutes(3)))
struct LaunchOneProcessTests {
    @Test func theTopologyRunsAsOneSupervisedProcessThatComesBackAfterACrash() async throws {
        if let missing = LaunchScript.missing { try Test.cancel("launch.sh --one-process not tested: \(missing)") }
        var launch = try LaunchScript()
        launch.layout = .oneProcess
        try await launch.run(thenTearDown: exercise)
    }

    private func exercise(_ launch: LaunchScript) async throws {
        let refused = try await launch.run("up", ["--one-process", "--only", "bus"])
        #expect(refused.status != 0 && refused.output.contains("--one-process runs everything in one process"), "\(refused.output)")

        let started = try await launch.run("up", ["--one-process"])
        try #require(started.status == 0, "launch.sh up --one-process failed:\n\(started.output)")
        let files = try FileManager.default.contentsOfDirectory(atPath: "\(launch.runDir)/pids").filter { $0.hasSuffix(".pid") }
        #expect(Set(files) == ["all-agents.pid", "supervisor.pid"], "\(files)")
        let first = try #require(launch.pid(RunningTopology.allAgents))

        // Without the flag, status keeps to the layout the folder was started with, and every
        // agent answers from the one process.
        let shown = try await launch.run("status")
        #expect(shown.status == 0, "\(shown.output)")
        for agent in LaunchScript.names { #expect(shown.output.contains(agent), "\(agent) missing from:\n\(shown.output)") }

        kill(first, SIGKILL)
        let restarted = try await eventually("all-agents running again under a new pid, every agent up", timeout: .seconds(60),
                                             interval: .milliseconds(300)) { () async throws -> LaunchScript.Row? in
            let (status, rows) = try await launch.status()
            guard status == 0, let row = rows[RunningTopology.allAgents], row.alive, let pid = row.pid, pid != first else { return nil }
            return row
        }
        #expect(restarted.restarts == 1, "status after one kill: \(restarted)")
        #expect(restarted.reason.contains("SIGKILL"), "status after one kill: \(restarted)")

        let second = try #require(launch.pid(RunningTopology.allAgents))
        let down = try await launch.run("down")
        #expect(down.status == 0 && down.output.contains("stopped all-agents and their supervisor"), "\(down.output)")
        #expect(!LaunchScript.isRunning(second))
    }
}
