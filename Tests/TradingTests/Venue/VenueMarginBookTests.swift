import Testing
@testable import Trading

/// Every short-enabled account is a margin account: without `max_leverage` it is fully
/// collateralised (leverage 1), and an account trading symbols quoted in several assets has
/// one margin book per quote asset. Taker fee 10 bps, no slippage, maintenance 50 bps; every
/// number is worked by hand.
@Suite struct VenueMarginBookTests {
    @Test func aShortEnabledAccountWithoutLeverageCannotShortMoreThanItsCollateralCovers() throws {
        // 10,000 USD, allow_short, no margin terms: leverage 1. BTC-USD 59,990 / 60,010 (mid 60,000).
        var venue = try makeVenue([AccountConfig(name: "wild", balances: ["USD": 10_000], allowShort: true)])
        _ = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 59_990, ask: 60_010, last: 60_000), at: 0)
        #expect(venue.margin(account: "wild")?.maxLeverage == 1)
        // The issue's example: 1,000,000 BTC against 10,000 USD is refused, nothing moves.
        let huge = venue.submit(order(.sell, 1_000_000, account: "wild", id: "huge"), at: 1)
        #expect(huge.rejection?.code == .insufficientMargin)
        // Sell 0.2 at 59,990: 11,998 in, fee 11.998; USD 21,986.002, equity 21,986.002 − 12,000 =
        // 9,986.002 < margin 0.2 × 60,000 / 1 = 12,000. Required 12,000 + 13.998 (fee 11.998 and
        // 2 below the mark), available 10,000.
        let over = venue.submit(order(.sell, 0.2, account: "wild", id: "over"), at: 2)
        #expect(over.rejection?.code == .insufficientMargin)
        #expect(over.rejection?.message.hasSuffix("required 12013.998, available 10000") == true, "\(over.rejection?.message ?? "")")
        #expect(venue.balance(account: "wild", asset: "USD") == 10_000 && venue.position(account: "wild", symbol: "BTC-USD")?.base == 0)
        // Sell 0.16: 9,598.4 in, fee 9.5984; USD 19,588.8016, equity 9,988.8016 ≥ margin 9,600: fills.
        #expect(venue.submit(order(.sell, 0.16, account: "wild", id: "fits"), at: 3).status == .filled)
        let state = try #require(venue.margin(account: "wild"))
        #expect(state.equity == 9_988.8016 && state.marginUsed == 9_600 && state.availableMargin == 388.8016)
        // One book: both figures, each the same as asked apart.
        let books = venue.marginBooks(account: "wild")
        #expect(books.margin == state && books.margins == [state])
        // Maintenance 9,600 × 0.5 % = 48; liquidated where 19,588.8016 − 0.16p = 0.16p × 0.5 %:
        // p = 19,588.8016 / (0.16 × 1.005) = 121,820.90547263 (to 10⁻⁸).
        #expect(state.maintenanceMargin == 48 && state.liquidationPrices == ["BTC-USD": 121_820.905_472_63])
        // Maintenance applies as to any margin account: at mid 121,900 equity 19,588.8016 −
        // 19,504 = 84.8016 < maintenance 97.52, and the venue buys the 0.16 back.
        _ = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 121_890, ask: 121_910, last: 121_900), at: 4)
        let next = venue.liquidateNext(at: 4)
        let liquidation = try #require(next)
        #expect(liquidation.before.equity == 84.8016 && liquidation.before.maintenanceMargin == 97.52)
        #expect(liquidation.result.side == .buy && liquidation.result.filledQty == 0.16)
    }

    @Test func aTwoQuoteAccountIsMarginedPerQuoteAsset() throws {
        // 10,000 USD and 3,000 EUR at 5x; BTC-USD 59,990 / 60,010, ETH-EUR 2,999 / 3,001 (mid 3,000).
        let perp = AccountConfig(name: "perp", balances: ["USD": 10_000, "EUR": 3_000], allowShort: true,
                                 margin: MarginTerms(maxLeverage: 5, maintenanceBps: 50))
        var venue = try makeVenue([perp], symbols: ["BTC-USD", "ETH-EUR"])
        _ = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 59_990, ask: 60_010, last: 60_000), at: 0)
        _ = venue.updateQuote(symbol: "ETH-EUR", quote: MarketQuote(bid: 2_999, ask: 3_001, last: 3_000), at: 0)
        #expect(venue.margin(account: "perp") == nil, "two books: no single figure")
        #expect(venue.margins(account: "perp").map(\.collateralAsset) == ["USD", "EUR"])
        // Short 0.8 BTC: USD 57,944.008, USD book equity 9,944.008, margin used 9,600.
        #expect(venue.submit(order(.sell, 0.8, account: "perp", id: "btc"), at: 1).status == .filled)
        let usd = try #require(venue.margin(account: "perp", collateral: "USD"))
        #expect(usd.equity == 9_944.008 && usd.marginUsed == 9_600)
        let eur = try #require(venue.margin(account: "perp", collateral: "EUR"))
        #expect(eur.equity == 3_000 && eur.marginUsed == 0, "the EUR book does not see the BTC short")
        // Sell 5 ETH at 2,999: 14,995 in, fee 14.995; EUR 17,980.005, equity 2,980.005 < margin
        // 15,000 / 5 = 3,000. The USD book's 344.008 available cannot help: required 3,000 +
        // 19.995, available 3,000 EUR.
        let over = venue.submit(order(.sell, 5, symbol: "ETH-EUR", account: "perp", id: "eth-over"), at: 2)
        #expect(over.rejection?.code == .insufficientMargin)
        #expect(over.rejection?.message.contains("EUR") == true && over.rejection?.message.hasSuffix("required 3019.995, available 3000") == true,
                "\(over.rejection?.message ?? "")")
        // Sell 4: 11,996 in, fee 11.996; EUR 14,984.004, equity 2,984.004 ≥ margin 2,400.
        #expect(venue.submit(order(.sell, 4, symbol: "ETH-EUR", account: "perp", id: "eth"), at: 3).status == .filled)
        #expect(venue.margin(account: "perp", collateral: "EUR")?.availableMargin == 584.004)
        #expect(venue.margin(account: "perp", collateral: "USD") == usd, "the USD book does not see the ETH short")
        let books = venue.marginBooks(account: "perp")
        let eurNow = try #require(venue.margin(account: "perp", collateral: "EUR"))
        #expect(books.margin == nil && books.margins == [usd, eurNow])
        #expect(venue.marginBooks(account: "nobody").margin == nil && venue.marginBooks(account: "nobody").margins.isEmpty)
        // ETH-EUR at mid 3,730: EUR equity 14,984.004 − 14,920 = 64.004 < maintenance 74.60. Only
        // the EUR book is liquidated: buy 4 at 3,731 = 14,924, fee 14.924; EUR 45.08.
        _ = venue.updateQuote(symbol: "ETH-EUR", quote: MarketQuote(bid: 3_729, ask: 3_731, last: 3_730), at: 4)
        let next = venue.liquidateNext(at: 4)
        let liquidation = try #require(next)
        #expect(liquidation.before.collateralAsset == "EUR" && liquidation.before.equity == 64.004 && liquidation.before.maintenanceMargin == 74.6)
        #expect(liquidation.result.symbol == "ETH-EUR" && liquidation.result.filledQty == 4)
        #expect(venue.balance(account: "perp", asset: "EUR") == 45.08)
        #expect(venue.liquidateNext(at: 4) == nil, "the USD book is not underwater")
        #expect(venue.position(account: "perp", symbol: "BTC-USD")?.base == -0.8 && venue.balance(account: "perp", asset: "USD") == 57_944.008)
    }

    @Test func anAssetThatIsBothAQuoteAndABaseIsRefusedForShortEnabledAccounts() throws {
        // BTC is the quote of ETH-BTC and the base of BTC-USD: one balance cannot be both a book's
        // collateral and another book's position.
        let symbols = ["BTC-USD", "ETH-BTC"]
        #expect(throws: TradingError.self) {
            try makeVenue([AccountConfig(name: "wild", balances: ["USD": 1], allowShort: true)], symbols: symbols)
        }
        #expect((try? makeVenue([AccountConfig(name: "spot", balances: ["USD": 1])], symbols: symbols)) != nil)
    }
}
