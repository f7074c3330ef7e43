import Configuration
import Foundation
import Testing
import Trading

/// Loading a topology file: defaults for what a file leaves out, the file's values for what it
/// states, and errors that name the file and the field to fix.
@Suite struct TopologyLoadingTests {
    static let agents = """
        "agents": {
          "quant-analyst": { "endpoint": "tcp://127.0.0.1:17110" },
          "risk-manager": { "endpoint": "tcp://127.0.0.1:17111" },
          "execution-agent": { "endpoint": "tcp://127.0.0.1:17112" },
          "market-maker": { "endpoint": "tcp://127.0.0.1:17113", "bind": "tcp://*:17113" },
          "trading-director": { "endpoint": "tcp://127.0.0.1:17114" }
        }
        """
    static let bus = #""bus": { "publish": "tcp://127.0.0.1:17100", "subscribe": "tcp://127.0.0.1:17101" }"#

    /// Writes `json` to a file in a fresh folder and loads it.
    static func load(_ json: String, extraFiles: [String: String] = [:]) throws(TopologyError) -> Topology {
        let folder = NSTemporaryDirectory() + "hedgebus-config-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (name, text) in extraFiles { _ = FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(text.utf8)) }
        _ = FileManager.default.createFile(atPath: folder + "/topology.json", contents: Data(json.utf8))
        return try Topology.load(path: folder + "/topology.json")
    }

    @Test func aFileWithOnlyEndpointsGetsEveryDefault() throws {
        let loaded = try Self.load("{\(Self.bus), \(Self.agents)}")
        let defaults = Topology(bus: loaded.bus, agents: loaded.agents)
        #expect(loaded == defaults)
        #expect(loaded.heartbeatMs == 500 && loaded.requestTimeoutMs == 2_000 && loaded.requestAttempts == 3)
        #expect(loaded.busyPollUs == 250 && loaded.busyPoll == .microseconds(250))
        #expect(loaded.ioThreadPolicy == .auto && loaded.threadPolicy == .auto)
        #expect(loaded.market.symbols.map(\.symbol) == ["BTC-USD"])
        #expect(loaded.accounts.map(\.name) == ["desk"])
        #expect(try loaded.endpoint(of: .marketMaker).bindAddress == "tcp://*:17113")
        #expect(try loaded.endpoint(of: .riskManager).bindAddress == "tcp://127.0.0.1:17111")
    }

    @Test func statedValuesReplaceDefaultsAndOnlyThose() throws {
        let loaded = try Self.load("""
            {\(Self.bus), \(Self.agents), "heartbeat_ms": 200, "log_level": "debug", "busy_poll_us": 0, "io_thread_policy": "normal",
             "thread_policy": "batch",
             "market": { "tick_ms": 50, "symbols": [{ "symbol": "BTC-USD", "min_qty": 0.001,
                         "quoting": { "account": "desk", "spread": 0.002 } }] },
             "risk": { "preset": "conservative", "max_concurrent_positions": 2, "stop_pct": 0.02 },
             "director": { "remembered_signals": 500, "order_in_doubt_ms": 0 },
             "accounts": [{ "name": "desk", "allow_short": true, "balances": { "USD": 5000, "BTC": 0 } }]}
            """)
        let plain = QuotingSection()
        #expect(loaded.heartbeatMs == 200 && loaded.logLevel == "debug" && loaded.requestAttempts == 3)
        #expect(loaded.busyPollUs == 0 && loaded.busyPoll == .zero && loaded.ioThreadPolicy == .normal)
        #expect(loaded.threadPolicy == .batch)
        #expect(loaded.market.tickMs == 50 && loaded.market.inventoryMs == MarketSection().inventoryMs)
        #expect(loaded.market.clientOrderMemory == MarketSection().clientOrderMemory)
        let venue = try #require(loaded.market.symbols.first?.venue)
        #expect(venue.minQty == 0.001 && venue.replayFollow == false)
        #expect(venue.quoting?.spread == 0.002 && venue.quoting?.maxOrders == plain.maxOrders && venue.quoting?.mode == plain.mode)
        #expect(loaded.risk.preset == "conservative")
        #expect(loaded.risk.limits.maxConcurrentPositions == 2)
        #expect(loaded.risk.limits.stopRule == .percent(0.02))
        #expect(loaded.accounts.first?.allowShort == true)
        #expect(loaded.director.rememberedSignals == 500 && loaded.director.signalTtlMs == DirectorSection().signalTtlMs)
        #expect(loaded.director.orderInDoubtMs == 0 && DirectorSection().orderInDoubtMs == 10_000)
    }

