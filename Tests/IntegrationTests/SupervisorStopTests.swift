import Foundation
import Glibc
import HedgeBusTesting
import Testing

/// `scripts/supervise` told to stop (`launch.sh down` sends it SIGTERM) while it checks on a
/// running process: the signal cuts its reads and its `wait` short, which must not be taken for
/// that process's exit. Taken for one, the process's pid file went, and `down`, which stops what
/// the pid files name, left the process running.
@Suite("The supervisor's stop", .timeLimit(.minutes(1)))
struct SupervisorStopTests {
    @Test func aStopWhileTheSupervisorChecksOnARunningProcessKeepsItsPidFile() async throws {
        let folder = NSTemporaryDirectory() + "hedgebus-supervise-\(UUID().uuidString.prefix(8))"
        let run = folder + "/run"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A `bus` that becomes `sleep`: its name no longer the bus's, the supervisor judges it
        // gone and waits for it, and that wait lasts as long as the process runs (300 s: on a
        // host busy with the rest of the suite the test has taken 90 s, and a 30 s stub was gone
        // by its last check; it is killed when the test ends). Committed, not
        // written here: a file written by the test runner can fail to execute ("text file busy")
        // while a process another test forks still holds it open.
        let bin = LaunchScript.root.appendingPathComponent("Tests/IntegrationTests/Fixtures/supervise").path
        let processes = ProcessGroup()
        let supervise = LaunchScript.root.appendingPathComponent("scripts/supervise").path
        // Started with no signal blocked, as from a shell: a child of the test runner inherits its
        // blocked signals, and bash cannot take a blocked SIGTERM.
        let unblocked = "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])"
        let supervisor = try processes.start(path: "/usr/bin/env", ["python3", "-c", unblocked, supervise, run, bin, folder + "/topology.json", "bus"])
        var stubPid: Int32?
        defer { if let stubPid { kill(stubPid, SIGKILL) } }
        do {
            let log = run + "/supervisor.log"
            // A bound, not a measure: on a host busy with the rest of the suite, starting python3,
            // the supervisor and the stub once took longer than 10 s.
            stubPid = try await eventually("the supervisor starts the bus", timeout: .seconds(30)) { () -> Int32? in
                let text = try String(contentsOfFile: log, encoding: .utf8)
                guard let range = text.range(of: "started bus as pid ") else { return nil }
                return Int32(text[range.upperBound...].prefix { $0.isNumber })
            }
            let pid = try #require(stubPid)
            // The handshake: the stub runs as `sleep`, the supervisor's only child (no command of
            // its own under way). A supervisor that goes by the name takes it for gone and waits
            // for it, which the stop then cuts short.
            _ = try await eventually("the bus runs as sleep under the supervisor", timeout: .seconds(10)) { () -> Bool? in
                let comm = try String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)
                let children = try String(contentsOfFile: "/proc/\(supervisor.pid)/task/\(supervisor.pid)/children", encoding: .utf8)
                return comm == "sleep\n" && children.split(separator: " ").map(String.init) == ["\(pid)"] ? true : nil
            }
            kill(supervisor.pid, SIGTERM)
            #expect(await processes.exitStatus(supervisor, within: .seconds(10)) == 0)
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            #expect(!text.contains("bus (pid \(pid))"), "the stop was taken for the bus's exit:\n\(text)")
            #expect(text.contains("supervisor stopped"), "\(text)")
            let recorded = try? String(contentsOfFile: run + "/pids/bus.pid", encoding: .utf8)
            #expect(recorded?.trimmingCharacters(in: .whitespacesAndNewlines) == "\(pid)", "pid file: \(recorded ?? "gone")")
            #expect(kill(pid, 0) == 0, "the bus should still be running")
        } catch {
            await processes.stop()
            throw error
        }
        await processes.stop()
    }
}
