import Foundation
import Glibc
import HedgeBusTesting
import Testing

/// `launch.sh up --only`: one topology run from two run folders, as two hosts would run it —
/// the bus and the MarketMaker from one, the other agents from the other. Each folder starts,
/// shows and stops its own processes only, and remembers its `--only` list.
@Suite("launch.sh --only", .serialized, .timeLimit(.minutes(3)))
struct LaunchOnlyTests {
    static let agents = ["quant-analyst", "risk-manager", "execution-agent", "trading-director"]

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

        let up = try await first.run("up", ["--only", "bus,market-maker"])
        try #require(up.status == 0, "launch.sh up --only bus,market-maker failed:\n\(up.output)")
        #expect(recorded(first) == ["bus", "market-maker"])
        let rest = try await second.run("up", ["--only", Self.agents.joined(separator: ",")])
        try #require(rest.status == 0, "launch.sh up --only for the agents failed:\n\(rest.output)")
        #expect(recorded(second) == Set(Self.agents))

        // Without --only, status keeps to the list the folder was started with.
        let shown = try await second.run("status")
        #expect(shown.status == 0, "\(shown.output)")
        let supervised = shown.output.split(separator: "\n").drop { !$0.hasPrefix("SUPERVISED ") }.dropFirst()
            .compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(Set(supervised) == Set(Self.agents), "\(shown.output)")
        #expect(!shown.output.contains("\nbus ") && !shown.output.contains("\nmarket-maker "), "\(shown.output)")

        // Stopping one folder's part leaves the other's running.
        let agentPids = Self.agents.compactMap(second.pid)
        let venuePids = ["bus", "market-maker"].compactMap(first.pid)
        try #require(agentPids.count == 4 && venuePids.count == 2)
        let down = try await first.run("down")
        #expect(down.status == 0 && down.output.contains("stopped bus market-maker"), "\(down.output)")
        #expect(venuePids.allSatisfy { !LaunchScript.isRunning($0) })
        #expect(agentPids.allSatisfy(LaunchScript.isRunning), "down in one folder stopped another's processes")
        let stopped = try await second.run("down")
        #expect(stopped.status == 0, "\(stopped.output)")
        #expect(agentPids.allSatisfy { !LaunchScript.isRunning($0) })
    }
}
