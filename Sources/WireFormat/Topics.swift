/// Pub/sub topics (`<type>.<qualifier>`) and the envelope types that travel under them.
public enum Topic {
    /// A trading signal for `symbol`; the root of a cycle.
    public static func signal(_ symbol: String) -> String { "signal.\(symbol)" }
    /// The TradingDirector's one decision per signal.
    public static func decision(_ symbol: String) -> String { "decision.\(symbol)" }
    /// The QuantAnalyst's conclusion.
    public static func analysis(_ symbol: String) -> String { "analysis.\(symbol)" }
    /// The RiskManager's conclusion.
    public static func risk(_ symbol: String) -> String { "risk.\(symbol)" }
    /// The ExecutionAgent's order outcome.
    public static func order(_ symbol: String) -> String { "order.\(symbol)" }
    /// A MarketMaker fill.
    public static func fill(_ symbol: String) -> String { "fill.\(symbol)" }
    /// MarketMaker inventory after a change.
    public static func inventory(_ symbol: String) -> String { "inventory.\(symbol)" }
    /// One account's whole state at the MarketMaker after a committed change or a market tick.
    public static func account(_ name: String) -> String { "account.\(name)" }
    /// A MarketMaker two-sided quoting refresh.
    public static func quote(_ symbol: String) -> String { "quote.\(symbol)" }
    /// The hedge leg's answer to a fill.
    public static func hedge(_ symbol: String) -> String { "hedge.\(symbol)" }
    /// The TradingDirector closing (part of) a position: the root of an exit cycle.
    public static func exit(_ symbol: String) -> String { "exit.\(symbol)" }
    /// A MarketMaker market tick.
    public static func market(_ symbol: String) -> String { "market.\(symbol)" }
    /// An agent's liveness beat.
    public static func heartbeat(_ agent: String) -> String { "heartbeat.\(agent)" }
    /// A req/rep hop an agent sent or answered.
    public static func trace(_ agent: String) -> String { "trace.\(agent)" }

    /// The `<type>` part of a topic (`fill.BTC-USD` → `fill`).
    public static func kind(of topic: String) -> Substring {
        topic.split(separator: ".", maxSplits: 1).first ?? Substring(topic)
    }

    /// The `<qualifier>` part of a topic (`fill.BTC-USD` → `BTC-USD`), empty when absent.
    public static func qualifier(of topic: String) -> Substring {
        let parts = topic.split(separator: ".", maxSplits: 1)
        return parts.count > 1 ? parts[1] : ""
    }
}

/// Envelope `type` values of events published on the bus.
public enum EventType {
    public static let signal = "signal"
    public static let decision = "decision"
    public static let analysis = "analysis"
    public static let risk = "risk"
    public static let order = "order"
    public static let fill = "fill"
    public static let inventory = "inventory"
    public static let account = "account"
    public static let market = "market"
    public static let exit = "exit"
    public static let quote = "quote"
    public static let hedge = "hedge"
    public static let heartbeat = "heartbeat"
    public static let trace = "trace"
    /// The type of a reply that could not be processed.
    public static let error = "error"
}
