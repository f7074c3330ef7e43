import Foundation
import Synchronization

/// Processes a test started: each stopped by its own pid (SIGTERM, then SIGKILL after a grace
/// period), never by name. `RunningTopology.run` stops its group whether the test passes or throws;
/// a group dropped without `stop()` SIGKILLs what is left.
public final class ProcessGroup: Sendable {
    /// A started process.
    public struct Handle: Sendable, Hashable {
        public let name: String
        public let pid: Int32
        public let logPath: String
    }

    private let running = Mutex<[Int32: Process]>([:])
    private let exits = Mutex<(statuses: [Int32: Int32], waiters: [Int32: [CheckedContinuation<Int32, Never>]])>(([:], [:]))
    /// Folder for the processes' logs.
    public let logDirectory: String

    /// Creates a group logging to a fresh temporary folder.
    public init() {
        logDirectory = NSTemporaryDirectory() + "hedgebus-test-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
    }

    /// The folder holding the built executables (next to the test bundle).
    public static var binDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// Starts `.build/<config>/<executable> arguments…` with output to a log file.
    @discardableResult
    public func start(_ executable: String, _ arguments: [String]) throws -> Handle {
        let url = Self.binDirectory.appendingPathComponent(executable)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw TestFailure("\(url.path) is not built; run `swift build` before `swift test` (./scripts/test does)")
        }
        return try start(path: url.path, arguments)
    }

    /// Starts the program at `path` with output to a log file.
    @discardableResult
    public func start(path: String, _ arguments: [String]) throws -> Handle {
        let url = URL(fileURLWithPath: path)
        let executable = url.lastPathComponent
        let logPath = "\(logDirectory)/\(executable)-\(running.withLock { $0.count }).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        // Should this test run itself be killed, its agents exit on their own (AgentOptions).
        process.environment = ProcessInfo.processInfo.environment.merging(["HEDGEBUS_EXIT_WITH_PARENT": "1"]) { $1 }
        process.standardOutput = log
        process.standardError = log
        process.terminationHandler = { [weak self] finished in
            let pid = finished.processIdentifier, status = finished.terminationStatus
            let waiters: [CheckedContinuation<Int32, Never>] = self?.exits.withLock { exits in
                exits.statuses[pid] = status
                return exits.waiters.removeValue(forKey: pid) ?? []
            } ?? []
            for waiter in waiters { waiter.resume(returning: status) }
        }
        try process.run()
        running.withLock { $0[process.processIdentifier] = process }
        return Handle(name: executable, pid: process.processIdentifier, logPath: logPath)
    }

    /// The exit status of `handle`, waiting up to `timeout`; nil if it is still running then.
    public func exitStatus(_ handle: Handle, within timeout: Duration) async -> Int32? {
        await withTaskGroup(of: Int32?.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let known: Int32? = self.exits.withLock { exits in
                        if let status = exits.statuses[handle.pid] { return status }
                        exits.waiters[handle.pid, default: []].append(continuation)
                        return nil
                    }
                    if let known { continuation.resume(returning: known) }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            if first == nil {
                // Release the exit waiter so the group can finish.
                let waiters = exits.withLock { $0.waiters.removeValue(forKey: handle.pid) ?? [] }
                for waiter in waiters { waiter.resume(returning: -1) }
            }
            group.cancelAll()
            if let first { return first }
            // Foundation reports an exit from a dispatch queue, which a loaded test run can leave
            // waiting for seconds: a process that has exited but not been reaped yet is read
            // from /proc instead of being taken for one still running.
            return exits.withLock { $0.statuses[handle.pid] } ?? Self.unreapedExitStatus(handle.pid)
        }
    }

    /// The status of `pid` when it has exited and not yet been reaped (a zombie), as `Process`
    /// reports one: the exit code, or the signal that ended it; nil while it runs or once gone.
    /// Read from /proc/PID/stat: its state (field 3) and `exit_code` (field 52).
    public static func unreapedExitStatus(_ pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let nameEnd = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
        guard fields.count > 49, fields[0] == "Z", let raw = Int32(fields[49].trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        return raw & 0x7f == 0 ? (raw >> 8) & 0xff : raw & 0x7f
    }

    /// Sends `signal` to the process (by its pid).
    public func send(_ signal: Int32, to handle: Handle) {
        if isRunning(handle) { kill(handle.pid, signal) }
    }

    /// Whether the process is still running.
    public func isRunning(_ handle: Handle) -> Bool {
        running.withLock { $0[handle.pid]?.isRunning ?? false }
    }

    /// What the process has logged so far.
    public func log(_ handle: Handle) -> String {
        (try? String(contentsOfFile: handle.logPath, encoding: .utf8)) ?? ""
    }

    /// SIGTERM to every process still running, then waits for each to exit (the termination
    /// handshake, no polling), SIGKILL to those alive after `grace`. Never blocks a thread of
    /// Swift's cooperative pool, so other tests keep running meanwhile.
    public func stop(grace: Duration = .seconds(5)) async {
        let processes = running.withLock { Array($0.values) }
        for process in processes where process.isRunning { kill(process.processIdentifier, SIGTERM) }
        for process in processes {
            let handle = Handle(name: "", pid: process.processIdentifier, logPath: "")
            if await exitStatus(handle, within: grace) == nil {
                kill(process.processIdentifier, SIGKILL)
                _ = await exitStatus(handle, within: grace)
            }
        }
        running.withLock { $0.removeAll() }
    }

    /// A group dropped without `stop()` (a test that threw past it) still ends its processes.
    deinit {
        for process in running.withLock({ Array($0.values) }) where process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// A test precondition that failed, with what to do about it.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
