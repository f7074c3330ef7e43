/// Which CURVE public keys each server of a process accepts, and the identity each key stands
/// for. Servers name their list with their socket's ZAP domain.
public struct ZAPPolicy: Sendable, Hashable {
    /// Per ZAP domain: accepted public key (Z85) → the `User-Id` its connections carry.
    public var domains: [String: [String: String]]

    /// A policy accepting, per domain, exactly the keys listed.
    public init(domains: [String: [String: String]]) { self.domains = domains }

    /// The identity `publicKey` is accepted as on `domain`, or nil when it is not listed there.
    public func identity(of publicKey: String, on domain: String) -> String? {
        domains[domain]?[publicKey]
    }
}
