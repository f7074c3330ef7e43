import Foundation

/// Runs a script to its end with a time limit: its exit status and everything it printed.
///
/// The output goes to `outputPath`. At `timeout` the script gets SIGTERM (so it can stop what it
/// started), and SIGKILL `grace` later if it is still running; either way the wait ends.
public enum ScriptRun {
    public static func run(_ arguments: [String], environment: [String: String], outputPath: String,
                           timeout: Duration, grace: Duration = .seconds(30)) async throws -> (status: Int32, output: String) {
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = output
        process.standardError = output
        let (ended, finish) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { finish.yield($0.terminationStatus); finish.finish() }
        try process.run()
        let pid = process.processIdentifier
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            kill(pid, SIGTERM)
            try await Task.sleep(for: grace)
            kill(pid, SIGKILL)
            // Should its end still go unnoticed, stop waiting for it.
            try await Task.sleep(for: .seconds(2))
            finish.finish()
        }
        var status: Int32 = -1
        for await code in ended { status = code }
        watchdog.cancel()
        return (status, (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
    }

    /// Runs the Python script at `script` with `arguments` and `--json FILE` in a temporary folder
    /// of its own (removed afterwards): its exit status, what it printed, and the report it wrote
    /// to FILE, if any. The script starts processes of its own and stops them itself (on SIGTERM at
    /// `timeout` too), so they do not get the test processes' exit-with-parent setting.
    public static func pythonReport(_ script: String, _ arguments: [String], name: String,
                                    timeout: Duration) async throws -> (status: Int32, output: String, report: Data?) {
        let folder = NSTemporaryDirectory() + "hedgebus-\(name)-test-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let reportPath = folder + "/report.json"
        var environment = ProcessInfo.processInfo.environment
        environment["HEDGEBUS_EXIT_WITH_PARENT"] = nil
        let (status, output) = try await run(["python3", script] + arguments + ["--json", reportPath], environment: environment,
                                             outputPath: folder + "/\(name).out", timeout: timeout)
        return (status, output, FileManager.default.contents(atPath: reportPath))
    }
}
