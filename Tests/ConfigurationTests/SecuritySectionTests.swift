import Configuration
import Foundation
import Testing

/// The `security` section and the access rules it configures.
@Suite struct SecuritySectionTests {
    private func load(_ security: String, extra: String = "") throws(TopologyError) -> Topology {
        try TopologyLoadingTests.load("{\(TopologyLoadingTests.bus), \(TopologyLoadingTests.agents)\(extra), \"security\": \(security)}")
    }

    @Test func withoutASectionCurveIsOffAndTheDefaultsListThePipelinesCallers() throws {
        let topology = try TopologyLoadingTests.load("{\(TopologyLoadingTests.bus), \(TopologyLoadingTests.agents)}")
        #expect(!topology.security.curve && !topology.hasSecuritySection)
        let security = topology.security
        #expect(Set(security.clients(of: "bus")) == Set(AgentName.allCases.map(\.rawValue) + ["operator"]))
        #expect(security.clients(of: "trading-director") == ["operator"])
        #expect(security.clients(of: "risk-manager") == ["trading-director", "operator"])
        #expect(Set(security.clients(of: "market-maker")) == ["risk-manager", "execution-agent", "trading-director", "operator"])
    }

    @Test func aRelativeKeysFolderIsReadFromTheTopologysFolderAndListsOverrideDefaults() throws {
        let topology = try load(#"{ "curve": true, "keys_dir": "keys", "clients": { "market-maker": ["execution-agent"] }, "signal_publishers": ["desk-trader"] }"#)
        #expect(topology.security.curve)
        #expect(topology.security.keysDir.hasPrefix("/") && topology.security.keysDir.hasSuffix("/keys"))
        #expect(topology.security.clients(of: "market-maker") == ["execution-agent"])
        #expect(topology.security.identities(agents: AgentName.allCases.map(\.rawValue)).contains("desk-trader"))
    }

    @Test func namesThatCannotBeKeysAndUnknownServersOrAccountsAreRefused() {
        #expect(throws: TopologyError.self) { try load(#"{ "curve": true, "clients": { "bsu": ["operator"] } }"#) }
        #expect(throws: TopologyError.self) { try load(#"{ "curve": true, "signal_publishers": ["../etc/passwd"] }"#) }
        #expect(throws: TopologyError.self) { try load(#"{ "curve": true, "execution_accounts": ["nobody"] }"#) }
    }

    @Test func onlyTheExecutionAgentTradesAndOnlyItsAccounts() throws {
        let topology = try load(#"{ "curve": true }"#)
        let rules = AccessRules(topology: topology)
        #expect(rules.refusal(of: "order.submit", by: "execution-agent", to: .marketMaker) == nil)
        for order in ["order.submit", "order.cancel", "order.replace"] {
            let refusal = rules.refusal(of: order, by: "trading-director", to: .marketMaker)
            #expect(refusal?.contains("trading-director") == true && refusal?.contains(order) == true)
        }
        #expect(rules.refusal(of: "inventory.get", by: "operator", to: .marketMaker) == nil)
        #expect(rules.mayTrade(account: topology.director.account))
        #expect(!rules.mayTrade(account: "someone-else"))
    }

    @Test func onlyTheDirectorExecutesAndAssessesUnlessTheVenueHedges() throws {
        let plain = AccessRules(topology: try load(#"{ "curve": true }"#))
        #expect(plain.refusal(of: "execute", by: "trading-director", to: .executionAgent) == nil)
        #expect(plain.refusal(of: "assess", by: "trading-director", to: .riskManager) == nil)
        #expect(plain.refusal(of: "execute", by: "operator", to: .executionAgent) != nil)
        #expect(plain.refusal(of: "execute", by: "market-maker", to: .executionAgent) != nil)
        #expect(plain.refusal(of: "assess", by: "operator", to: .riskManager) != nil)
        #expect(plain.refusal(of: "analyze", by: "operator", to: .quantAnalyst) == nil)

        let hedging = AccessRules(topology: try load(#"{ "curve": true }"#, extra: """
            , "accounts": [ { "name": "desk", "balances": {} }, { "name": "hedge", "balances": {} } ],
            "market": { "hedges": [ { "from": "desk", "to": "hedge" } ] }
            """))
        #expect(hedging.refusal(of: "execute", by: "market-maker", to: .executionAgent) == nil)
        #expect(hedging.mayTrade(account: "hedge"))
    }

    @Test func eachTopicHasItsPublishersAndInventoryItsReaders() throws {
        let rules = AccessRules(topology: try load(#"{ "curve": true }"#))
        #expect(rules.mayPublish("operator", topic: "signal.BTC-USD"))
        #expect(!rules.mayPublish("trading-director", topic: "signal.BTC-USD"))
        for topic in ["market.BTC-USD", "fill.BTC-USD", "inventory.BTC-USD", "account.desk", "liquidation.BTC-USD", "funding.BTC-USD"] {
            #expect(rules.mayPublish("market-maker", topic: topic))
            #expect(!rules.mayPublish("operator", topic: topic) && !rules.mayPublish("trading-director", topic: topic))
        }
        #expect(rules.mayPublish("trading-director", topic: "decision.BTC-USD"))
        #expect(!rules.mayPublish("quant-analyst", topic: "decision.BTC-USD"))
        #expect(rules.mayPublish("risk-manager", topic: "heartbeat.risk-manager"))
        #expect(!rules.mayPublish("risk-manager", topic: "heartbeat.market-maker"), "a heartbeat only under one's own name")
        // Replicas and the broker share their agent's keys and beat and trace under their own names.
        #expect(rules.mayPublish("quant-analyst", topic: "heartbeat.quant-analyst#2") && rules.mayPublish("quant-analyst", topic: "trace.quant-analyst#12"))
        #expect(rules.mayPublish("quant-analyst", topic: "heartbeat.quant-analyst-broker"))
        for forged in ["heartbeat.quant-analyst#", "heartbeat.quant-analyst#x", "heartbeat.quant-analyst-2", "heartbeat.quant-analystX", "heartbeat",
                       "heartbeat.quant-analyst-brokerX", "heartbeat.risk-manager-broker"] {
            #expect(!rules.mayPublish("quant-analyst", topic: forged), "\(forged)")
        }
        #expect(!rules.mayPublish("operator", topic: "made-up.topic"))

        #expect(rules.maySubscribe("risk-manager", prefix: "inventory.") && rules.maySubscribe("risk-manager", prefix: "account."))
        #expect(rules.maySubscribe("operator", prefix: "liquidation.") && rules.maySubscribe("operator", prefix: "funding."))
        #expect(rules.maySubscribe("operator", prefix: ""))
        #expect(rules.maySubscribe("trading-director", prefix: "market."))
        for prefix in ["", "in", "inventory.", "inventory.BTC-USD", "f", "fill.ETH-USD", "a", "account.", "account.desk",
                       "l", "liquidation.BTC-USD", "fu", "funding."] {
            #expect(!rules.maySubscribe("trading-director", prefix: prefix), "\(prefix) would deliver inventory, accounts, fills, liquidations or funding")
        }
    }

    @Test func theShippedSecureTopologyLoads() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../topology/secure.json").standardized.path
        let topology = try Topology.load(path: path)
        #expect(topology.security.curve)
        #expect(topology.security.keysDir.hasSuffix("/run/keys"))
        #expect(AccessRules(topology: topology).executionAccounts == [topology.director.account])
    }
}
