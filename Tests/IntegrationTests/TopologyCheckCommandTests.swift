import Foundation
import HedgeBusTesting
import Testing

/// `hedgectl topology check` as a user runs it: findings on stdout with their key paths, and
/// the exit status.
@Suite("hedgectl topology check", .serialized, .timeLimit(.minutes(3)))
struct TopologyCheckCommandTests {
    private static let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("topology/default.json").path

    @Test func aCleanFileExitsZeroAndAFileWithProblemsExitsOneNamingEachKey() async throws {
        let processes = ProcessGroup()
        do {
            let clean = try processes.start("hedgectl", ["topology", "check", Self.shipped])
            #expect(await processes.exitStatus(clean, within: .seconds(60)) == 0)
            #expect(processes.log(clean).contains("no problems found"))

            let text = try String(contentsOfFile: Self.shipped, encoding: .utf8)
                .replacingOccurrences(of: #""endpoint": "tcp://127.0.0.1:7111""#, with: #""endpoint": "tcp://127.0.0.1:7110", "bnd": 1"#)
                .replacingOccurrences(of: #""seed": 42"#, with: #""seed": 42, "tick": 5"#)
            let broken = try SchemaValidation.write([Data(text.utf8)], named: "broken.json", in: processes.logDirectory)
            let check = try processes.start("hedgectl", ["topology", "check", broken])
            #expect(await processes.exitStatus(check, within: .seconds(60)) == 1)
            let lines = processes.log(check).split(separator: "\n").map(String.init)
            for expected in ["agents.risk-manager.bnd: unknown key", "market.tick: unknown key",
                             "agents.risk-manager.endpoint: duplicate endpoint: tcp://127.0.0.1:7110 is also bound by agents.quant-analyst.endpoint"] {
                #expect(lines.contains { $0.hasPrefix("\(broken): \(expected)") }, "no line '\(expected)' in:\n\(lines.joined(separator: "\n"))")
            }
            await processes.stop()
        } catch {
            await processes.stop()
            throw error
        }
    }
}
