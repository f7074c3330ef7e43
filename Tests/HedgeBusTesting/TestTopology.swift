import AgentRuntime
import Configuration
import Foundation
import Messaging

/// A topology on free loopback ports, written to a temporary file for the executables to read.
public struct TestTopology: Sendable {
    /// The parsed topology.
    public let topology: Topology
    /// Where it was written.
    public let path: String

    /// Builds a topology with every endpoint on a fresh free port. `extra` is spliced into the
    /// JSON object (e.g. `"market": {...}`) to override sections; `agentExtras` into an agent's
    /// entry (e.g. `"metrics": "tcp://…"`). With `secure`, CURVE is on with the default access
    /// lists, and a fresh keys folder holds a keypair for every identity the topology names plus
    /// `intruder`, whom it does not.
    public static func make(extra: String = "", agentExtras: [String: String] = [:], secure: Bool = false) throws -> TestTopology {
        func more(_ agent: String) -> String { agentExtras[agent].map { ", \($0)" } ?? "" }
        let ports = FreePort.distinct(7)
        var extra = extra
        if secure {
            let keys = NSTemporaryDirectory() + "hedgebus-keys-\(UUID().uuidString.prefix(8))"
            extra += (extra.isEmpty ? "" : ",\n") + "\"security\": { \"curve\": true, \"keys_dir\": \"\(keys)\" }"
        }
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
        let topology = try Topology.load(path: path)
        if secure {
            let store = CurveKeyStore(folder: topology.security.keysDir)
            for name in topology.security.identities(agents: AgentName.allCases.map(\.rawValue)) + [intruder] { try store.create(name) }
        }
        return TestTopology(topology: topology, path: path)
    }

    /// A key a secure test topology has made but lists nowhere.
    public static let intruder = "intruder"
}
