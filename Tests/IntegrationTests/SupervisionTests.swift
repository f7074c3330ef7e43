import Foundation
import Glibc
import HedgeBusTesting
import Testing

@Suite("launch.sh supervision", .serialized, .timeLimit(.minutes(3)))
struct SupervisionTests {
    /// `launch.sh up` supervises: a SIGKILLed agent comes back with a new pid, one restart in
    /// `status` and a line in the supervisor's log; with the supervisor stopped, `up` starts just
    /// the missing process (and a supervisor); `down` leaves none of the recorded pids running.
    @Test func aKilledAgentIsRestartedAndUpStartsJustWhatIsMissing() async throws {
        if let missing = LaunchScript.missing { try Test.cancel("launch.sh supervision not tested: \(missing)") }
        let launch = try LaunchScript()
        try await launch.run(thenTearDown: exercise)
    }

    private func exercise(_ launch: LaunchScript) async throws {
        let started = try await launch.run("up")
        try #require(started.status == 0, "launch.sh up failed:\n\(started.output)")
        let firstPids = try launch.recordedPids()
        let supervisor = try #require(launch.pid("supervisor"), "no supervisor pid in \(launch.runDir)/pids")
        #expect(LaunchScript.isRunning(supervisor))

        // SIGKILL one agent: the supervisor starts it again, with a new pid, and counts it.
        let victim = "risk-manager"
        let killed = try #require(firstPids[victim])
        kill(killed, SIGKILL)
        let restarted = try await eventually("\(victim) running again under a new pid, every process up", timeout: .seconds(60),
                                             interval: .milliseconds(300)) { () async throws -> LaunchScript.Row? in
            let (status, rows) = try await launch.status()
            guard status == 0, let row = rows[victim], row.alive, let pid = row.pid, pid != killed else { return nil }
            return row
        }
        #expect(restarted.restarts == 1, "status after one kill: \(restarted)")
        #expect(restarted.reason.contains("SIGKILL"), "status after one kill: \(restarted)")
        let log = (try? String(contentsOfFile: "\(launch.runDir)/supervisor.log", encoding: .utf8)) ?? ""
        #expect(log.contains("\(victim) (pid \(killed)) killed by SIGKILL"), "supervisor.log:\n\(log)")
        let (_, afterRestart) = try await launch.status()
        for (name, pid) in firstPids where name != victim {
            #expect(afterRestart[name]?.pid == pid && afterRestart[name]?.restarts == 0,
                    "\(name) should not have been restarted: \(String(describing: afterRestart[name]))\n\(launch.logs(of: name))")
        }

        // Without a supervisor nothing restarts a killed process; `up` starts just that one.
        kill(supervisor, SIGTERM)
        _ = try await eventually("the supervisor exiting on SIGTERM", timeout: .seconds(10)) { LaunchScript.isRunning(supervisor) ? nil : true }
        let beforeUp = try launch.recordedPids()
        let second = "quant-analyst"
        let secondPid = try #require(beforeUp[second])
        kill(secondPid, SIGKILL)
        _ = try await eventually("\(second) gone after SIGKILL", timeout: .seconds(10)) { LaunchScript.isRunning(secondPid) ? nil : true }
        let again = try await launch.run("up")
        try #require(again.status == 0, "launch.sh up on a partly running topology failed:\n\(again.output)")
        #expect(again.output.contains("starting \(second) and a supervisor"), "up's output:\n\(again.output)")
        let afterUp = try launch.recordedPids()
        for (name, pid) in beforeUp where name != second {
            #expect(afterUp[name] == pid, "\(name) should have been left running (pid \(pid)), now \(String(describing: afterUp[name]))")
        }
        let newSecond = try #require(afterUp[second])
        #expect(newSecond != secondPid && LaunchScript.isRunning(newSecond))
        let newSupervisor = try #require(launch.pid("supervisor"))
        #expect(newSupervisor != supervisor && LaunchScript.isRunning(newSupervisor))
        // A fully running, supervised topology: `up` changes nothing.
        let third = try await launch.run("up")
        #expect(third.status == 0 && third.output.contains("already running"), "up's output:\n\(third.output)")
        #expect(try launch.recordedPids() == afterUp)

