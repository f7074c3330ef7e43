import CZeroMQ

/// The socket options HedgeBus sets. `nil` leaves libzmq's default.
public struct SocketOptions: Sendable, Hashable {
    /// How long unsent messages may delay `close` (ms). Bounded so that shutdown never hangs.
    public var lingerMillis: Int32? = 200
    /// Outbound high-water mark in messages (libzmq default 1000 drops bursts silently on PUB).
    public var sendHighWaterMark: Int32?
    /// Inbound high-water mark in messages.
    public var receiveHighWaterMark: Int32?
    /// Timeout for a blocking receive (ms); −1 waits for ever.
    public var receiveTimeoutMillis: Int32?
    /// Timeout for a blocking send (ms).
    public var sendTimeoutMillis: Int32?
    /// Queue messages only to completed connections, so a send to an absent peer fails fast.
    public var immediate: Bool?
    /// Largest inbound message in bytes; larger ones drop the connection instead of exhausting memory.
    public var maxMessageSize: Int64?
    /// Prefixes a SUB or XSUB socket subscribes to ("" is everything).
    public var subscriptions: [String] = []
    /// Pass every subscription message up on an XPUB, not only new topics.
    public var xpubVerbose: Bool?
    /// Make ROUTER sends to unknown identities fail instead of vanishing.
    public var routerMandatory: Bool?
    /// CURVE encryption and authentication, as server or client; nil leaves the socket in plain text.
    public var curve: CurveRole?
    /// Pass subscriptions up on an XPUB without applying them: the owner applies each one it
    /// grants with `ZMQ_SUBSCRIBE` (how the bus refuses a subscriber a topic).
    public var xpubManual: Bool?

    /// The largest message any HedgeBus socket accepts by default (1 MiB): a larger one makes
    /// libzmq drop the connection it came on, so no peer can make a process hold it in memory.
    public static let defaultMaxMessageSize: Int64 = 1 << 20

    /// `ZMQ_ZAP_ENFORCE_DOMAIN`: libzmq 4.3 accepts it, but its header declares it only for
    /// draft builds.
    static let zapEnforceDomain: Int32 = 93

    /// How long a CURVE server gives a connection to complete its handshake (ms).
    public static let curveHandshakeMillis: Int32 = 5_000

    /// Options with libzmq's defaults apart from a bounded linger.
    public init() {}

    /// Applies every set option to `socket`, in an order that makes subscriptions last.
    func apply(to socket: ZMQSocket) throws(ZMQError) {
        if let lingerMillis { try socket.setOption(ZMQ_LINGER, lingerMillis) }
        if let sendHighWaterMark { try socket.setOption(ZMQ_SNDHWM, sendHighWaterMark) }
        if let receiveHighWaterMark { try socket.setOption(ZMQ_RCVHWM, receiveHighWaterMark) }
        if let receiveTimeoutMillis { try socket.setOption(ZMQ_RCVTIMEO, receiveTimeoutMillis) }
        if let sendTimeoutMillis { try socket.setOption(ZMQ_SNDTIMEO, sendTimeoutMillis) }
        if let immediate { try socket.setOption(ZMQ_IMMEDIATE, Int32(immediate ? 1 : 0)) }
        if let maxMessageSize { try socket.setOption(ZMQ_MAXMSGSIZE, maxMessageSize) }
        if let xpubVerbose { try socket.setOption(ZMQ_XPUB_VERBOSE, Int32(xpubVerbose ? 1 : 0)) }
        if let routerMandatory { try socket.setOption(ZMQ_ROUTER_MANDATORY, Int32(routerMandatory ? 1 : 0)) }
        if let xpubManual { try socket.setOption(ZMQ_XPUB_MANUAL, Int32(xpubManual ? 1 : 0)) }
        switch curve {
        case let .server(keys, zapDomain)?:
            // A connection that has not finished its handshake in time is dropped, so a peer that
            // stalls mid-handshake holds no session (nor the context's shutdown) for libzmq's 30 s.
            try socket.setOption(ZMQ_HANDSHAKE_IVL, Self.curveHandshakeMillis)
            try socket.setOption(ZMQ_CURVE_SERVER, Int32(1))
            try socket.setOption(ZMQ_CURVE_SECRETKEY, text: keys.secretKey)
            try socket.setOption(ZMQ_ZAP_DOMAIN, text: zapDomain)
            // Without it libzmq 4.3 lets a connection through when no ZAP handler answers.
            try socket.setOption(Self.zapEnforceDomain, Int32(1))
        case let .client(keys, serverKey)?:
            try socket.setOption(ZMQ_CURVE_SERVERKEY, text: serverKey)
            try socket.setOption(ZMQ_CURVE_PUBLICKEY, text: keys.publicKey)
            try socket.setOption(ZMQ_CURVE_SECRETKEY, text: keys.secretKey)
        case nil: break
        }
        for prefix in subscriptions { try socket.subscribe(prefix) }
    }
}
