import Foundation
import Testing
import Trading
@testable import WireFormat
@testable import WireProtocol

/// The hand-written forms of the analysis, assessment, inventory and market payloads write the
/// `Codable` path's bytes and read back its values, for samples and for seeded random values.
extension FastEnvelopeEncodingTests {
    @Test func cyclePayloadSamplesMatchTheCodablePathByteForByte() throws {
        try expectSameBytes(SamplePayloads.envelope("analyze", AnalyzeRequest(symbol: "BTC-USD", side: .buy)))
        try expectSameBytes(SamplePayloads.envelope("analyze.ok", SamplePayloads.analysis, parent: "m-0"))
        try expectSameBytes(SamplePayloads.envelope("analyze.ok", AnalysisReport(symbol: "ETH-USD", direction: .flat, confidence: 0,
                                                                                 sampleCount: 0, thesis: "")))
        try expectSameBytes(SamplePayloads.envelope("analyze.ok", AnalysisReport(symbol: "ETH-USD", direction: .flat, confidence: 0,
                                                                                 sampleCount: 0, thesis: "", holdsUntilTick: true)))
        try expectSameBytes(SamplePayloads.envelope("assess", AssessRequest(symbol: "BTC-USD", side: .sell, account: "desk",
                                                                            signalConfidence: 0.8, analysis: SamplePayloads.analysis)))
        try expectSameBytes(SamplePayloads.envelope("inventory.get", InventoryQuery(symbol: "BTC-USD", account: nil)))
        try expectSameBytes(SamplePayloads.envelope("inventory.get", InventoryQuery()))
        try expectSameBytes(SamplePayloads.envelope("inventory.BTC-USD", InventorySnapshot(positions: [])))
        try expectSameBytes(SamplePayloads.envelope("tick", MarketTick(symbol: "BTC-USD", bid: 60012, ask: 60013.5, last: 60012.75)))
    }

