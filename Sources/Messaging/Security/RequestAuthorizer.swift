import Foundation
import WireFormat

/// A request as a server's authorizer sees it: who sent it, by the handshake rather than by the
/// envelope's `source`, its validated header and its still-encoded body.
public struct AuthenticatedRequest: Sendable {
    /// The `User-Id` of the sending connection; nil when the server does not authenticate.
    public var userId: String?
    /// The request's header.
    public var header: Envelope<OpaquePayload>
    /// The whole request, for rules that look into the payload (an order's account).
    public var body: Data

    /// A request from `userId`.
    public init(userId: String?, header: Envelope<OpaquePayload>, body: Data) {
        self.userId = userId
        self.header = header
        self.body = body
    }
}

/// Decides whether a request may be served: nil lets it through, an error (code `unauthorized`)
/// is the reply its sender gets. Called on the server's task for every request; must be quick.
public typealias RequestAuthorizer = @Sendable (AuthenticatedRequest) -> ProtocolError?
