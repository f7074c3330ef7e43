/// How a socket uses CURVE: as the server side of its connections (it binds and authenticates
/// clients through the process's ZAP handler) or as a client (it knows the server's key).
public enum CurveRole: Sendable, Hashable {
    /// A CURVE server with its own keypair; its ZAP requests name `zapDomain`, so the handler
    /// can apply the key list of this endpoint.
    case server(CurveKeyPair, zapDomain: String)
    /// A CURVE client proving `identity` to the server whose public key is `serverKey`.
    case client(CurveKeyPair, serverKey: String)
}