        // `down` stops the supervisor first, then every process: no recorded pid is left.
        let everyPid = Set(firstPids.values).union(afterRestart.values.compactMap(\.pid)).union(afterUp.values).union([supervisor, newSupervisor])
        let stopped = try await launch.run("down")
        #expect(stopped.status == 0, "launch.sh down failed:\n\(stopped.output)")
        let survivors = everyPid.filter(LaunchScript.isRunning)
        #expect(survivors.isEmpty, "still running after down: \(survivors.sorted())\n\(stopped.output)")
        let leftFiles = (try? FileManager.default.contentsOfDirectory(atPath: "\(launch.runDir)/pids")) ?? []
        #expect(leftFiles.filter { $0.hasSuffix(".pid") }.isEmpty, "pid files left: \(leftFiles)")
    }
}

/// `topology/launch.sh` run against the build the tests run from (`--bin-dir`, so no swift
/// command runs), on a test topology of free ports, with a run folder of its own.
struct LaunchScript: Sendable {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let script = root.appendingPathComponent("topology/launch.sh").path
    static let names = ["bus", "market-maker", "quant-analyst", "risk-manager", "execution-agent", "trading-director"]
    /// The processes `launch.sh` runs for this test's topology (brokers and replicas when it has
    /// them; `all-agents` alone with `--one-process`).
    var processes: [String] { layout == .oneProcess ? [RunningTopology.allAgents] : RunningTopology.processNames(topology.topology) }
    /// How the test starts the topology (`--one-process` for `.oneProcess`).
    var layout = AgentLayout.processes

    /// What this machine lacks for the test, or nil.
    static var missing: String? {
        let files = FileManager.default
        for path in [script, root.appendingPathComponent("scripts/supervise").path] where !files.isExecutableFile(atPath: path) {
            return "\(path) is missing or not executable"
        }
        guard files.isExecutableFile(atPath: "/usr/bin/env"), ["/bin/bash", "/usr/bin/bash"].contains(where: files.isExecutableFile) else {
            return "bash is not installed"
        }
        guard files.fileExists(atPath: "/proc/self/stat") else { return "no /proc to read process states from" }
        for name in names + [RunningTopology.allAgents, "hedgectl"] {
            let path = ProcessGroup.binDirectory.appendingPathComponent(name).path
            if !files.isExecutableFile(atPath: path) { return "\(path) is not built; run `swift build` before `swift test` (./scripts/test does)" }
        }
        return nil
    }

    /// The temporary folder holding the run folder and the launcher's output (owner-only).
    let folder: String
    let runDir: String
    let topology: TestTopology

    /// `agentExtras` go into agents' entries of the test topology (e.g. `replicas` and `backend`).
    init(agentExtras: [String: String] = [:]) throws {
        try self.init(topology: try TestTopology.make(agentExtras: agentExtras))
    }

    /// Another run folder for `other`'s topology, as a second host of it would have.
    init(sharing other: LaunchScript) throws {
        try self.init(topology: other.topology)
    }

    private init(topology: TestTopology) throws {
        folder = NSTemporaryDirectory() + "hedgebus-supervision-\(UUID().uuidString.prefix(8))"
        runDir = folder + "/run"
        try FileManager.default.createDirectory(atPath: runDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder)
        self.topology = topology
    }

