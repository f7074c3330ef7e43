import Configuration
import Foundation
import Testing

/// `replicas` and `backend` in agent entries: what loads, what is refused at which key path, and
/// what `hedgectl topology check` reports.
@Suite struct ReplicaSettingsTests {
    static let analyst = #""endpoint": "tcp://127.0.0.1:7110", "replicas": 3, "backend": "tcp://127.0.0.1:7120""#

    /// A loadable file with these agent entries (JSON members) replacing the defaults.
    static func file(_ agents: [String: String]) -> String {
        TopologyCheckTests.topology(agents: agents)
    }

    static func load(_ json: String) throws(TopologyError) -> Topology {
        let path = NSTemporaryDirectory() + "hedgebus-replicas-\(UUID().uuidString.prefix(8)).json"
        _ = FileManager.default.createFile(atPath: path, contents: Data(json.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try Topology.load(path: path)
    }

    @Test func statelessAgentsLoadWithReplicasAndOthersDefaultToOne() throws {
        let topology = try Self.load(Self.file(["quant-analyst": Self.analyst,
                                                "execution-agent": #""endpoint": "tcp://127.0.0.1:7112", "replicas": 2, "backend": "tcp://127.0.0.1:7122""#]))
        let analyst = try topology.endpoint(of: .quantAnalyst)
        #expect(analyst.replicaCount == 3 && analyst.isReplicated && analyst.backend == "tcp://127.0.0.1:7120")
        #expect(try topology.endpoint(of: .executionAgent).replicaCount == 2)
        #expect(try topology.endpoint(of: .riskManager).replicaCount == 1)
        #expect(try !topology.endpoint(of: .riskManager).isReplicated)
        #expect(Self.findings(Self.file(["quant-analyst": Self.analyst])) == [])
    }

    @Test func replicasRunOnACurveTopology() throws {
        let json = TopologyCheckTests.topology(agents: ["quant-analyst": Self.analyst], extra: #""security": { "curve": true }"#)
        let topology = try Self.load(json)
        #expect(topology.security.curve && topology.replicaProblems.isEmpty, "\(topology.replicaProblems)")
        // Only the keys are missing here (no keys folder); nothing is said against the replicas.
        let found = Self.findings(json)
        #expect(!found.isEmpty && found.allSatisfy { $0.kind == .missingKey }, "\(found)")
    }

    @Test func replicasOfAStatefulAgentAreRefusedAtTheirKeyPath() {
        let json = Self.file(["risk-manager": #""endpoint": "tcp://127.0.0.1:7111", "replicas": 2, "backend": "tcp://127.0.0.1:7121""#])
        #expect(throws: TopologyError.self) { try Self.load(json) }
        do { _ = try Self.load(json) } catch {
            #expect(error.description.contains("agents.risk-manager.replicas") && error.description.contains("keeps state"), "\(error)")
        }
        let found = Self.findings(json)
        #expect(found.map(\.kind) == [.statefulReplicas], "\(found)")
        #expect(found.first?.path == "agents.risk-manager.replicas")
    }

    @Test func aReplicatedEntryNeedsABackendAndAValidCount() {
        for (entry, path) in [
            (#""endpoint": "tcp://127.0.0.1:7110", "replicas": 2"#, "agents.quant-analyst.backend"),
            (#""endpoint": "tcp://127.0.0.1:7110", "replicas": 0, "backend": "tcp://127.0.0.1:7120""#, "agents.quant-analyst.replicas"),
            (#""endpoint": "tcp://127.0.0.1:7110", "backend": "tcp://127.0.0.1:7120""#, "agents.quant-analyst.backend"),
            (#""endpoint": "tcp://127.0.0.1:7110", "replicas": 2, "backend": "7120""#, "agents.quant-analyst.backend"),
            (#""endpoint": "tcp://127.0.0.1:7110", "replicas": 2, "backend": "tcp://127.0.0.1:7120", "command": ["python3", "a.py"]"#, "agents.quant-analyst.command"),
        ] {
            do {
                _ = try Self.load(Self.file(["quant-analyst": entry]))
                Issue.record("loaded: \(entry)")
            } catch {
                #expect(error.description.contains(path), "\(entry): \(error)")
            }
        }
    }

    @Test func theBackendCountsAsABindForDuplicateEndpoints() {
        let found = Self.findings(Self.file(["quant-analyst": #""endpoint": "tcp://127.0.0.1:7110", "replicas": 2, "backend": "tcp://127.0.0.1:7111""#]))
        #expect(found.contains { $0.kind == .duplicateEndpoint && ($0.path == "agents.quant-analyst.backend" || $0.path == "agents.risk-manager.endpoint") }, "\(found)")
    }

    static func findings(_ json: String) -> [TopologyFinding] {
        let path = NSTemporaryDirectory() + "hedgebus-replicas-\(UUID().uuidString.prefix(8)).json"
        _ = FileManager.default.createFile(atPath: path, contents: Data(json.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return TopologyCheck.findings(path: path)
    }
}
