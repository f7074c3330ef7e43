import CZeroMQ

/// The libzmq socket patterns HedgeBus uses.
public enum SocketKind: String, Sendable, Hashable, CaseIterable {
    case pub, sub, xpub, xsub, req, rep, dealer, router
    /// Raw TCP peers (used to answer plain HTTP, e.g. a Prometheus scrape).
    case stream
    /// One-to-one, here only to read a socket monitor's events.
    case pair

    /// Whether the pattern delivers messages to this side (a PUB only sends).
    var receives: Bool { self != .pub }

    var zmqType: Int32 {
        switch self {
        case .pub: ZMQ_PUB
        case .sub: ZMQ_SUB
        case .xpub: ZMQ_XPUB
        case .xsub: ZMQ_XSUB
        case .req: ZMQ_REQ
        case .rep: ZMQ_REP
        case .dealer: ZMQ_DEALER
        case .router: ZMQ_ROUTER
        case .stream: ZMQ_STREAM
        case .pair: ZMQ_PAIR
        }
    }
}