    /// `launch.sh COMMAND` with this test's topology, run folder and build; its exit status and
    /// everything it printed. SIGKILLed (by its pid) if it takes longer than `timeout`.
    func run(_ command: String, _ options: [String] = [], timeout: Duration = .seconds(90)) async throws -> (status: Int32, output: String) {
        let outputPath = "\(folder)/launch-\(UUID().uuidString.prefix(8)).out"
        var environment = ProcessInfo.processInfo.environment
        environment["HEDGEBUS_EXIT_WITH_PARENT"] = nil
        environment["HEDGEBUS_RUN_DIR"] = nil
        // Should this test run be killed, the supervisor stops the topology it supervises.
        environment["HEDGEBUS_STOP_WITH_PID"] = "\(getpid())"
        environment["HEDGEBUS_STOP_TIMEOUT"] = "5"
        let (status, text) = try await ScriptRun.run(
            ["bash", Self.script, command, "--topology", topology.path, "--run-dir", runDir, "--bin-dir", ProcessGroup.binDirectory.path] + options,
            environment: environment, outputPath: outputPath, timeout: timeout, grace: .zero)
        return (status, "$ launch.sh \(([command] + options).joined(separator: " ")) (exit \(status))\n" + text)
    }

    /// The pid recorded in the run folder for `name` (a process, or `supervisor`).
    func pid(_ name: String) -> Int32? {
        guard let text = try? String(contentsOfFile: "\(runDir)/pids/\(name).pid", encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Every process's recorded pid; throws if one is missing.
    func recordedPids() throws -> [String: Int32] {
        var pids: [String: Int32] = [:]
        for name in processes {
            guard let pid = pid(name) else { throw TestFailure("no pid recorded for \(name) in \(runDir)/pids") }
            pids[name] = pid
        }
        return pids
    }

    /// A row of the supervision table `launch.sh status` prints.
    struct Row: Sendable, CustomStringConvertible {
        let alive: Bool
        let pid: Int32?
        let restarts: Int
        let reason: String
        let line: String
        var description: String { line }
    }

    /// `launch.sh status`: its exit status (0 when every process answers) and the supervision
    /// table by process name.
    func status() async throws -> (Int32, [String: Row]) {
        let (status, output) = try await run("status", timeout: .seconds(30))
        var rows: [String: Row] = [:]
        var inTable = false
        for line in output.split(separator: "\n").map(String.init) {
            if line.hasPrefix("SUPERVISED ") { inTable = true; continue }
            guard inTable else { continue }
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true).map(String.init)
            guard fields.count >= 4, processes.contains(fields[0]) else { continue }
            rows[fields[0]] = Row(alive: fields[1] == "yes", pid: Int32(fields[2]), restarts: Int(fields[3]) ?? -1,
                                  reason: fields.count > 5 ? fields[5] : "", line: line)
        }
        guard rows.count == processes.count else { throw TestFailure("no supervision table in launch.sh status:\n\(output)") }
        return (status, rows)
    }

    /// Whether `pid` is a running process (a zombie nobody reaped yet does not count).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    /// The supervisor's log and the end of `name`'s log, to show why a process was restarted.
    func logs(of name: String) -> String {
        let supervisor = (try? String(contentsOfFile: "\(runDir)/supervisor.log", encoding: .utf8)) ?? "(no supervisor.log)"
        let own = (try? String(contentsOfFile: "\(runDir)/logs/\(name).log", encoding: .utf8)) ?? "(no log)"
        return "supervisor.log:\n\(supervisor)\nthe end of logs/\(name).log:\n\(own.split(separator: "\n").suffix(30).joined(separator: "\n"))"
    }

    /// Runs `body` with this run folder, then `tearDown()`, whether `body` returned or threw.
    func run(thenTearDown body: (LaunchScript) async throws -> Void) async throws {
        do {
            try await body(self)
        } catch {
            await tearDown()
            throw error
        }
        await tearDown()
    }

    /// `launch.sh down`, then SIGKILL to any recorded pid still running (the supervisor first),
    /// then the temporary files go.
    func tearDown() async {
        _ = try? await run("down", timeout: .seconds(60))
        for name in ["supervisor"] + processes {
            if let pid = pid(name), Self.isRunning(pid) { kill(pid, SIGKILL) }
        }
        try? FileManager.default.removeItem(atPath: folder)
        try? FileManager.default.removeItem(atPath: topology.path)
    }
}
