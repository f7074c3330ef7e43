import Foundation
import Glibc
import HedgeBusTesting
import Testing

@Suite("launch.sh with replicas", .serialized, .timeLimit(.minutes(3)))
struct LaunchReplicaTests {
    /// `launch.sh up` on a topology with 3 QuantAnalyst and 2 ExecutionAgent replicas starts a
    /// broker and every replica, each with its pid file; `status` shows every replica up under
    /// its recorded pid; a SIGKILLed replica is restarted alone; `down` leaves nothing running.
    @Test func upSupervisesEveryReplicaAndItsBrokerAndDownStopsThem() async throws {
        if let missing = LaunchScript.missing { try Test.cancel("launch.sh replicas not tested: \(missing)") }
        let launch = try LaunchScript(agentExtras: [
            "quant-analyst": "\"replicas\": 3, \"backend\": \"\(FreePort.endpoint())\"",
            "execution-agent": "\"replicas\": 2, \"backend\": \"\(FreePort.endpoint())\"",
        ])
        try await launch.run(thenTearDown: exercise)
    }

    private func exercise(_ launch: LaunchScript) async throws {
        #expect(launch.processes.contains("quant-analyst-broker") && launch.processes.contains("quant-analyst#3")
                && launch.processes.contains("execution-agent#2") && !launch.processes.contains("quant-analyst"))
        let started = try await launch.run("up")
        try #require(started.status == 0, "launch.sh up failed:\n\(started.output)")
        let pids = try launch.recordedPids()
        #expect(Set(pids.values).count == launch.processes.count, "one process per name: \(pids)")
        // hedgectl status judges each process by a heartbeat within two intervals; under a full
        // suite's load a replica can miss that window right after `up`, so status is asked until
        // it says every process is up (a process that never comes up still fails here).
        _ = try await eventually("launch.sh status exiting 0 with every replica and broker alive", timeout: .seconds(30),
                                 interval: .milliseconds(300)) { () async throws -> Bool? in
            let (status, rows) = try await launch.status()
            return status == 0 && rows.values.allSatisfy(\.alive) ? true : nil
        }
        // hedgectl status (the first table of launch.sh status) has a row per broker and per replica, with its pid.
        let (_, printed) = try await launch.run("status", timeout: .seconds(30))
        for replica in ["quant-analyst-broker", "quant-analyst#1", "quant-analyst#2", "quant-analyst#3",
                        "execution-agent-broker", "execution-agent#1", "execution-agent#2"] {
            let pid = try #require(pids[replica])
            #expect(printed.split(separator: "\n").contains { $0.hasPrefix("\(replica) ") && $0.contains(" up ") && $0.contains(" \(pid) ") },
                    "no 'up' row with pid \(pid) for \(replica):\n\(printed)")
        }

        let victim = "quant-analyst#2"
        let killed = try #require(pids[victim])
        kill(killed, SIGKILL)
        let restarted: LaunchScript.Row
        do {
            restarted = try await eventually("\(victim) running again under a new pid", timeout: .seconds(60), interval: .milliseconds(300)) {
                () async throws -> LaunchScript.Row? in
                let (status, rows) = try await launch.status()
                guard status == 0, let row = rows[victim], row.alive, let pid = row.pid, pid != killed else { return nil }
                return row
            }
        } catch {
            // What the supervisor did and what status says, for a failure seen only under load.
            let log = (try? String(contentsOfFile: "\(launch.runDir)/supervisor.log", encoding: .utf8)) ?? "(no supervisor.log)"
            let shown = (try? await launch.run("status", timeout: .seconds(30)))?.output ?? "(launch.sh status did not finish)"
            throw TestFailure("\(error)\nsupervisor.log:\n\(log.suffix(3_000))\n\(shown.suffix(3_000))")
        }
        #expect(restarted.restarts == 1 && restarted.reason.contains("SIGKILL"), "\(restarted)")
        let after = try launch.recordedPids()
        for (name, pid) in pids where name != victim { #expect(after[name] == pid, "\(name) should not have been restarted") }

        let stopped = try await launch.run("down")
        #expect(stopped.status == 0, "launch.sh down failed:\n\(stopped.output)")
        let survivors = Set(pids.values).union(after.values).filter(LaunchScript.isRunning)
        #expect(survivors.isEmpty, "still running after down: \(survivors.sorted())\n\(stopped.output)")
    }
}
