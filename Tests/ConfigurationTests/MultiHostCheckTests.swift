import Configuration
import Foundation
import Testing

/// Bind and connect addresses on several hosts: the bus's and a broker's own bind addresses, and
/// `TopologyCheck` reporting addresses that cannot work across hosts, each at its key path.
@Suite struct MultiHostCheckTests {
    /// Every process on a host of its own: the bus on 10.0.0.1, agent i on 10.0.0.(i + 2).
    /// `bus` and `agents` replace members of the bus section and of agent entries.
    static func hosts(bus: String = "", agents: [String: String] = [:]) -> String {
        let names = ["market-maker", "quant-analyst", "risk-manager", "execution-agent", "trading-director"]
        let entries = names.enumerated().map { index, name in
            let entry = agents[name] ?? #""endpoint": "tcp://10.0.0.\#(index + 2):\#(7110 + index)", "bind": "tcp://0.0.0.0:\#(7110 + index)""#
            return "\"\(name)\": { \(entry) }"
        }.joined(separator: ", ")
        let busSection = bus.isEmpty
            ? #""publish": "tcp://10.0.0.1:7100", "subscribe": "tcp://10.0.0.1:7101", "publish_bind": "tcp://*:7100", "subscribe_bind": "tcp://0.0.0.0:7101""#
            : bus
        return #"{ "bus": { "# + busSection + #" }, "agents": { "# + entries + " } }"
    }

    static func findings(_ json: String) -> [TopologyFinding] { TopologyCheck.findings(data: Data(json.utf8)) }

    @Test func busAndBrokerBindAddressesDefaultToWhereClientsConnect() throws {
        let spread = try JSONDecoder().decode(Topology.self, from: Data(Self.hosts(agents: [
            "quant-analyst": #""endpoint": "tcp://10.0.0.3:7111", "replicas": 2, "backend": "tcp://10.0.0.3:7120", "backend_bind": "tcp://*:7120""#,
        ]).utf8))
        #expect(spread.bus.publishBindAddress == "tcp://*:7100" && spread.bus.publish == "tcp://10.0.0.1:7100")
        #expect(spread.bus.subscribeBindAddress == "tcp://0.0.0.0:7101")
        #expect(spread.bus.captureBindAddress == nil)
        let analyst = try #require(spread.agents["quant-analyst"])
        #expect(analyst.backendBindAddress == "tcp://*:7120" && analyst.backend == "tcp://10.0.0.3:7120")
        let local = Topology.Bus(publish: "tcp://127.0.0.1:7100", subscribe: "tcp://127.0.0.1:7101", capture: "tcp://127.0.0.1:7102")
        #expect(local.publishBindAddress == local.publish && local.subscribeBindAddress == local.subscribe)
        #expect(local.captureBindAddress == local.capture)
    }

    @Test func aTopologySpreadOverHostsIsClean() {
        #expect(Self.findings(Self.hosts()) == [])
    }

    @Test func aBindThatDoesNotServeItsClientsIsReported() {
        // The bus binds another interface than the one publishers connect to.
        let bus = Self.findings(Self.hosts(bus: #""publish": "tcp://10.0.0.1:7100", "subscribe": "tcp://10.0.0.1:7101", "publish_bind": "tcp://10.0.0.9:7100""#))
        #expect(bus.map(\.kind) == [.unboundEndpoint] && bus.first?.path == "bus.publish", "\(bus)")
        #expect(bus.first?.message.contains("tcp://10.0.0.9:7100") == true)
        // A broker's backend bound on another port than its replicas connect to.
        let backend = Self.findings(Self.hosts(agents: [
            "quant-analyst": #""endpoint": "tcp://10.0.0.3:7111", "bind": "tcp://*:7111", "replicas": 2, "backend": "tcp://10.0.0.3:7120", "backend_bind": "tcp://*:7121""#,
        ]))
        #expect(backend.map(\.path) == ["agents.quant-analyst.backend"] && backend.first?.kind == .unboundEndpoint, "\(backend)")
        // An agent bound on loopback while clients on other hosts connect to its address.
        let loopback = Self.findings(Self.hosts(agents: ["market-maker": #""endpoint": "tcp://10.0.0.2:7110", "bind": "tcp://127.0.0.1:7110""#]))
        #expect(loopback.map(\.path) == ["agents.market-maker.endpoint"] && loopback.first?.kind == .unboundEndpoint, "\(loopback)")
    }

    @Test func aWildcardWhereClientsConnectIsReported() {
        let found = Self.findings(Self.hosts(bus: #""publish": "tcp://0.0.0.0:7100", "subscribe": "tcp://10.0.0.1:7101""#,
                                             agents: ["risk-manager": #""endpoint": "tcp://*:7112""#]))
        #expect(found.map(\.kind) == [.wildcardEndpoint, .wildcardEndpoint], "\(found)")
        #expect(found.map(\.path) == ["bus.publish", "agents.risk-manager.endpoint"])
        #expect(found[0].message.contains("bus.publish_bind") && found[1].message.contains("agents.risk-manager.bind"), "\(found)")
    }

    @Test func aLoopbackEndpointAmongNetworkedOnesIsReported() {
        let found = Self.findings(Self.hosts(agents: ["execution-agent": #""endpoint": "tcp://127.0.0.1:7113""#]))
        #expect(found.map(\.kind) == [.hostLocalEndpoint], "\(found)")
        #expect(found.first?.path == "agents.execution-agent.endpoint")
        // The bus on loopback while every agent is on the network: both of its sides.
        let bus = Self.findings(Self.hosts(bus: #""publish": "tcp://localhost:7100", "subscribe": "tcp://127.0.0.1:7101""#))
        #expect(bus.map(\.path) == ["bus.publish", "bus.subscribe"] && bus.allSatisfy { $0.kind == .hostLocalEndpoint }, "\(bus)")
        // On one host, loopback everywhere is what it should be.
        #expect(Self.findings(TopologyCheckTests.topology()) == [])
    }

    @Test func aBusBindClashingWithAnAgentIsADuplicate() {
        let found = Self.findings(Self.hosts(bus: #""publish": "tcp://10.0.0.1:7100", "subscribe": "tcp://10.0.0.1:7101", "subscribe_bind": "tcp://*:7110""#))
        // The agents bind tcp://0.0.0.0:7110 too; a single host could not hold both.
        #expect(found.contains { $0.kind == .duplicateEndpoint && $0.path == "agents.market-maker.bind" && $0.message.contains("bus.subscribe_bind") }, "\(found)")
    }

    @Test func aBackendBindNeedsABackend() throws {
        let found = Self.findings(Self.hosts(agents: ["quant-analyst": #""endpoint": "tcp://10.0.0.3:7111", "bind": "tcp://*:7111", "backend_bind": "tcp://*:7120""#]))
        #expect(!found.contains { $0.kind == .unknownKey }, "\(found)")
        let folder = NSTemporaryDirectory() + "hedgebus-multihost-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/topology.json"
        try Data(Self.hosts(agents: ["quant-analyst": #""endpoint": "tcp://10.0.0.3:7111", "bind": "tcp://*:7111", "backend_bind": "tcp://*:7120""#]).utf8)
            .write(to: URL(fileURLWithPath: path))
        #expect(throws: TopologyError.self) { try Topology.load(path: path) }
        let invalid = TopologyCheck.findings(path: path)
        #expect(invalid.map(\.kind) == [.invalid] && invalid.first?.message.contains("backend_bind") == true, "\(invalid)")
    }
}
