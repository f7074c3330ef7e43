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
        abstract: "Report unknown keys, duplicate endpoints, endpoints nothing binds or other hosts cannot reach, replicas of a stateful agent and missing CURVE keys, with their key paths.",
        discussion: """
            Prints one line per finding, `<key path>: <kind>: <what>`, e.g.
              agents.risk-manager.endpoint: duplicate endpoint: tcp://127.0.0.1:7110 is also bound by agents.quant-analyst.endpoint (tcp://127.0.0.1:7110)
            and also reports what agents would refuse at start-up. On several hosts, an address
            clients connect to must name a host (not a wildcard) and, once any endpoint is on the
            network, not be loopback; each is served by its bind key's address (bus.publish_bind,
            agents.NAME.bind, agents.NAME.backend_bind, …) when set. Exits 1 when anything is
            found, 0 when every file is clean.
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
            StandardStreams.error("\(problems) problem(s) found\n")
            throw ExitCode(1)
        }
    }
}
