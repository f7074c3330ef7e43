import Testing
@testable import Trading

@Suite struct AvellanedaStoikovTests {
    static let model = try! AvellanedaStoikov(riskAversion: 0.1, orderBookLiquidity: 1.5, horizon: 1)

    @Test func handComputedQuote() throws {
        // γσ²τ = 0.1 · 2² · 1 = 0.4; r = 100 − 2 · 0.4 = 99.2
        // δ = 0.4 + (2 / 0.1) · ln(1 + 0.1 / 1.5) = 0.4 + 20 · 0.0645385211 = 1.690770422
        let quote = try Self.model.quote(mid: 100, inventory: 2, volatility: 2)
        #expect(close(quote.reservationPrice, 99.2, 1e-12) && close(quote.spread, 1.690_770_422_751, 1e-12))
        #expect(close(quote.bid, 98.354_614_788_624, 1e-12) && close(quote.ask, 100.045_385_211_376, 1e-12))
    }

    @Test func inventoryMovesTheReservationPriceAgainstItself() throws {
        let flat = try Self.model.quote(mid: 100, inventory: 0, volatility: 2)
        let short = try Self.model.quote(mid: 100, inventory: -2, volatility: 2)
        #expect(flat.reservationPrice == 100 && close(short.reservationPrice, 100.8, 1e-12))
        #expect(close(flat.spread, short.spread, 1e-15))
    }

    @Test func volatilityIsTheSampleDeviationOfLogReturns() throws {
        // Returns ln 1.1 and −ln 1.1: mean 0, sample variance 2 (ln 1.1)² / 1, σ = √2 · ln 1.1.
        let sigma = try #require(AvellanedaStoikov.volatility(mids: [100, 110, 100]))
        #expect(close(sigma, 0.134_788_948_911_495, 1e-12))
        #expect(AvellanedaStoikov.volatility(mids: [100, 101]) == nil)
    }

    @Test func ladderInAvellanedaStoikovMode() throws {
        let ladder = try QuoteLadder(spread: 0.01, maxOrders: 2, quantity: 1, targetPosition: 1, maxPosition: 10,
                                     tickSize: 0.01, pricing: .avellanedaStoikov(Self.model))
        // q = position − target = 3 − 1 = 2, so level one is the hand-computed pair above,
        // bids rounded down and asks up; level two is one step (100 · 0.01) further out.
        let plan = try ladder.plan(mid: 100, position: 3, unrealizedPnl: 0, volatility: 2)
        #expect(plan.bids.map(\.price) == [98.35, 97.35] && plan.asks.map(\.price) == [100.05, 101.05])
        #expect(throws: TradingError.self) { try ladder.plan(mid: 100, position: 3, unrealizedPnl: 0) }
    }

    @Test func badParametersAreRejected() {
        for value in [0.0, -1, .nan, .infinity] {
            #expect(throws: TradingError.self) { try AvellanedaStoikov(riskAversion: value, orderBookLiquidity: 1, horizon: 1) }
            #expect(throws: TradingError.self) { try AvellanedaStoikov(riskAversion: 1, orderBookLiquidity: value, horizon: 1) }
            #expect(throws: TradingError.self) { try AvellanedaStoikov(riskAversion: 1, orderBookLiquidity: 1, horizon: value) }
        }
        #expect(throws: TradingError.self) { try Self.model.quote(mid: 0, inventory: 0, volatility: 1) }
        #expect(throws: TradingError.self) { try Self.model.quote(mid: 100, inventory: .nan, volatility: 1) }
        #expect(throws: TradingError.self) { try Self.model.quote(mid: 100, inventory: 0, volatility: -1) }
    }
}
