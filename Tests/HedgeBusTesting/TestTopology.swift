import AgentRuntime
import Configuration
import Foundation

/// A topology on free loopback ports, written to a temporary file for the executables to read.
public struct TestTopology: Sendable {
    /// The parsed topology.
    public let topology: Topology
    /// Where it was written.
    public let path: String

    /// Builds a topology with every endpoint on a fresh free port. `extra` is spliced into the
    /// JSON object (e.g. `"market": {...}`) to override sections; `agentExtras` into an agent's
    /// entry (e.g. `"metrics": "tcp://…"`).
    public static func make(extra: String = "", agentExtras: [String: String] = [:]) throws -> TestTopology {
        func more(_ agent: String) -> String { agentExtras[agent].map { ", \($0)" } ?? "" }
        let ports = FreePort.distinct(7)
        let comma = extra.isEmpty ? "" : ",\n"
        let json = """
            {
              "bus": { "publish": "tcp://127.0.0.1:\(ports[0])", "subscribe": "tcp://127.0.0.1:\(ports[1])" },
              "agents": {
                "quant-analyst": { "endpoint": "tcp://127.0.0.1:\(ports[2])"\(more("quant-analyst")) },
                "risk-manager": { "endpoint": "tcp://127.0.0.1:\(ports[3])"\(more("risk-manager")) },
                "execution-agent": { "endpoint": "tcp://127.0.0.1:\(ports[4])"\(more("execution-agent")) },
                "market-maker": { "endpoint": "tcp://127.0.0.1:\(ports[5])"\(more("market-maker")) },
                "trading-director": { "endpoint": "tcp://127.0.0.1:\(ports[6])"\(more("trading-director")) }
              },
              "heartbeat_ms": 200,
              "request_timeout_ms": 2000,
              "log_level": "debug"\(comma)\(extra)
            }
            """
        let path = NSTemporaryDirectory() + "hedgebus-topology-\(UUID().uuidString.prefix(8)).json"
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return TestTopology(topology: try Topology.load(path: path), path: path)
    }
}
