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
}
