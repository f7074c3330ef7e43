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

    /// Whether the host stands for every interface (`*`, `0.0.0.0`, `::`): a place to bind, not
    /// an address to connect to.
    var isWildcard: Bool { transport == "tcp" && ["*", "0.0.0.0", "::"].contains(host) }

    /// Whether only processes on the same host can reach it: a loopback address (`127.x.x.x`,
    /// `localhost`, `::1`), or a transport that never leaves the host (`ipc`, `inproc`).
    var isHostLocal: Bool {
        guard transport == "tcp" else { return transport == "ipc" || transport == "inproc" }
        return host.hasPrefix("127.") || host == "::1"
    }

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
