import AgentRuntime
import ArgumentParser
import Configuration
import Foundation
import Messaging

/// Options shared by every `hedgectl` command.
struct CtlOptions: ParsableArguments {
    @Option(name: .long, help: "Topology file naming the bus and agent endpoints.")
    var topology: String = "topology/default.json"

    @Option(name: .long, help: "Seconds to wait for the bus or an agent before giving up with a non-zero exit.")
    var timeout: Double = 5

    func loadTopology() throws -> Topology {
        do { return try Topology.load(path: topology) } catch { throw ValidationError(error.description) }
    }

    @Option(name: .long, help: "On a topology with security.curve on: the identity to authenticate as, a key name in the topology's keys folder (made by `hedgectl keys`).")
    var identity: String = SecuritySection.operatorIdentity

    var timeoutDuration: Duration { .milliseconds(Int(timeout * 1_000)) }

    /// The CURVE client role for connecting to `server` (`bus` or an agent) as `--identity`;
    /// nil when the topology does not use CURVE.
    func curve(to server: String, on topology: Topology) throws -> CurveRole? {
        do {
            return try TopologyCredentials.load(topology: topology, identity: identity)?.client(of: server)
        } catch {
            throw CtlFailure("cannot authenticate as '\(identity)': \(error.description)")
        }
    }

    func validate() throws {
        guard timeout.isFinite, timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds") }
    }
}

/// Runs `body` with a message loop that is shut down afterwards, whatever happens.
func withMessageLoop<T: Sendable>(_ body: (MessageLoop) async throws -> T) async throws -> T {
    let loop = try MessageLoop(name: "hedgectl")
    do {
        let result = try await body(loop)
        await loop.shutdown()
        return result
    } catch {
        await loop.shutdown()
        throw error
    }
}

/// Prints a failure in the tool's voice and exits with `code`.
struct CtlFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Prints rows as left-aligned columns under a header.
func printTable(_ header: [String], _ rows: [[String]]) {
    let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
    for row in [header] + rows {
        print(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
    }
}
