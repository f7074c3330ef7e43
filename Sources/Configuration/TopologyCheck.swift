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
/// depth, duplicate endpoints, endpoints clients connect to that nothing binds, and (with CURVE
/// on) identities without a public key, replicas of an agent that keeps state.
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
        return found + duplicateEndpoints(topology) + unboundEndpoints(topology)
    }

    /// The sockets that bind, with their key paths, in a fixed order.
    static func binds(_ topology: Topology) -> [(path: String, address: String)] {
        var binds = [("bus.publish", topology.bus.publish), ("bus.subscribe", topology.bus.subscribe)]
        if let capture = topology.bus.capture { binds.append(("bus.capture", capture)) }
        for name in topology.agents.keys.sorted() {
            let entry = topology.agents[name]!
            binds.append(entry.bind.map { ("agents.\(name).bind", $0) } ?? ("agents.\(name).endpoint", entry.endpoint))
            if let backend = entry.backend { binds.append(("agents.\(name).backend", backend)) }
            if let metrics = entry.metrics { binds.append(("agents.\(name).metrics", metrics)) }
        }
        return binds
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
        return topology.agents.keys.sorted().compactMap { name in
            let entry = topology.agents[name]!
            let target = EndpointAddress(entry.endpoint)
            guard !binds.contains(where: { EndpointAddress($0.address).serves(target) }) else { return nil }
            return TopologyFinding(.unboundEndpoint, "agents.\(name).endpoint",
                                   "clients connect to \(entry.endpoint), but nothing in the topology binds it (\(name) binds \(entry.bindAddress))")
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

/// A ZeroMQ endpoint split into transport, host and port, to compare binds with connects.
struct EndpointAddress: Hashable {
    let transport: String
    let host: String
    let port: String

    init(_ text: String) {
        let parts = text.components(separatedBy: "://")
        transport = parts.count > 1 ? parts[0] : ""
        let rest = parts.count > 1 ? parts[1] : text
        guard transport == "tcp", let colon = rest.lastIndex(of: ":") else {
            host = rest
            port = ""
            return
        }
        let name = String(rest[..<colon]).trimmingCharacters(in: ["[", "]"])
        host = name == "localhost" ? "127.0.0.1" : name
        port = String(rest[rest.index(after: colon)...])
    }

    private var isWildcard: Bool { ["*", "0.0.0.0", "::"].contains(host) }

    /// Whether the host is an IP literal (a name may resolve to anything, so it is not compared).
    private var isLiteral: Bool { isWildcard || host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." } }

    /// Whether binding both would fail: the same port on the same or a wildcard host.
    func clashes(with other: EndpointAddress) -> Bool {
        guard transport == other.transport else { return false }
        guard transport == "tcp" else { return host == other.host }
        return port == other.port && (host == other.host || isWildcard || other.isWildcard)
    }

    /// Whether a socket bound here accepts a client connecting to `target`.
    func serves(_ target: EndpointAddress) -> Bool {
        guard transport == target.transport else { return false }
        guard transport == "tcp" else { return host == target.host }
        return port == target.port && (isWildcard || host == target.host || !isLiteral || !target.isLiteral)
    }
}
