extension TopologyCheck {
    /// Addresses that work on one machine but not across several: a wildcard host given as an
    /// address to connect to, and, once any endpoint is on the network, a loopback endpoint
    /// (processes on other hosts would connect to their own loopback).
    static func hostFindings(_ topology: Topology) -> [TopologyFinding] {
        let connections = connections(topology)
        var found: [TopologyFinding] = []
        for connection in connections where EndpointAddress(connection.address).isWildcard {
            found.append(TopologyFinding(.wildcardEndpoint, connection.path,
                                         "\(connection.address) is where clients connect, and a wildcard names no host: give this host's name or IP here and put the wildcard in \(bindKey(for: connection.path))"))
        }
        guard let networked = connections.first(where: {
            let address = EndpointAddress($0.address)
            return address.transport == "tcp" && !address.isHostLocal && !address.isWildcard
        }) else { return found }
        for connection in connections where EndpointAddress(connection.address).isHostLocal {
            found.append(TopologyFinding(.hostLocalEndpoint, connection.path,
                                         "only processes on its own host reach \(connection.address), but \(networked.path) is \(networked.address): on several hosts every endpoint needs an address the others can reach (bind a wildcard or the interface in \(bindKey(for: connection.path)))"))
        }
        return found
    }

    /// The key that holds the bind address for the connect address at `path`.
    private static func bindKey(for path: String) -> String {
        if path.hasSuffix(".endpoint") { return path.replacingOccurrences(of: ".endpoint", with: ".bind") }
        return path + "_bind"
    }
}
