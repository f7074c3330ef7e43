import Testing
@testable import Trading

/// Balances per asset: one USD balance pays for BTC-USD and ETH-USD, the funds checks apply to
/// it, and the per-pair view is derived from it.
@Suite struct VenueAssetBalanceTests {
    /// "desk" with 10,000 USD and 1 ETH, both symbols quoted (taker 10 bps).
    static func venue() throws -> SimulatedVenue {
        var venue = try makeVenue([AccountConfig(name: "desk", balances: ["USD": 10_000, "ETH": 1])])
        _ = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 59_990, ask: 60_000, last: 59_995), at: 0)
        _ = venue.updateQuote(symbol: "ETH-USD", quote: MarketQuote(bid: 2_999, ask: 3_000, last: 2_999.5), at: 0)
        return venue
    }

    @Test func oneUSDBalancePaysForEveryUSDQuotedSymbol() throws {
        var venue = try Self.venue()
        // 0.1 BTC at 60,000 = 6,000 + fee 6 → USD 10,000 − 6,006 = 3,994.
        #expect(venue.submit(order(.buy, 0.1, id: "btc"), at: 1).status == .filled)
        #expect(venue.balance(account: "desk", asset: "USD") == 3_994)
        // ETH-USD spends the same USD: 2 ETH at 3,000 = 6,000 + 6 > 3,994.
        let eth = venue.submit(order(.buy, 2, symbol: "ETH-USD", id: "eth"), at: 2)
        #expect(eth.rejection?.code == .insufficientQuote)
        #expect(eth.rejection?.message == "needs 6006 USD (cost 6000 + fee 6), account desk holds 3994 USD")
        // 1 ETH = 3,000 + 3 = 3,003 ≤ 3,994 fills, leaving 991.
        #expect(venue.submit(order(.buy, 1, symbol: "ETH-USD", id: "eth1"), at: 3).status == .filled)
        #expect(venue.balance(account: "desk", asset: "USD") == 991)
        #expect(venue.balance(account: "desk", asset: "ETH") == 2)
        #expect(venue.balance(account: "desk", asset: "BTC") == 0.1)
    }

    @Test func aRestingBuyInOneSymbolHoldsUSDBackFromTheOther() throws {
        var venue = try Self.venue()
        // A resting ETH buy of 3 at 2,000 reserves 6,000 + 3 maker fee = 6,003 of the USD.
        #expect(venue.submit(order(.buy, 3, .limit, limit: 2_000, symbol: "ETH-USD", id: "rest"), at: 1).status == .open)
        #expect(venue.available(account: "desk", symbol: "BTC-USD") == Balance(base: 0, quote: 3_997))
        // So a BTC buy of 0.1 (6,006) no longer fits in BTC-USD either.
        let btc = venue.submit(order(.buy, 0.1, id: "btc"), at: 2)
        #expect(btc.rejection?.message == "needs 6006 USD (cost 6000 + fee 6), account desk holds 3997 USD available "
            + "(10000 minus 6003 reserved by resting buys)")
        let usd = try #require(venue.assetHoldings(account: "desk")?.first { $0.asset == "USD" })
        #expect(usd == AssetHolding(asset: "USD", amount: 10_000, reserved: 6_003))
        #expect(usd.available == 3_997)
    }

    @Test func thePerPairViewIsDerivedFromTheAssetBalances() throws {
        var venue = try Self.venue()
        #expect(venue.submit(order(.sell, 0.5, symbol: "ETH-USD", id: "s"), at: 1).status == .filled)
        // 0.5 ETH at 2,999 = 1,499.5 − fee 1.4995 → USD 11,498.0005.
        let btc = try #require(venue.position(account: "desk", symbol: "BTC-USD"))
        let eth = try #require(venue.position(account: "desk", symbol: "ETH-USD"))
        #expect(btc.quote == 11_498.0005 && eth.quote == 11_498.0005)
        #expect(btc.base == 0 && eth.base == 0.5)
        #expect(venue.balance(account: "desk", symbol: "ETH-USD") == Balance(base: 0.5, quote: 11_498.0005))
        // The trading record keeps what ETH-USD's trades moved: the starting ETH it carries
        // less 0.5 sold, and the proceeds less the fee.
        let record = try #require(venue.tradingRecord(account: "desk", symbol: "ETH-USD"))
        #expect(record.base == 0.5 && record.quote == 1_498.0005)
        #expect(venue.tradingRecord(account: "desk", symbol: "BTC-USD")?.quote == 0)
        // A restored venue rebuilds the balances from the records.
        var restored = try makeVenue([AccountConfig(name: "desk", balances: ["USD": 10_000, "ETH": 1])])
        try restored.restore(venue.snapshot())
        #expect(restored.balances == venue.balances)
    }

    @Test func aRestoreRefusesBalancesThePositionsDoNotImply() throws {
        var venue = try Self.venue()
        _ = venue.submit(order(.buy, 0.1, id: "btc"), at: 1)
        var snapshot = venue.snapshot()
        let index = try #require(snapshot.balances.firstIndex { $0.asset == "USD" })
        snapshot.balances[index].amount += 1
        var restored = try makeVenue([AccountConfig(name: "desk", balances: ["USD": 10_000, "ETH": 1])])
        #expect(throws: TradingError.self) { try restored.restore(snapshot) }
        #expect(restored.balances[AssetKey(account: "desk", asset: "USD")] == 10_000, "a refused restore changes nothing")
    }

    @Test func assetsComeFromTheSymbolNameOrTheRules() throws {
        #expect(AssetPair(symbol: "BTC-USD") == AssetPair(base: "BTC", quote: "USD"))
        #expect(AssetPair(symbol: "ETH/USDC") == AssetPair(base: "ETH", quote: "USDC"))
        #expect(AssetPair(symbol: "XBTUSD") == nil)
        #expect(AssetPair(symbol: "-USD") == nil)
        let account = AccountConfig(name: "desk", balances: ["USD": 100])
        #expect(throws: TradingError.self) { try SimulatedVenue(config: VenueConfig(), accounts: [account], symbols: ["XBTUSD"]) }
        let explicit = try SimulatedVenue(config: VenueConfig(), accounts: [account], symbols: ["XBTUSD"],
                                          rules: ["XBTUSD": SymbolRules(assets: AssetPair(base: "XBT", quote: "USD"))])
        #expect(explicit.assetPair(of: "XBTUSD") == AssetPair(base: "XBT", quote: "USD"))
        #expect(explicit.assetNames == ["XBT", "USD"])
    }

    @Test func balancesMustNameATradedAssetAndNotGoNegative() throws {
        func refusal(_ account: AccountConfig) -> String? {
            do { _ = try makeVenue([account]); return nil } catch let error as TradingError { return error.message } catch { return "\(error)" }
        }
        #expect(refusal(AccountConfig(name: "desk", balances: ["EUR": 5]))?.contains("EUR, which no listed symbol trades") == true)
        #expect(refusal(AccountConfig(name: "desk", balances: ["BTC": -1]))?.contains("without allowShort") == true)
        #expect(refusal(AccountConfig(name: "desk", balances: ["USD": -1], allowShort: true))?.contains("quote asset") == true)
        #expect(refusal(AccountConfig(name: "desk", balances: ["BTC": -1], allowShort: true)) == nil)
    }
}
