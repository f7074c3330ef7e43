import Foundation

/// Everything needed to open a socket on a `MessageLoop`: its kind, where it binds or connects,
/// and its options.
public struct SocketSpec: Sendable, Hashable {
    /// The socket pattern.
    public var kind: SocketKind
    /// Endpoints to bind (servers, the bus).
    public var binds: [String]
    /// Endpoints to connect to (clients, publishers and subscribers of the bus).
    public var connects: [String]
    /// Options applied before binding or connecting.
    public var options: SocketOptions
    /// How many inbound messages may wait for the consumer before newer ones are dropped (and counted).
    public var inboundBuffer: Int
    /// Count the socket's closed connections and failed handshakes in the loop's
    /// `MessageLoopStats.connections`, read from a socket monitor on the loop thread.
    public var monitorsConnections = false
    /// Whose socket this is when several agents share the loop: its malformed and dropped
    /// messages and its connection events are also counted under this name
    /// (`MessageLoop.problems(of:)`). Opening a socket fills it from `MessageLoop.owner` when nil.
    public var owner: String?
    /// Whether the loop thread, after each message it sends on this socket, yields its CPU where
    /// `ReplyYield` allows (requests read on such sockets coming slowly, a quiet machine), so that
    /// the I/O thread carrying the message goes before the loop's next work: for a server whose
    /// handlers leave work for after the reply.
    public var yieldsAfterSends = false

    /// Creates a spec.
    public init(kind: SocketKind, binds: [String] = [], connects: [String] = [],
                options: SocketOptions = SocketOptions(), inboundBuffer: Int = 65_536) {
        self.kind = kind
        self.binds = binds
        self.connects = connects
        self.options = options
        self.inboundBuffer = inboundBuffer
    }
}

/// A socket living on a `MessageLoop`, named by a Sendable token. Every operation on it is carried
/// out by the loop's thread.
public struct SocketHandle: Sendable, Hashable, CustomStringConvertible {
    let id: Int
    /// The socket's kind.
    public let kind: SocketKind
    /// The endpoints it bound, wildcard ports resolved.
    public let boundEndpoints: [String]
    /// Whether the loop yields after each send on it (`SocketSpec.yieldsAfterSends`).
    let yieldsAfterSends: Bool

    public var description: String { "\(kind.rawValue)#\(id)" }
}

/// A multipart message as it came off the wire.
public typealias Frames = [Data]

/// A multipart message and the identity of the peer that sent it.
public struct IdentifiedFrames: Sendable {
    /// The message's frames.
    public var frames: Frames
    /// The `User-Id` the process's ZAP handler returned for the sending connection: the name
    /// the topology gives the peer's public key. Nil when the socket does not authenticate.
    public var userId: String?

    /// A message from `userId`.
    public init(frames: Frames, userId: String?) {
        self.frames = frames
        self.userId = userId
    }
}
