import Foundation
import Glibc
import HedgeBusTesting
import Testing

/// `launch.sh up --only`: one topology run from two run folders, as two hosts would run it —
/// the bus from one, the MarketMaker from the other. Each folder starts, shows and stops its
/// own processes only, and remembers its `--only` list. (Two processes keep the test light;
/// `MultiHostTests` runs every agent.)
@Suite("launch.sh --only", .serialized, .timeLimit(.minutes(3)))
struct LaunchOnlyTests {
    @Test func twoRunFoldersEachRunTheirPartOfOneTopology() async throws {
        if let missing = LaunchScript.missing { try Test.cancel("launch.sh --only not tested: \(missing)") }
        let first = try LaunchScript()
        let second = try LaunchScript(sharing: first)
        do {
            try await exercise(first, second)
        } catch {
            await second.tearDown()
            await first.tearDown()
            throw error
        }
        await second.tearDown()
        await first.tearDown()
    }

    private func recorded(_ launch: LaunchScript) -> Set<String> {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: "\(launch.runDir)/pids")) ?? []
        return Set(files.filter { $0.hasSuffix(".pid") && $0 != "supervisor.pid" }.map { String($0.dropLast(4)) })
    }

    private func exercise(_ first: LaunchScript, _ second: LaunchScript) async throws {
        let unknown = try await first.run("up", ["--only", "bus,risk-manger"])
        #expect(unknown.status != 0 && unknown.output.contains("'risk-manger' is neither the bus nor an agent"), "\(unknown.output)")

        let up = try await first.run("up", ["--only", "bus"])
        try #require(up.status == 0, "launch.sh up --only bus failed:\n\(up.output)")
        #expect(recorded(first) == ["bus"])
        let rest = try await second.run("up", ["--only", "market-maker"])
        try #require(rest.status == 0, "launch.sh up --only market-maker failed:\n\(rest.output)")
        #expect(recorded(second) == ["market-maker"])

        // Without --only, status keeps to the list the folder was started with.
        let shown = try await second.run("status")
        #expect(shown.status == 0, "\(shown.output)")
        let supervised = shown.output.split(separator: "\n").drop { !$0.hasPrefix("SUPERVISED ") }.dropFirst()
            .compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(supervised == ["market-maker"], "\(shown.output)")
        #expect(!shown.output.contains("\nbus ") && !shown.output.contains("\nquant-analyst "), "\(shown.output)")

        // Stopping one folder's part leaves the other's running.
        let bus = try #require(first.pid("bus")), venue = try #require(second.pid("market-maker"))
        let down = try await first.run("down")
        #expect(down.status == 0 && down.output.contains("stopped bus and their supervisor"), "\(down.output)")
        #expect(!LaunchScript.isRunning(bus))
        #expect(LaunchScript.isRunning(venue), "down in one folder stopped another's process")
        let stopped = try await second.run("down")
        #expect(stopped.status == 0 && stopped.output.contains("stopped market-maker"), "\(stopped.output)")
        #expect(!LaunchScript.isRunning(venue))
    }
}
