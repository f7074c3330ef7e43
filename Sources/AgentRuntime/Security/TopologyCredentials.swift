import Configuration
import Messaging

/// One process's CURVE credentials on a topology with `security.curve` on: its identity and
/// keypair, and the keys folder holding everyone's public keys.
public struct TopologyCredentials: Sendable {
    /// The name this process authenticates as (an agent's name, `bus`, `operator`…).
    public let identity: String
    /// Its keypair.
    public let keys: CurveKeyPair
    /// The topology's keys folder.
    public let store: CurveKeyStore
    /// The topology's security section.
    public let security: SecuritySection

    /// The credentials of `identity` on `topology`, or nil when the topology does not use CURVE.
    /// Throws when CURVE is on but libzmq lacks it or a key is missing.
    public static func load(topology: Topology, identity: String) throws(CurveKeyError) -> TopologyCredentials? {
        guard topology.security.curve else { return nil }
        guard CurveKeyPair.isSupported else { throw CurveKeyError.unsupported }
        let store = CurveKeyStore(folder: topology.security.keysDir)
        return TopologyCredentials(identity: identity, keys: try store.keyPair(identity), store: store, security: topology.security)
    }

    /// The client role for connecting to `server` (`bus` or an agent name), pinning its key.
    public func client(of server: String) throws(CurveKeyError) -> CurveRole {
        .client(keys, serverKey: try store.publicKey(server))
    }

    /// The server role of this process's request endpoint; its ZAP domain is its identity.
    public var server: CurveRole { .server(keys, zapDomain: identity) }

    /// The ZAP policy of a server process: per domain, the public keys of the identities the
    /// topology lists for it, each mapped to its name.
    public func zapPolicy(domains: [String: [String]]) throws(CurveKeyError) -> ZAPPolicy {
        var table: [String: [String: String]] = [:]
        for (domain, names) in domains {
            var keys: [String: String] = [:]
            for name in names { keys[try store.publicKey(name)] = name }
            table[domain] = keys
        }
        return ZAPPolicy(domains: table)
    }

    /// The security of the request broker standing in for the replicated agent this process's
    /// identity names: the agent's keys on both sides, its listed clients on the frontend and
    /// only its own key (its replicas) on the backend.
    public func brokerSecurity() throws(CurveKeyError) -> BrokerSecurity {
        BrokerSecurity(agent: identity, keys: keys,
                       zap: try zapPolicy(domains: [identity: security.clients(of: identity),
                                                    BrokerSecurity.backendDomain(of: identity): [identity]]))
    }

    /// The ZAP policy of the agent or bus this process is.
    public func ownZapPolicy() throws(CurveKeyError) -> ZAPPolicy {
        guard identity == busName else { return try zapPolicy(domains: [identity: security.clients(of: identity)]) }
        let clients = security.clients(of: busName)
        let readers = Set(security.inventoryReaders)
        return try zapPolicy(domains: [BusSecurity.publishDomain: clients, BusSecurity.subscribeDomain: clients,
                                       BusSecurity.captureDomain: clients.filter(readers.contains)])
    }
}
