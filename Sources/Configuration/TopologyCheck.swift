import Foundation

/// One problem `TopologyCheck` found in a topology file, at a key path such as
/// `agents.risk-manager.endpoint` or `market.symbols[0].quoting`.
public struct TopologyFinding: Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem.
    public enum Kind: String, Sendable, Hashable {
        /// A key the topology format does not have (a typo, or a setting of another version).
        case unknownKey = "unknown key"
        /// Two sockets bind the same address, or two agents share one endpoint.
        case duplicateEndpoint = "duplicate endpoint"
        /// Clients connect to an endpoint that nothing in the topology binds.
        case unboundEndpoint = "nobody binds"
        /// An agent of HedgeBus has no entry.
        case missingAgent = "missing agent"
        /// The file cannot be read or decoded, or fails the checks agents make at start-up.
        case invalid
        /// CURVE is on and an identity the topology names has no public key in the keys folder
        /// (`launch.sh up` makes the missing ones on this host; `hedgectl keys` makes any).
        case missingKey = "missing CURVE key"
        /// An agent that keeps state has `replicas` above 1.
        case statefulReplicas = "replicas of a stateful agent"
        /// Clients are to connect to a wildcard host (`*`, `0.0.0.0`), which names no machine.
        case wildcardEndpoint = "wildcard endpoint"
        /// Clients are to connect to a loopback address while other endpoints are on the network:
        /// processes on other hosts cannot reach it.
        case hostLocalEndpoint = "loopback endpoint on a multi-host topology"
    }

    public var kind: Kind
    /// Where in the file, dot-separated (`""` for the file as a whole).
    public var path: String
    public var message: String

    /// Creates a finding.
    public init(_ kind: Kind, _ path: String, _ message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    public var description: String { "\(path.isEmpty ? "(file)" : path): \(kind.rawValue): \(message)" }
}

/// Static checks of a topology file beyond what the agents need to start: unknown keys at any
/// depth, duplicate endpoints, endpoints clients connect to that nothing binds, endpoints other
/// hosts cannot connect to, replicas of an agent that keeps state, and (with CURVE on) identities
/// without a public key. (A short-enabled account without `max_leverage` is no finding: the venue
/// margins it at leverage 1, fully collateralised.)
public enum TopologyCheck {
    /// Every finding for the file at `path`, in file order of the checks; empty when clean.
    public static func findings(path: String) -> [TopologyFinding] {
        guard let data = FileManager.default.contents(atPath: path) else {
            return [TopologyFinding(.invalid, "", "cannot read '\(path)'")]
        }
        var found = findings(data: data)
        // What agents refuse at start-up, unless a finding above already explains it.
        if !found.contains(where: { [.invalid, .missingAgent, .statefulReplicas].contains($0.kind) }) {
            do {
                found += missingKeys(try Topology.load(path: path))
            } catch {
                found.append(TopologyFinding(.invalid, "", error.description.replacingOccurrences(of: "topology file '\(path)': ", with: "")))
            }
        }
        return found
    }

    /// With CURVE on, each identity the topology names whose `<keys_dir>/<name>.pub` is absent,
    /// at the key path that names it first.
    static func missingKeys(_ topology: Topology) -> [TopologyFinding] {
        let security = topology.security
        guard security.curve else { return [] }
        let agents = AgentName.allCases.map(\.rawValue)
        return security.identities(agents: agents).compactMap { name in
            let key = "\(security.keysDir)/\(name).pub"
            guard !FileManager.default.fileExists(atPath: key) else { return nil }
            return TopologyFinding(.missingKey, keyPath(naming: name, in: security, agents: agents),
                                   "no public key for '\(name)' at \(key) (make it with `hedgectl keys`, or let `launch.sh up` make it)")
        }
    }

    /// Where `name` first appears: its own entry for the bus and the agents, else the list of
    /// the security section that names it (`security.clients` when only a default does).
    private static func keyPath(naming name: String, in security: SecuritySection, agents: [String]) -> String {
        if name == "bus" { return "bus" }
        if agents.contains(name) { return "agents.\(name)" }
        for server in security.clients.keys.sorted() {
            if let index = security.clients[server]?.firstIndex(of: name) { return "security.clients.\(server)[\(index)]" }
        }
        if let index = security.signalPublishers.firstIndex(of: name) { return "security.signal_publishers[\(index)]" }
        if let index = security.inventoryReaders.firstIndex(of: name) { return "security.inventory_readers[\(index)]" }
        return "security.clients"
    }