    @Test func aRelativeReplayFileIsFoundBesideTheTopology() throws {
        let loaded = try Self.load("""
            {\(Self.bus), \(Self.agents), "market": { "symbols": [{ "symbol": "BTC-USD", "replay": "ticks.csv" }] }}
            """, extraFiles: ["ticks.csv": "timestamp,bid,ask\n1,100,101\n"])
        let replay = try #require(loaded.market.symbols.first?.venue.replay)
        #expect(replay.hasPrefix("/") && replay.hasSuffix("/ticks.csv"))
    }

    static let refusals: [(json: String, mentions: String)] = [
        ("{\(agents)}", "missing field 'bus'"),
        ("{\(bus), \"agents\": {}}", "agents."),
        ("{\(bus), \(agents), \"heartbeat_ms\": \"fast\"}", "heartbeat_ms"),
        ("{\(bus), \(agents), \"heartbeat_ms\": 5000}", "heartbeat_ms"),
        ("{\(bus), \(agents), \"busy_poll_us\": -1}", "busy_poll_us must be 0…100000"),
        ("{\(bus), \(agents), \"busy_poll_us\": 100001}", "busy_poll_us must be 0…100000"),
        ("{\(bus), \(agents), \"io_thread_policy\": \"fifo\"}", "field 'io_thread_policy': must be 'auto', 'batch' or 'normal', got 'fifo'"),
        ("{\(bus), \(agents), \"io_thread_policy\": 3}", "field 'io_thread_policy' has the wrong type"),
        ("{\(bus), \(agents), \"thread_policy\": \"idle\"}", "field 'thread_policy': must be 'auto', 'batch' or 'normal', got 'idle'"),
        ("{\(bus), \(agents), \"risk\": { \"preset\": \"yolo\" }}", "yolo"),
        ("{\(bus), \(agents), \"director\": { \"account\": \"nobody\" }}", "nobody"),
        ("{\(bus), \(agents), \"risk\": { \"stop_pct\": 0.02, \"stop_atr_multiplier\": 2 }}", "not both"),
        ("{\(bus), \(agents), \"market\": { \"symbols\": [{ \"symbol\": \"BTC-USD\", \"replay\": \"missing.csv\" }] }}", "missing.csv"),
        ("{ \"bus\": { \"publish\": \"127.0.0.1:1\", \"subscribe\": \"tcp://127.0.0.1:2\" }, \(agents)}", "127.0.0.1:1"),
        ("not json", "not valid JSON"),
        ("{\(bus), \(agents), \"market\": { \"client_order_memory\": 100 }}", "client_order_memory"),
        ("{\(bus), \(agents), \"director\": { \"remembered_signals\": 0 }}", "remembered_signals"),
        ("{\(bus), \(agents), \"director\": { \"order_in_doubt_ms\": -1 }}", "director.order_in_doubt_ms must be 0…3600000"),
        ("{\(bus), \(agents), \"director\": { \"order_in_doubt_ms\": 3600001 }}", "director.order_in_doubt_ms must be 0…3600000"),
        // Balances are per asset: the old per-symbol form is refused naming the new one.
        ("{\(bus), \(agents), \"accounts\": [{ \"name\": \"desk\", \"balances\": { \"BTC-USD\": { \"base\": 0, \"quote\": 5 } } }]}",
         #""balances": {"USD": "50000", "BTC": "0"}"#),
        ("{\(bus), \(agents), \"accounts\": [{ \"name\": \"desk\", \"balances\": { \"EUR\": 5 } }]}", "'EUR', which no symbol"),
        ("{\(bus), \(agents), \"accounts\": [{ \"name\": \"desk\", \"balances\": { \"BTC\": -1 } }]}", "negative BTC"),
        ("{\(bus), \(agents), \"accounts\": [{ \"name\": \"desk\", \"balances\": { \"USD\": \"1.000000001\" } }]}", "USD"),
        ("{\(bus), \(agents), \"market\": { \"symbols\": [{ \"symbol\": \"XBTUSD\" }] }}", "base_asset"),
    ]

    @Test func balancesArePerAssetAsNumbersOrDecimalTextAndSymbolsMayNameTheirAssets() throws {
        let loaded = try Self.load("""
            {\(Self.bus), \(Self.agents),
             "market": { "maintenance_margin_bps": 75,
                         "symbols": [{ "symbol": "BTC-USD" }, { "symbol": "XBTEUR", "base_asset": "XBT", "quote_asset": "EUR" }] },
             "accounts": [{ "name": "desk", "balances": { "USD": "50000.25", "BTC": 0.5, "EUR": "10" } },
                          { "name": "perp", "allow_short": true, "max_leverage": 3, "balances": { "USD": 1 } }]}
            """)
        #expect(loaded.accounts.first?.balances == ["USD": 50_000.25, "BTC": 0.5, "EUR": 10])
        #expect(loaded.accounts.map(\.maxLeverage) == [nil, 3] && loaded.market.maintenanceMarginBps == 75)
        #expect(MarketSection().maintenanceMarginBps == 50)
        #expect(loaded.market.symbols.map(\.assets) == [AssetPair(base: "BTC", quote: "USD"), AssetPair(base: "XBT", quote: "EUR")])
    }

    @Test(arguments: refusals.indices)
    func anUnusableFileIsRefusedNamingTheFileAndTheField(index: Int) {
        let (json, mentions) = Self.refusals[index]
        let error = #expect(throws: TopologyError.self) { try Self.load(json) }
        #expect(error?.description.contains("topology.json") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains(mentions) == true, "\(error?.description ?? "") should mention \(mentions)")
    }

    @Test func theShippedTopologyLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let topology = try Topology.load(path: root.appendingPathComponent("topology/default.json").path)
        for agent in AgentName.allCases { #expect(try topology.endpoint(of: agent).endpoint.hasPrefix("tcp://")) }
    }
}

/// Timeouts that nest: an agent behind a peer gives up before the peer's caller does.
@Suite struct TopologyTimeoutTests {
    @Test(arguments: [(3_000, 3), (1_000, 1), (90, 3), (10_000, 5)])
    func theRiskManagersVenueAttemptsEndWithinOneAssessAttempt(stepMs: Int, attempts: Int) {
        var topology = Topology(bus: .init(publish: "tcp://127.0.0.1:1", subscribe: "tcp://127.0.0.1:2"), agents: [:])
        topology.director.stepTimeoutMs = stepMs
        topology.requestAttempts = attempts
        let assessAttempt = topology.director.stepAttemptMs(attempts: attempts)
        #expect(2 * topology.riskVenueAttemptMs < assessAttempt || topology.riskVenueAttemptMs == 20)
        #expect(topology.riskVenueAttemptMs >= 20)
    }
}

/// A server keeps each reply as long as any client of the topology may still retry its request.
@Suite struct ReplyRetentionTests {
    private func topology() -> Topology {
        Topology(bus: .init(publish: "tcp://127.0.0.1:1", subscribe: "tcp://127.0.0.1:2"), agents: [:])
    }

    @Test func retentionIsTheLongestRetryingClientAndASecond() {
        var topology = topology()
        topology.requestTimeoutMs = 1_000
        topology.requestAttempts = 3
        topology.director.stepTimeoutMs = 2_000
        #expect(topology.replyRetentionMs == 4_000)
        topology.director.stepTimeoutMs = 9_000
        #expect(topology.replyRetentionMs == 10_000)
        topology.market.hedges = [HedgeSection(from: "desk", to: "hedge", attempts: 6)]
        #expect(topology.replyRetentionMs == HedgeSection.attemptTimeoutMs * 6 + 1_000)
    }

    @Test func absurdTimeoutsSaturateInsteadOfOverflowing() {
        var topology = topology()
        topology.requestTimeoutMs = Int.max / 2
        topology.requestAttempts = 3
        #expect(topology.replyRetentionMs > 0)
        #expect(topology.replyRetentionMs <= Int(Int32.max))
    }
}
