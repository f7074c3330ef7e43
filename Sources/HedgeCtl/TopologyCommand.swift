import ArgumentParser
import Configuration
import Foundation

/// `hedgectl topology`: work with topology files without running them.
struct TopologyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology",
        abstract: "Check topology files.",
        subcommands: [TopologyCheckCommand.self])
}

/// `hedgectl topology check FILE…`: every problem of a topology file, each with its key path.
struct TopologyCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Report unknown keys, duplicate endpoints and endpoints nothing binds, with their key paths.",
        discussion: """
            Prints one line per finding, `<key path>: <kind>: <what>`, e.g.
              agents.risk-manager.endpoint: duplicate endpoint: tcp://127.0.0.1:7110 is also bound by agents.quant-analyst.endpoint (tcp://127.0.0.1:7110)
            and also reports what agents would refuse at start-up. Exits 1 when anything is found,
            0 when every file is clean. Topologies run one process per agent, so there are no
            replicas to check.
            """)

    @Argument(help: "Topology files to check.") var files: [String]

    func run() throws {
        var problems = 0
        for file in files {
            let findings = TopologyCheck.findings(path: file)
            problems += findings.count
            if findings.isEmpty {
                print("\(file): no problems found")
            } else {
                for finding in findings { print("\(file): \(finding)") }
            }
        }
        if problems > 0 {
            FileHandle.standardError.write(Data("\(problems) problem(s) found\n".utf8))
            throw ExitCode(1)
        }
    }
}