    /// The structural findings for a topology's JSON text (no file-system checks).
    public static func findings(data: Data) -> [TopologyFinding] {
        let tree: JSONTree
        do { tree = try JSONDecoder().decode(JSONTree.self, from: data) } catch {
            return [TopologyFinding(.invalid, "", "not valid JSON")]
        }
        let log = KeyReadLog()
        let topology: Topology
        do {
            topology = try Topology(from: KeyRecordingDecoder(tree: tree, path: "", log: log, codingPath: []))
        } catch let error as DecodingError {
            return [invalid(error)]
        } catch {
            return [TopologyFinding(.invalid, "", "\(error)")]
        }
        var found = log.unread(in: tree).map { TopologyFinding(.unknownKey, $0, "not a key of the topology format") }
        let known = Set(AgentName.allCases.map(\.rawValue))
        for name in topology.agents.keys.sorted() where !known.contains(name) {
            found.append(TopologyFinding(.unknownKey, "agents.\(name)", "not an agent of HedgeBus (\(known.sorted().joined(separator: ", ")))"))
        }
        for agent in AgentName.allCases where topology.agents[agent.rawValue] == nil {
            found.append(TopologyFinding(.missingAgent, "agents.\(agent.rawValue)", "no entry, so nothing runs the \(agent.rawValue) and nobody can reach it"))
        }
        found += topology.replicaProblems.filter(\.stateful).map { TopologyFinding(.statefulReplicas, $0.path, $0.message) }
        return found + duplicateEndpoints(topology) + unboundEndpoints(topology) + hostFindings(topology)
    }

    /// The sockets that bind, with their key paths, in a fixed order.
    static func binds(_ topology: Topology) -> [(path: String, address: String)] {
        let bus = topology.bus
        var binds = [(bus.publishBind == nil ? "bus.publish" : "bus.publish_bind", bus.publishBindAddress),
                     (bus.subscribeBind == nil ? "bus.subscribe" : "bus.subscribe_bind", bus.subscribeBindAddress)]
        if let capture = bus.captureBindAddress { binds.append((bus.captureBind == nil ? "bus.capture" : "bus.capture_bind", capture)) }
        for name in topology.agents.keys.sorted() {
            let entry = topology.agents[name]!
            binds.append(entry.bind.map { ("agents.\(name).bind", $0) } ?? ("agents.\(name).endpoint", entry.endpoint))
            if let backend = entry.backendBindAddress {
                binds.append((entry.backendBind == nil ? "agents.\(name).backend" : "agents.\(name).backend_bind", backend))
            }
            if let metrics = entry.metrics { binds.append(("agents.\(name).metrics", metrics)) }
        }
        return binds
    }

    /// The addresses clients connect to, with their key paths and the address their own socket
    /// binds, in a fixed order: the bus's sides, then each agent's endpoint and broker backend.
    static func connections(_ topology: Topology) -> [(path: String, address: String, bind: String)] {
        let bus = topology.bus
        var connections = [("bus.publish", bus.publish, bus.publishBindAddress), ("bus.subscribe", bus.subscribe, bus.subscribeBindAddress)]
        if let capture = bus.capture, let bind = bus.captureBindAddress { connections.append(("bus.capture", capture, bind)) }
        for name in topology.agents.keys.sorted() {
            let entry = topology.agents[name]!
            connections.append(("agents.\(name).endpoint", entry.endpoint, entry.bindAddress))
            if let backend = entry.backend, let bind = entry.backendBindAddress { connections.append(("agents.\(name).backend", backend, bind)) }
        }
        return connections
    }

    private static func duplicateEndpoints(_ topology: Topology) -> [TopologyFinding] {
        var found: [TopologyFinding] = []
        let binds = binds(topology)
        for (index, bind) in binds.enumerated() {
            if let earlier = binds[..<index].first(where: { EndpointAddress(bind.address).clashes(with: EndpointAddress($0.address)) }) {
                found.append(TopologyFinding(.duplicateEndpoint, bind.path, "\(bind.address) is also bound by \(earlier.path) (\(earlier.address))"))
            }
        }
        let entries = topology.agents.keys.sorted().map { ("agents.\($0).endpoint", topology.agents[$0]!) }
        // Two entries with one endpoint: caught above when neither has its own bind address.
        for (index, entry) in entries.enumerated() {
            if let earlier = entries[..<index].first(where: { $0.1.endpoint == entry.1.endpoint && ($0.1.bind != nil || entry.1.bind != nil) }) {
                found.append(TopologyFinding(.duplicateEndpoint, entry.0, "\(entry.1.endpoint) is also \(earlier.0): clients of both would reach one socket"))
            }
        }
        return found
    }

    private static func unboundEndpoints(_ topology: Topology) -> [TopologyFinding] {
        let binds = binds(topology)
        return connections(topology).compactMap { connection in
            let target = EndpointAddress(connection.address)
            guard !binds.contains(where: { EndpointAddress($0.address).serves(target) }) else { return nil }
            let owner = connection.path.hasPrefix("agents.") ? connection.path.split(separator: ".")[1] : "the bus"
            return TopologyFinding(.unboundEndpoint, connection.path,
                                   "clients connect to \(connection.address), but nothing in the topology binds it (\(owner) binds \(connection.bind))")
        }
    }

    private static func invalid(_ error: DecodingError) -> TopologyFinding {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case let .keyNotFound(key, context): return TopologyFinding(.invalid, path(context.codingPath + [key]), "missing")
        case let .typeMismatch(_, context): return TopologyFinding(.invalid, path(context.codingPath), "has the wrong type")
        case let .valueNotFound(_, context): return TopologyFinding(.invalid, path(context.codingPath), "is null")
        case let .dataCorrupted(context): return TopologyFinding(.invalid, path(context.codingPath), context.debugDescription)
        @unknown default: return TopologyFinding(.invalid, "", "\(error)")
        }
    }
}
