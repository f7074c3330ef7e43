import Foundation
import Trading

extension Topology {
    /// Decodes a topology file: `bus` and `agents` are required; every other key, when absent,
    /// keeps the default its property declares.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(bus: try c.decode(Bus.self, forKey: .bus), agents: try c.decode([String: Endpoint].self, forKey: .agents))
        try c.update(&heartbeatMs, .heartbeatMs)
        try c.update(&busyPollUs, .busyPollUs)
        try c.update(&ioThreadPolicy, .ioThreadPolicy)
        try c.update(&threadPolicy, .threadPolicy)
        cpus = try c.decodeIfPresent(CPUList.self, forKey: .cpus)
        try c.update(&requestTimeoutMs, .requestTimeoutMs)
        try c.update(&requestAttempts, .requestAttempts)
        try c.update(&logLevel, .logLevel)
        try c.update(&market, .market)
        try c.update(&accounts, .accounts)
        try c.update(&analyst, .analyst)
        try c.update(&risk, .risk)
        try c.update(&director, .director)
        try c.update(&security, .security)
        hasSecuritySection = c.contains(.security)
        otlp = try c.decodeIfPresent(OTLPSection.self, forKey: .otlp)
    }

    /// The longest `director.order_in_doubt_ms` a topology may ask for: an hour.
    static let longestOrderInDoubtMs = 3_600_000
    /// The longest `busy_poll_us` a topology may ask for: 100 ms.
    public static let longestBusyPollUs = 100_000

    /// Reads and checks a topology file; errors say which file and which field.
    public static func load(path: String) throws(TopologyError) -> Topology {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TopologyError("cannot read topology file '\(path)' (does it exist? pass --topology FILE)")
        }
        var topology: Topology
        do {
            topology = try JSONDecoder().decode(Topology.self, from: data)
        } catch let error as DecodingError {
            throw TopologyError("topology file '\(path)': \(Self.explain(error))")
        } catch {
            throw TopologyError("topology file '\(path)': \(error)")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        for index in topology.market.symbols.indices {
            if let replay = topology.market.symbols[index].venue.replay, !replay.hasPrefix("/") {
                topology.market.symbols[index].venue.replay = folder.appendingPathComponent(replay).standardized.path
            }
        }
        // Only a topology that has a security section uses a keys folder; others keep the default untouched.
        if topology.hasSecuritySection, !topology.security.keysDir.hasPrefix("/") {
            topology.security.keysDir = folder.appendingPathComponent(topology.security.keysDir).standardized.path
        }
        try topology.check(path: path)
        return topology
    }

    private func check(path: String) throws(TopologyError) {
        for agent in AgentName.allCases where agents[agent.rawValue] == nil {
            throw TopologyError("topology file '\(path)': no entry agents.\(agent.rawValue).endpoint")
        }
        let endpoints = [bus.publish, bus.subscribe, bus.publishBindAddress, bus.subscribeBindAddress]
            + [bus.capture, bus.captureBindAddress].compactMap { $0 } + agents.values.flatMap { [$0.endpoint, $0.bindAddress] }
        for endpoint in endpoints where !endpoint.contains("://") {
            throw TopologyError("topology file '\(path)': '\(endpoint)' is not an endpoint like tcp://127.0.0.1:7100")
        }
        guard heartbeatMs > 0, heartbeatMs <= 1_000 else {
            throw TopologyError("topology file '\(path)': heartbeat_ms must be 1…1000 (agents beat at least once a second)")
        }
        guard (0...Self.longestBusyPollUs).contains(busyPollUs) else {
            throw TopologyError("topology file '\(path)': busy_poll_us must be 0…\(Self.longestBusyPollUs) (microseconds a loop awaiting a reply polls before it sleeps; 0 sleeps at once), got \(busyPollUs)")
        }
        guard requestTimeoutMs > 0, requestAttempts > 0, market.tickMs > 0, market.inventoryMs > 0 else {
            throw TopologyError("topology file '\(path)': request_timeout_ms, request_attempts, market.tick_ms and market.inventory_ms must be positive")
        }
        // An id leaves memory only after half this many newer orders, by when its ledger batch
        // is long committed (a server handles at most 1,024 requests at once), so the ledger
        // can answer for it.
        guard market.clientOrderMemory == 0 || market.clientOrderMemory >= 4_096 else {
            throw TopologyError("topology file '\(path)': market.client_order_memory must be 0 (keep every id in memory) or at least 4096, got \(market.clientOrderMemory)")
        }
        var assets: [String: (base: Bool, quote: Bool)] = [:]
        for symbol in market.symbols {
            guard let pair = symbol.assets else {
                throw TopologyError("topology file '\(path)': symbol '\(symbol.symbol)' does not spell its assets as BASE-QUOTE; give base_asset and quote_asset")
            }
            assets[pair.base, default: (false, false)].base = true
            assets[pair.quote, default: (false, false)].quote = true
        }
        for account in accounts {
            for (asset, amount) in account.balances.sorted(by: { $0.key < $1.key }) {
                guard let roles = assets[asset] else {
                    throw TopologyError("topology file '\(path)': account '\(account.name)' holds '\(asset)', which no symbol in market.symbols trades (assets: \(assets.keys.sorted().joined(separator: ", ")))")
                }
                guard !amount.isNegative || (account.allowShort && !roles.quote) else {
                    throw TopologyError("topology file '\(path)': account '\(account.name)' has a negative \(asset) balance; only a short-enabled account's base asset may start negative")
                }
            }
        }
        let names = Set(accounts.map(\.name))
        guard names.contains(director.account) else {
            throw TopologyError("topology file '\(path)': director.account '\(director.account)' is not in accounts")
        }
        for symbol in market.symbols {
            if let quoting = symbol.venue.quoting {
                guard names.contains(quoting.account) else {
                    throw TopologyError("topology file '\(path)': market.symbols[\(symbol.symbol)].quoting.account '\(quoting.account)' is not in accounts")
                }
                guard ["symmetric", "avellaneda_stoikov"].contains(quoting.mode), quoting.intervalMs > 0 else {
                    throw TopologyError("topology file '\(path)': quoting for \(symbol.symbol) needs mode symmetric or avellaneda_stoikov and a positive interval_ms")
                }
            }
            if let replay = symbol.venue.replay, !FileManager.default.fileExists(atPath: replay) {
                throw TopologyError("topology file '\(path)': replay file '\(replay)' for \(symbol.symbol) does not exist")
            }
        }
        try checkSecurity(path: path, accounts: names)
        try checkReplicas(path: path)
        if let problem = otlp?.problem { throw TopologyError("topology file '\(path)': \(problem)") }
        if let problem = TradePlanner(limits: risk.limits).configurationIssue {
            throw TopologyError("topology file '\(path)': risk: \(problem)")
        }
        guard (0...1).contains(risk.minConfidence), risk.lotSize > 0,
              risk.assumedStopPct > 0, risk.assumedStopPct < 1, risk.feeAllowanceBps >= 0, risk.feeAllowanceBps.isFinite else {
            throw TopologyError("topology file '\(path)': risk.min_confidence must be in 0…1, risk.lot_size positive, risk.assumed_stop_pct in (0, 1) and risk.fee_allowance_bps at least 0")
        }
        // The RiskManager sizes every symbol in whole risk lots; each must be whole venue lots too.
        for symbol in market.symbols where !risk.lotSize.isMultiple(of: symbol.venue.lotSize) {
            throw TopologyError("topology file '\(path)': risk.lot_size \(risk.lotSize) is not a whole number of "
                + "\(symbol.symbol) lots of \(symbol.venue.lotSize); the venue would reject every size it approves")
        }
        guard director.snapshotMs > 0, (director.timeStopS ?? 1) > 0, director.signalTtlMs > 0, director.maxQueuedPerSymbol > 0,
              director.rememberedSignals > 0 else {
            throw TopologyError("topology file '\(path)': director.snapshot_ms, time_stop_s, signal_ttl_ms, max_queued_per_symbol and remembered_signals must be positive")
        }
        guard (0...Self.longestOrderInDoubtMs).contains(director.orderInDoubtMs) else {
            throw TopologyError("topology file '\(path)': director.order_in_doubt_ms must be 0…\(Self.longestOrderInDoubtMs) "
                + "(how long an unanswered order is sent again before its cycle fails; 0 fails at once), got \(director.orderInDoubtMs)")
        }
        for hedge in market.hedges {
            guard names.contains(hedge.from), names.contains(hedge.to), hedge.from != hedge.to, hedge.attempts > 0 else {
                throw TopologyError("topology file '\(path)': hedge \(hedge.from) → \(hedge.to) needs two different accounts from accounts and attempts > 0")
            }
        }
    }

    private func checkSecurity(path: String, accounts: Set<String>) throws(TopologyError) {
        let servers = Set([busName] + AgentName.allCases.map(\.rawValue))
        for server in security.clients.keys where !servers.contains(server) {
            throw TopologyError("topology file '\(path)': security.clients names '\(server)', which is neither the bus nor an agent")
        }
        for name in security.identities(agents: AgentName.allCases.map(\.rawValue)) {
            guard !name.isEmpty, !name.hasPrefix("."), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                throw TopologyError("topology file '\(path)': security names '\(name)', which cannot name a key file (letters, digits, '-', '_', '.')")
            }
        }
        for account in security.executionAccounts ?? [] where !accounts.contains(account) {
            throw TopologyError("topology file '\(path)': security.execution_accounts names '\(account)', which is not in accounts")
        }
    }

    private static func explain(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String { keys.map(\.stringValue).joined(separator: ".") }
        switch error {
        case let .keyNotFound(key, context): return "missing field '\(path(context.codingPath + [key]))'"
        case let .typeMismatch(_, context): return "field '\(path(context.codingPath))' has the wrong type"
        case let .valueNotFound(_, context): return "field '\(path(context.codingPath))' is null"
        case let .dataCorrupted(context): return context.codingPath.isEmpty ? "not valid JSON" : "field '\(path(context.codingPath))': \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
