import Configuration
import Foundation
import Testing

/// `TopologyCheck`: each kind of finding at its key path, and clean files staying clean.
@Suite struct TopologyCheckTests {
    /// A topology with the given agent entries (JSON members) and extra top-level members.
    static func topology(agents: [String: String] = [:], extra: String = "") -> String {
        let defaults = [
            "quant-analyst": #""endpoint": "tcp://127.0.0.1:7110""#, "risk-manager": #""endpoint": "tcp://127.0.0.1:7111""#,
            "execution-agent": #""endpoint": "tcp://127.0.0.1:7112""#, "market-maker": #""endpoint": "tcp://127.0.0.1:7113""#,
            "trading-director": #""endpoint": "tcp://127.0.0.1:7114""#,
        ]
        let entries = defaults.merging(agents) { $1 }.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
            .map { "\"\($0.key)\": { \($0.value) }" }.joined(separator: ", ")
        return #"{ "bus": { "publish": "tcp://127.0.0.1:7100", "subscribe": "tcp://127.0.0.1:7101" }, "agents": { "#
            + entries + " }" + (extra.isEmpty ? "" : ", \(extra)") + " }"
    }

    static func findings(_ json: String) -> [TopologyFinding] { TopologyCheck.findings(data: Data(json.utf8)) }

    /// Every section and optional key the format has, each spelled right.
    static let everySection = topology(agents: [
        "quant-analyst": #""endpoint": "tcp://127.0.0.1:7110", "bind": "tcp://*:7110", "metrics": "tcp://127.0.0.1:9110""#,
    ], extra: """
        "heartbeat_ms": 200, "request_timeout_ms": 1000, "request_attempts": 2, "log_level": "debug",
        "market": { "seed": 1, "tick_ms": 100, "inventory_ms": 500, "taker_fee_bps": 10, "maker_fee_bps": 5, "slippage_bps": 1,
          "hedges": [ { "from": "desk", "to": "hedge", "attempts": 2 } ],
          "symbols": [
            { "symbol": "BTC-USD", "start_price": 60000, "drift": 0, "volatility": 1, "tick_size": 0.01, "spread_bps": 2,
              "max_inventory": 1, "min_qty": 0.0001, "displayed_size": 0.5,
              "depth": { "levels": 3, "level_qty": 0.5, "step_bps": 2, "refill_qty": 0.5, "unfilled": "reject" } },
            { "symbol": "ETH-USD", "start_price": 3000,
              "quoting": { "account": "hedge", "interval_ms": 100, "spread": 0.001, "max_orders": 2, "quantity": 0.05,
                           "max_position": 1, "inventory_skew": 0.5, "duration_s": 60, "mode": "symmetric" } } ] },
        "accounts": [ { "name": "desk", "allow_short": true, "max_leverage": 5, "balances": { "USD": 50000, "BTC": 0 } },
                      { "name": "hedge", "balances": { "USD": 1000, "ETH": 1 } } ],
        "analyst": { "fast_period": 5, "slow_period": 20, "rsi_period": 14, "atr_period": 14, "ticks_per_bar": 5, "window": 500 },
        "risk": { "preset": "standard", "min_confidence": 0.3, "stop_atr_multiplier": 3,
                  "take_profits": [ { "risk_reward": 2, "fraction": 0.5 }, { "risk_reward": 3, "fraction": 0.5 } ] },
        "director": { "account": "desk", "step_timeout_ms": 3000, "contradiction_threshold": 0.6, "time_stop_s": 25,
                      "snapshot_ms": 1000, "signal_ttl_ms": 5000, "max_queued_per_symbol": 8 }
        """)

