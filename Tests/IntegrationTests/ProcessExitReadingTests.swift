import Foundation
import HedgeBusTesting
import Testing

/// `ProcessGroup.exitStatus` falls back on /proc for a process that has exited but whose exit
/// Foundation has not reported yet: the reading must give the code or the signal, and nothing
/// for a process still running.
@Suite(.timeLimit(.minutes(1)))
struct ProcessExitReadingTests {
    /// Spawns `/bin/sh -c script` without `Process`, so nothing reaps it until the test does.
    private func spawn(_ script: String) throws -> pid_t {
        var pid: pid_t = 0
        let arguments = ["/bin/sh", "-c", script]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let result = posix_spawn(&pid, "/bin/sh", nil, nil, &argv, environ)
        guard result == 0 else { throw TestFailure("posix_spawn /bin/sh failed: \(String(cString: strerror(result)))") }
        return pid
    }

    /// Waits until `pid` has exited, without reaping it.
    private func awaitExit(_ pid: pid_t) throws {
        var info = siginfo_t()
        // WNOWAIT leaves the zombie in place for the reading.
        guard waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == 0 else { throw TestFailure("waitid \(pid) failed: errno \(errno)") }
    }

    @Test func anExitCodeAndAKillingSignalAreReadAndARunningProcessGivesNothing() throws {
        let exited = try spawn("exit 3")
        try awaitExit(exited)
        #expect(ProcessGroup.unreapedExitStatus(exited) == 3)
        waitpid(exited, nil, 0)
        #expect(ProcessGroup.unreapedExitStatus(exited) == nil, "a reaped process has no /proc entry")

        let running = try spawn("exec sleep 30")
        defer { kill(running, SIGKILL); waitpid(running, nil, 0) }
        #expect(ProcessGroup.unreapedExitStatus(running) == nil)
        kill(running, SIGKILL)
        try awaitExit(running)
        #expect(ProcessGroup.unreapedExitStatus(running) == SIGKILL)
    }
}
