import Foundation

/// What a CURVE bus enforces: its own keypair, the keys that may connect to each side (by ZAP
/// domain), and per identity which topics it may publish and which prefixes it may subscribe to.
public struct BusSecurity: Sendable {
    /// The ZAP domain of the publishers' side (XSUB).
    public static let publishDomain = "bus.publish"
    /// The ZAP domain of the subscribers' side (XPUB).
    public static let subscribeDomain = "bus.subscribe"
    /// The ZAP domain of the capture tap, which copies every topic.
    public static let captureDomain = "bus.capture"

    /// The bus's own keypair; clients pin its public key.
    public var keys: CurveKeyPair
    /// Accepted keys per domain.
    public var zap: ZAPPolicy
    /// Whether `identity` may publish on `topic`.
    public var mayPublish: @Sendable (_ identity: String, _ topic: String) -> Bool
    /// Whether `identity` may subscribe to `prefix` (everything starting with it).
    public var maySubscribe: @Sendable (_ identity: String, _ prefix: String) -> Bool

    /// A bus enforcing these rules.
    public init(keys: CurveKeyPair, zap: ZAPPolicy,
                mayPublish: @escaping @Sendable (String, String) -> Bool,
                maySubscribe: @escaping @Sendable (String, String) -> Bool) {
        self.keys = keys
        self.zap = zap
        self.mayPublish = mayPublish
        self.maySubscribe = maySubscribe
    }

    /// Whether a publication is a topic and a body from an identity allowed that topic.
    func admitsPublication(_ message: IdentifiedFrames) -> Bool {
        guard message.frames.count == 2, let identity = message.userId,
              let topic = String(data: message.frames[0], encoding: .utf8) else { return false }
        return mayPublish(identity, topic)
    }

    /// Whether a subscription change may take effect. Cancelling is always allowed (it can only
    /// narrow what arrives, and libzmq sends cancellations of departed subscribers unidentified).
    func admitsSubscription(_ change: SubscriptionChange, from identity: String?) -> Bool {
        guard change.subscribe else { return true }
        guard let identity, let prefix = String(data: change.prefix, encoding: .utf8) else { return false }
        return maySubscribe(identity, prefix)
    }
}

/// A subscription message as an XPUB passes it up: 1 (subscribe) or 0 (cancel), then the prefix.
struct SubscriptionChange {
    var subscribe: Bool
    var prefix: Data

    init?(_ frames: Frames) {
        guard frames.count == 1, let first = frames[0].first, first <= 1 else { return nil }
        subscribe = first == 1
        prefix = Data(frames[0].dropFirst())
    }
}

/// How many subscribers hold each granted prefix on a bus whose XPUB is in manual mode.
struct GrantedSubscriptions {
    private var holders: [Data: Int] = [:]

    /// Records `change` and says whether publishers must hear of it: the first subscription to a
    /// prefix, or the end of its last holder. A `departed` change is libzmq's notice that the last
    /// connection holding the prefix has gone (it sends one only then, unidentified).
    mutating func record(_ change: SubscriptionChange, departed: Bool) -> Bool {
        let prefix = change.prefix
        if change.subscribe {
            holders[prefix, default: 0] += 1
            return holders[prefix] == 1
        }
        if departed { return holders.removeValue(forKey: prefix) != nil }
        guard let count = holders[prefix] else { return false }
        if count > 1 {
            holders[prefix] = count - 1
            return false
        }
        holders.removeValue(forKey: prefix)
        return true
    }
}