    @Test func theShippedTopologiesAndAFileUsingEverySectionAreClean() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("topology")
        let shipped = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        #expect(!shipped.isEmpty)
        for name in shipped {
            // A CURVE topology's keys are made on first `launch.sh up`; a fresh clone has none yet.
            let found = TopologyCheck.findings(path: folder.appendingPathComponent(name).path).filter { $0.kind != .missingKey }
            #expect(found == [], "topology/\(name)")
        }
        #expect(Self.findings(Self.everySection) == [])
    }

    @Test func unknownKeysAreReportedAtAnyDepthWithTheirPath() {
        let json = Self.topology(agents: ["risk-manager": #""endpoint": "tcp://127.0.0.1:7111", "bnd": "tcp://*:7111""#], extra: """
            "heartbeat_msec": 200, "extras": { "nested": 1 },
            "market": { "symbols": [ { "symbol": "BTC-USD" }, { "symbol": "ETH-USD", "quoting": { "account": "desk", "sprd": 0.01 } } ] },
            "accounts": [ { "name": "desk", "balances": { "USD": 1, "BTC": 0 } } ],
            "risk": { "take_profits": [ { "risk_reward": 2, "fraction": 1, "rr": 2 } ] }
            """)
        let found = Self.findings(json)
        #expect(found.allSatisfy { $0.kind == .unknownKey }, "\(found)")
        #expect(Set(found.map(\.path)) == ["agents.risk-manager.bnd", "heartbeat_msec", "extras", "market.symbols[1].quoting.sprd",
                                           "risk.take_profits[0].rr"])
    }

    @Test func anAgentNameWithATypoIsUnknownAndTheAgentMissing() {
        let found = Self.findings(Self.topology(agents: ["risk-manager": "", "risk-manger": #""endpoint": "tcp://127.0.0.1:7111""#]))
        #expect(found.contains(TopologyFinding(.unknownKey, "agents.risk-manger", found.first { $0.path == "agents.risk-manger" }?.message ?? "")))
        #expect(found.contains { $0.kind == .missingAgent && $0.path == "agents.risk-manager" })
        #expect(found.count == 2, "\(found)")
    }

    @Test func duplicateEndpointsNameBothKeys() {
        let shared = Self.findings(Self.topology(agents: ["risk-manager": #""endpoint": "tcp://127.0.0.1:7110""#]))
        #expect(shared == [TopologyFinding(.duplicateEndpoint, "agents.risk-manager.endpoint",
                                           "tcp://127.0.0.1:7110 is also bound by agents.quant-analyst.endpoint (tcp://127.0.0.1:7110)")])
        // A wildcard bind takes the port on every interface, the bus's included.
        let wildcard = Self.findings(Self.topology(agents: ["market-maker": #""endpoint": "tcp://127.0.0.1:7100", "bind": "tcp://*:7100""#]))
        #expect(wildcard.map(\.path) == ["agents.market-maker.bind"], "\(wildcard)")
        #expect(wildcard.first?.message.contains("bus.publish") == true)
        let metrics = Self.findings(Self.topology(agents: ["quant-analyst": #""endpoint": "tcp://127.0.0.1:7110", "metrics": "tcp://127.0.0.1:7101""#]))
        #expect(metrics.map(\.path) == ["agents.quant-analyst.metrics"], "\(metrics)")
        // Two agents with binds of their own but one client endpoint.
        let oneEndpoint = Self.findings(Self.topology(agents: [
            "quant-analyst": #""endpoint": "tcp://127.0.0.1:7110", "bind": "tcp://127.0.0.1:7110""#,
            "risk-manager": #""endpoint": "tcp://127.0.0.1:7110", "bind": "tcp://127.0.0.1:7111""#,
        ]))
        #expect(oneEndpoint.map(\.path) == ["agents.risk-manager.endpoint"], "\(oneEndpoint)")
        #expect(oneEndpoint.allSatisfy { $0.kind == .duplicateEndpoint })
    }

    @Test func aShortEnabledAccountWithoutLeverageIsNoFinding() {
        let found = Self.findings(Self.topology(extra: """
            "accounts": [ { "name": "spot", "balances": { "USD": 1 } },
                          { "name": "wild", "allow_short": true, "balances": { "USD": 1 } },
                          { "name": "perp", "allow_short": true, "max_leverage": 3, "balances": { "USD": 1 } } ]
            """))
        // The venue margins "wild" at leverage 1 (fully collateralised): nothing to report.
        #expect(found.isEmpty, "\(found)")
    }

    @Test func anEndpointNothingBindsIsReported() {
        let found = Self.findings(Self.topology(agents: ["quant-analyst": #""endpoint": "tcp://127.0.0.1:7110", "bind": "tcp://127.0.0.1:7999""#]))
        #expect(found.map(\.kind) == [.unboundEndpoint], "\(found)")
        #expect(found.first?.path == "agents.quant-analyst.endpoint")
        // Multi-host: a wildcard bind serves clients that connect by the host's name.
        let named = Self.findings(Self.topology(agents: ["quant-analyst": #""endpoint": "tcp://analyst-host:7110", "bind": "tcp://*:7110""#]))
        #expect(!named.contains { $0.kind == .unboundEndpoint }, "\(named)")
    }

    @Test func whatAgentsRefuseAtStartUpIsReportedForTheFile() throws {
        let folder = NSTemporaryDirectory() + "hedgebus-check-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/topology.json"
        try Data(Self.topology(extra: #""heartbeat_ms": 5000"#).utf8).write(to: URL(fileURLWithPath: path))
        let found = TopologyCheck.findings(path: path)
        #expect(found.map(\.kind) == [.invalid] && found.first?.message.contains("heartbeat_ms") == true, "\(found)")
        // A missing agent is reported once, not again as the start-up error it also causes.
        try Data(Self.topology(agents: ["risk-manager": ""]).utf8).write(to: URL(fileURLWithPath: path))
        #expect(TopologyCheck.findings(path: path).map(\.kind) == [.missingAgent])
    }

    @Test func aFileAgentsWouldRefuseIsInvalidAtTheKeyThatBreaksIt() {
        let missing = Self.findings(#"{ "bus": { "publish": "tcp://127.0.0.1:7100" }, "agents": {} }"#)
        #expect(missing.map(\.path) == ["bus.subscribe"] && missing.first?.kind == .invalid, "\(missing)")
        let wrongType = Self.findings(Self.topology(extra: #""heartbeat_ms": "fast""#))
        #expect(wrongType.map(\.path) == ["heartbeat_ms"] && wrongType.first?.kind == .invalid, "\(wrongType)")
        #expect(Self.findings("not json").map(\.kind) == [.invalid])
    }

    @Test func withCurveOnEveryIdentityWithoutAPublicKeyIsReportedWhereItIsNamed() throws {
        let folder = NSTemporaryDirectory() + "hedgebus-check-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder + "/keys", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/topology.json"
        let security = #""security": { "curve": true, "keys_dir": "keys", "signal_publishers": ["operator", "strategy-1"] }"#
        try Data(Self.topology(extra: security).utf8).write(to: URL(fileURLWithPath: path))
        let identities = ["bus", "quant-analyst", "risk-manager", "execution-agent", "market-maker", "trading-director", "operator"]
        for name in identities { _ = FileManager.default.createFile(atPath: "\(folder)/keys/\(name).pub", contents: Data("key".utf8)) }
        let found = TopologyCheck.findings(path: path)
        #expect(found.map(\.kind) == [.missingKey], "\(found)")
        #expect(found.first?.path == "security.signal_publishers[1]")
        #expect(found.first?.message.contains("strategy-1") == true)
        try FileManager.default.removeItem(atPath: "\(folder)/keys/market-maker.pub")
        #expect(TopologyCheck.findings(path: path).map(\.path) == ["agents.market-maker", "security.signal_publishers[1]"])
        _ = FileManager.default.createFile(atPath: "\(folder)/keys/market-maker.pub", contents: Data("key".utf8))
        _ = FileManager.default.createFile(atPath: "\(folder)/keys/strategy-1.pub", contents: Data("key".utf8))
        #expect(TopologyCheck.findings(path: path) == [])
        // With CURVE off no key is needed.
        try Data(Self.topology(extra: #""security": { "curve": false, "keys_dir": "nowhere" }"#).utf8).write(to: URL(fileURLWithPath: path))
        #expect(TopologyCheck.findings(path: path) == [])
    }
}
