import ArgumentParser

/// The MarketMaker's ledger options, taken by `market-maker` and `all-agents`.
public struct LedgerOptions: ParsableArguments {
    @Option(help: "SQLite ledger: every fill and rejection is committed here before it is acknowledged, and state is restored from it at start. Delete the file to start from the topology's balances.")
    public var ledger: String = "run/ledger.sqlite"

    @Flag(help: "Run without a ledger (state is lost when the process stops).")
    public var noLedger = false

    public init() {}

    /// The ledger file, or nil without one.
    public var path: String? { noLedger ? nil : ledger }
}

/// The TradingDirector's database options, taken by `trading-director` and `all-agents`.
public struct DirectorStoreOptions: ParsableArguments {
    @Option(help: "SQLite file for closed trades and portfolio snapshots, read by `hedgectl report`.")
    public var analytics: String = "run/analytics.sqlite"

    @Flag(help: "Keep no analytics database.")
    public var noAnalytics = false

    @Option(help: "SQLite file of the director's durable records: accepted signals with their progress and decisions, and the plan and exit progress of every watched position, from which a restarted director carries on (default: director.sqlite beside --analytics).")
    public var store: String?

    public init() {}
}