    @Test(arguments: [11, 12, 13, 14, 15, 16] as [UInt64])
    func seededRandomCyclePayloadsMatchTheCodablePathByteForByte(seed: UInt64) throws {
        var random = RandomPayloads(seed: seed)
        var prewritten = 0
        defer { #expect(prewritten > 20, "requests whose analysis was written beforehand") }
        for _ in 0 ..< 40 {
            try expectSameBytes(random.envelope(AnalyzeRequest(symbol: random.string(), side: random.pick(Side.self))))
            try expectSameBytes(random.envelope(random.analysis()))
            try expectSameBytes(random.envelope(AssessRequest(symbol: random.string(), side: random.pick(Side.self), account: random.string(),
                                                              signalConfidence: random.double(), analysis: random.analysis(),
                                                              afterVersion: random.optionalVersion(), venueEpoch: random.optionalString())))
            // The director's request: its analysis written once beforehand, the same bytes.
            var ask = AssessRequest(symbol: random.string(), side: random.pick(Side.self), account: random.string(),
                                    signalConfidence: random.double(), analysis: random.analysis())
            if ask.writeAnalysis() != nil { prewritten += 1 }
            try expectSameBytes(random.envelope(ask))
            try expectSameBytes(random.envelope(InventoryQuery(symbol: random.optionalString(), account: random.optionalString())))
            try expectSameBytes(random.envelope(InventorySnapshot(positions: (0 ..< Int.random(in: 0 ... 4, using: &random.generator))
                .map { _ in random.position() })))
            try expectSameBytes(random.envelope(InventorySnapshot(
                positions: (0 ..< Int.random(in: 0 ... 3, using: &random.generator)).map { _ in random.position() },
                accounts: (0 ..< Int.random(in: 0 ... 3, using: &random.generator)).map { _ in random.account() },
                venueEpoch: random.optionalString())))
            try expectSameBytes(random.envelope(MarketTick(symbol: random.string(), bid: random.double(), ask: random.double(),
                                                           last: random.double())))
        }
    }

    /// An analysis written beforehand is the request's value no more than its encoding: it
    /// compares equal, and is dropped when the analysis changes, so the bytes never go stale.
    @Test func anAnalysisWrittenBeforehandIsDroppedWhenTheAnalysisChanges() throws {
        let plain = AssessRequest(symbol: "BTC-USD", side: .buy, account: "desk", signalConfidence: 0.8, analysis: SamplePayloads.analysis)
        var ask = plain
        let written = ask.writeAnalysis()
        let json = try #require(written)
        #expect(ask.writtenAnalysis.json == json && ask == plain && ask.hashValue == plain.hashValue)
        let codec = JSONEnvelopeCodec()
        #expect(try codec.encode(SamplePayloads.envelope("assess", ask)) == (try codec.encode(SamplePayloads.envelope("assess", plain))))
        ask.analysis.confidence = 0.25
        #expect(ask.writtenAnalysis.json == nil)
        var changed = plain
        changed.analysis.confidence = 0.25
        #expect(try codec.encode(SamplePayloads.envelope("assess", ask)) == (try codec.encode(SamplePayloads.envelope("assess", changed))))
    }

    /// An `account.<name>` event and an `inventory.get` answer carry balances, margin books
    /// (with liquidation prices by symbol) and versions: the fast path writes and reads them.
    @Test func snapshotsWithAccountsMatchTheCodablePathByteForByte() throws {
        let balance = AssetBalancePayload(asset: "USD", amount: 100, reserved: 1, available: 99)
        let margin = MarginPayload(collateralAsset: "USD", maxLeverage: 3, equity: 100_250.5, marginUsed: 2_000, availableMargin: 98_250.5,
                                   maintenanceMargin: 500, liquidationPrices: ["ETH-USD": 1_200.25, "BTC-USD": 41_000, "é": 1])
        let row = PositionPayload(account: "desk", symbol: "BTC-USD", base: 0.1, quote: 94_000, avgEntryPrice: 60_000, realizedPnl: 0,
                                  unrealizedPnl: 12.5, fees: 3, mark: 60_125)
        try expectSameBytes(SamplePayloads.envelope("account", InventorySnapshot(
            positions: [row], accounts: [AccountPayload(account: "desk", balances: [balance], margins: [margin], version: 42)],
            venueEpoch: "00a1b2c3d4e5f607")))
        var report = SamplePayloads.report
        report.venueEpoch = "00a1b2c3d4e5f607"
        report.accountVersion = 42
        try expectSameBytes(SamplePayloads.envelope("order.submit.ok", report))
        try expectSameBytes(SamplePayloads.envelope("assess", AssessRequest(symbol: "BTC-USD", side: .buy, account: "desk", signalConfidence: 0.8,
                                                                            analysis: SamplePayloads.analysis, afterVersion: 42,
                                                                            venueEpoch: "00a1b2c3d4e5f607")))
        try expectSameBytes(SamplePayloads.envelope("inventory.get.ok", InventorySnapshot(positions: [], accounts: [
            AccountPayload(account: "desk", balances: [balance]), AccountPayload(account: "m", balances: [], margin: margin, version: 0)])))
        try expectSameBytes(SamplePayloads.envelope("account", InventorySnapshot(positions: [], accounts: [
            AccountPayload(account: "flat", balances: [balance], margin: MarginPayload(
                collateralAsset: "USD", maxLeverage: 1, equity: 0, marginUsed: 0, availableMargin: 0, maintenanceMargin: 0, liquidationPrices: [:]))])))
    }

    /// Inputs the `Codable` path refuses or reads differently are left to it, with the same outcome.
    @Test func malformedCyclePayloadsGetTheCodablePathsOutcome() throws {
        let header = #""id":"m-1","parent_id":null,"source":"s","trace_id":"\#(SamplePayloads.traceId)","ts":1,"type":"t","v":1"#
        func doc(_ payload: String) -> Data { Data("{\(header),\"payload\":\(payload)}".utf8) }
        let ticks = [#"{"ask":1,"bid":2,"last":1,"symbol":"X"}"#, #"{"ask":"1","bid":1,"last":1,"symbol":"X"}"#,
                     #"{"ask":1,"bid":1,"symbol":"X"}"#, #"{"ask":1e999,"bid":1,"last":1,"symbol":"X"}"#,
                     #"{"ask":1,"bid":1,"last":1,"symbol":"X","extra":[1]}"#]
        for tick in ticks {
            #expect(FastCodingSupport.decoded(MarketTick.self, doc(tick)) == FastCodingSupport.decodedWithCodable(MarketTick.self, doc(tick)))
        }
        let rows = [#"{"positions":[{"account":"a","avg_entry_price":1,"base":0.5,"fees":0,"quote":1,"realized_pnl":0,"symbol":"X","unrealized_pnl":0,"over_limit":null}]}"#,
                    #"{"positions":[{"account":"a","avg_entry_price":1,"base":0.5,"fees":0,"quote":1,"realized_pnl":0,"symbol":"X","unrealized_pnl":0,"over_limit":1}]}"#,
                    #"{"positions":[{"account":"a","avg_entry_price":1,"base":1e-9,"fees":0,"quote":1,"realized_pnl":0,"symbol":"X","unrealized_pnl":0}]}"#,
                    #"{"positions":[],"accounts":null}"#, #"{"positions":null}"#, #"{"accounts":[]}"#,
                    #"{"positions":[],"accounts":[{"account":"a","balances":[],"version":-1}]}"#,
                    #"{"positions":[],"accounts":[{"account":"a","balances":[],"version":1.5}]}"#,
                    #"{"positions":[],"accounts":[{"account":"a","balances":[],"version":null}],"venue_epoch":null}"#,
                    #"{"positions":[],"accounts":[{"account":"a"}]}"#,
                    #"{"positions":[],"accounts":[{"account":"a","balances":[{"amount":1,"asset":"USD","available":1}]}]}"#,
                    #"{"positions":[],"accounts":[{"account":"a","balances":[{"amount":"1","asset":"USD","available":1,"reserved":0}]}]}"#,
                    #"{"positions":[],"accounts":[{"account":"a","balances":[],"margin":{"available_margin":1,"collateral_asset":"USD","equity":1,"liquidation_prices":{"X":1,"X":2},"maintenance_margin":0,"margin_used":0,"max_leverage":2}}]}"#,
                    #"{"positions":[],"accounts":[{"account":"a","balances":[],"margin":{"available_margin":1,"collateral_asset":"USD","equity":1,"liquidation_prices":{"X":"1"},"maintenance_margin":0,"margin_used":0,"max_leverage":2}}]}"#,
                    #"{"positions":[],"accounts":[{"account":"a","balances":[],"margin":{"available_margin":1,"collateral_asset":"USD","equity":1,"liquidation_prices":{"\u0058":1},"maintenance_margin":0,"margin_used":0,"max_leverage":2}}]}"#,
                    #"{"positions":[],"accounts":[{"account":"a","balances":[],"margins":[{"available_margin":1,"collateral_asset":"USD","equity":1,"liquidation_prices":[],"maintenance_margin":0,"margin_used":0,"max_leverage":2}]}]}"#,
                    #"{"positions":[],"accounts":[{"account":"a","balances":[],"margins":[{"available_margin":1,"collateral_asset":"USD","equity":1,"liquidation_prices":{},"maintenance_margin":0,"margin_used":0,"max_leverage":2.5}]}]}"#]
        for row in rows {
            #expect(FastCodingSupport.decoded(InventorySnapshot.self, doc(row)) == FastCodingSupport.decodedWithCodable(InventorySnapshot.self, doc(row)))
        }
        let report = #"{"account":"a","client_order_id":"c","filled_qty":0,"fills":[],"order_id":"O-1","qty":1,"side":"buy","status":"open","symbol":"X","type":"limit"VERSIONS}"#
        for versions in [#","account_version":7,"venue_epoch":"e""#, #","account_version":-1"#, #","account_version":"7""#,
                         #","account_version":1e2"#, #","venue_epoch":5"#, #","account_version":null,"venue_epoch":null"#] {
            let body = doc(report.replacingOccurrences(of: "VERSIONS", with: versions))
            #expect(FastCodingSupport.decoded(OrderReport.self, body) == FastCodingSupport.decodedWithCodable(OrderReport.self, body))
        }
        let assess = #"{"account":"a","analysis":{"confidence":0.5,"direction":"long","sample_count":1,"symbol":"X","technical_score":0,"thesis":"","trend_strength":0},"side":"buy","signal_confidence":0.5,"symbol":"X"VERSIONS}"#
        for versions in [#","after_version":3,"venue_epoch":"e""#, #","after_version":-3"#, #","after_version":"3""#, #","venue_epoch":[]"#] {
            let body = doc(assess.replacingOccurrences(of: "VERSIONS", with: versions))
            #expect(FastCodingSupport.decoded(AssessRequest.self, body) == FastCodingSupport.decodedWithCodable(AssessRequest.self, body))
        }
        let analyses = [#"{"confidence":0.5,"direction":"up","sample_count":1,"symbol":"X","technical_score":0,"thesis":"","trend_strength":0}"#,
                        #"{"confidence":0.5,"direction":"long","sample_count":1.5,"symbol":"X","technical_score":0,"thesis":"","trend_strength":0}"#,
                        #"{"confidence":2,"direction":"long","sample_count":1,"symbol":"X","technical_score":0,"thesis":"","trend_strength":0}"#,
                        #"{"confidence":0.5,"direction":"long","sample_count":1,"symbol":"X","technical_score":0,"thesis":"","trend_strength":0,"key_levels":{"support":1}}"#]
        for analysis in analyses {
            #expect(FastCodingSupport.decoded(AnalysisReport.self, doc(analysis)) == FastCodingSupport.decodedWithCodable(AnalysisReport.self, doc(analysis)))
        }
    }
}

extension RandomPayloads {
    mutating func analysis() -> AnalysisReport {
        AnalysisReport(symbol: string(), direction: pick(Direction.self), confidence: double(), technicalScore: double(),
                       trendStrength: double(), sampleCount: Int.random(in: -5 ... 100_000, using: &generator), fastEma: optionalDouble(),
                       slowEma: optionalDouble(), rsi: optionalDouble(), atr: optionalDouble(), momentumZ: optionalDouble(),
                       volatility: optionalDouble(),
                       keyLevels: Bool.random(using: &generator) ? KeyLevelsPayload(support: double(), resistance: double()) : nil,
                       lastPrice: optionalDouble(), thesis: string(),
                       holdsUntilTick: Bool.random(using: &generator) ? Bool.random(using: &generator) : nil)
    }

    mutating func optionalVersion() -> UInt64? {
        Bool.random(using: &generator) ? UInt64.random(in: 0 ... .max, using: &generator) >> UInt64.random(in: 0 ... 63, using: &generator) : nil
    }

    mutating func margin() -> MarginPayload {
        MarginPayload(collateralAsset: string(), maxLeverage: Int.random(in: -10 ... 100, using: &generator), equity: decimal(),
                      marginUsed: decimal(), availableMargin: decimal(), maintenanceMargin: decimal(),
                      liquidationPrices: Dictionary((0 ..< Int.random(in: 0 ... 4, using: &generator)).map { _ in (string(), decimal()) }) { first, _ in first })
    }

    /// Margin books as any sender might set them, and a third of the time as the venue does for
    /// an account with one quote asset: the same book in `margin` and as the one of `margins`.
    mutating func account() -> AccountPayload {
        let balances = (0 ..< Int.random(in: 0 ... 3, using: &generator)).map { _ in
            AssetBalancePayload(asset: string(), amount: decimal(), reserved: decimal(), available: decimal())
        }
        if Int.random(in: 0 ..< 3, using: &generator) == 0 {
            let book = margin()
            return AccountPayload(account: string(), balances: balances, margin: book, margins: [book], version: optionalVersion())
        }
        return AccountPayload(account: string(), balances: balances,
                              margin: Bool.random(using: &generator) ? margin() : nil,
                              margins: Bool.random(using: &generator) ? (0 ..< Int.random(in: 0 ... 2, using: &generator)).map { _ in margin() } : nil,
                              version: optionalVersion())
    }

    mutating func position() -> PositionPayload {
        var row = PositionPayload(account: string(), symbol: string(), base: decimal(), quote: decimal(), avgEntryPrice: decimal(),
                                  realizedPnl: decimal(), unrealizedPnl: decimal(), fees: decimal(), mark: optionalDecimal())
        row.baseAsset = optionalString()
        row.quoteAsset = optionalString()
        row.pendingBuy = optionalDecimal()
        row.pendingSell = optionalDecimal()
        row.effectiveInventory = optionalDecimal()
        row.maxInventory = optionalDecimal()
        row.overLimit = Bool.random(using: &generator) ? Bool.random(using: &generator) : nil
        row.hedgeSuggestion = optionalString()
        return row
    }
}

extension FastEnvelopeEncodingTests {
    @Test(arguments: [21, 22, 23] as [UInt64])
    func seededRandomTraceEventsMatchTheCodablePathByteForByte(seed: UInt64) throws {
        try expectSameBytes(SamplePayloads.envelope("trace.risk-manager", TraceEventPayload(
            role: "server", requestType: "assess", requestId: "r-1", requestParentId: "s-1", replyId: "r-2", peer: "trading-director",
            startUs: 1_700_000_000_000_000, endUs: 1_700_000_000_000_710, outcome: "ok", attempts: 1, detail: nil)))
        var random = RandomPayloads(seed: seed)
        for _ in 0 ..< 40 {
            try expectSameBytes(random.envelope(TraceEventPayload(
                role: random.string(), requestType: random.string(), requestId: random.string(), requestParentId: random.optionalString(),
                replyId: random.optionalString(), peer: random.string(), startUs: Int64.random(in: .min ... .max, using: &random.generator),
                endUs: Int64.random(in: .min ... .max, using: &random.generator), outcome: random.string(),
                attempts: Int.random(in: .min ... .max, using: &random.generator), detail: random.optionalString())))
        }
    }
}

extension FastEnvelopeEncodingTests {
    @Test func verdictAndDecisionSamplesMatchTheCodablePathByteForByte() throws {
        try expectSameBytes(SamplePayloads.envelope("assess.ok", SamplePayloads.verdict, parent: "m-0"))
        try expectSameBytes(SamplePayloads.envelope("decision", DecisionPayload(
            signalId: "s-1", symbol: "BTC-USD", side: .buy, outcome: .filled, reason: "filled", stage: "done", orderId: "O-1",
            filledQty: 0.25, avgPrice: 60012.5, analysis: SamplePayloads.analysis, risk: SamplePayloads.verdict,
            fills: [SamplePayloads.fill, SamplePayloads.fill], exit: SamplePayloads.exit, latencyUs: 1234, queuedUs: 56)))
        try expectSameBytes(SamplePayloads.envelope("decision", DecisionPayload(
            signalId: "s-2", symbol: "BTC-USD", side: .sell, outcome: .failed, reason: "timeout", stage: "analyze", latencyUs: 5)))
    }

    @Test(arguments: [31, 32, 33, 34] as [UInt64])
    func seededRandomVerdictsAndDecisionsMatchTheCodablePathByteForByte(seed: UInt64) throws {
        var random = RandomPayloads(seed: seed)
        for _ in 0 ..< 30 {
            try expectSameBytes(random.envelope(random.verdict()))
            try expectSameBytes(random.envelope(random.decision()))
        }
    }
}

extension RandomPayloads {
    mutating func strings() -> [String] { (0 ..< Int.random(in: 0 ... 3, using: &generator)).map { _ in string() } }

    mutating func plan() -> RiskPlanPayload {
        RiskPlanPayload(stopPrice: decimal(), targets: (0 ..< Int.random(in: 0 ... 3, using: &generator)).map { _ in
                            PlanTargetPayload(riskReward: double(), fraction: double(), price: decimal(), qty: decimal()) },
                        leverage: Int.random(in: -10 ... 125, using: &generator), riskAmount: decimal(), riskPct: double(), sizedBy: string(),
                        margin: decimal(), capital: decimal(), exposureAfter: double(), heatAfter: double(), marginUsageAfter: double(),
                        warnings: strings(), assumedStops: strings())
    }

    mutating func verdict() -> RiskVerdict {
        RiskVerdict(symbol: string(), side: pick(Side.self), approved: Bool.random(using: &generator), qty: decimal(), price: decimal(),
                    notional: decimal(), reason: string(), limit: optionalString(), observed: optionalDouble(), allowed: optionalDouble(),
                    plan: Bool.random(using: &generator) ? plan() : nil)
    }

    mutating func decision() -> DecisionPayload {
        let exit = Bool.random(using: &generator) ? ExitPayload(
            openingSignalId: string(), openingTraceId: string(), symbol: string(), reason: string(), side: pick(Side.self), qty: decimal(),
            triggerPrice: decimal(), observedPrice: decimal(),
            targetIndex: Bool.random(using: &generator) ? Int.random(in: -3 ... 9, using: &generator) : nil,
            remainingAfter: decimal()) : nil
        return DecisionPayload(
            signalId: string(), symbol: string(), side: pick(Side.self),
            outcome: [DecisionOutcome.filled, .rejected, .failed].randomElement(using: &generator)!, reason: string(), stage: string(),
            orderId: optionalString(), filledQty: optionalDecimal(), avgPrice: optionalDecimal(),
            analysis: Bool.random(using: &generator) ? analysis() : nil, risk: Bool.random(using: &generator) ? verdict() : nil,
            fills: Bool.random(using: &generator) ? (0 ..< Int.random(in: 0 ... 2, using: &generator)).map { _ in fill() } : nil,
            exit: exit, latencyUs: Int64.random(in: .min ... .max, using: &generator),
            queuedUs: Bool.random(using: &generator) ? Int64.random(in: 0 ... 1_000_000, using: &generator) : nil)
    }
}
