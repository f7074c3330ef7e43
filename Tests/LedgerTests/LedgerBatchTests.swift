import Ledger
import Testing
import Trading
import VenueTesting

/// What `LedgerBatch.init(_:venue:since:at:)` makes of single venue calls.
@Suite struct LedgerBatchTests {
    static let touch = MarketQuote(bid: 2_999, ask: 3_001, last: 3_000)

    static func quotedVenue() throws -> SimulatedVenue {
        var venue = try VenueScript.venue()
        _ = venue.updateQuote(symbol: "ETH-USD", quote: touch, at: 1)
        return venue
    }

    static func limit(_ id: String, _ side: Side, qty: Quantity, at price: Price, account: String = "mm") -> OrderRequest {
        OrderRequest(clientOrderId: id, account: account, symbol: "ETH-USD", side: side, type: .limit, qty: qty, limitPrice: price)
    }

    @Test func eachFillOfOneQuoteCarriesTheHoldingsRightAfterIt() throws {
        var venue = try Self.quotedVenue()
        _ = venue.submit(Self.limit("a", .buy, qty: 1, at: 2_990), at: 2)
        _ = venue.submit(Self.limit("b", .buy, qty: 2, at: 2_980), at: 3)
        let mark = LedgerMark(&venue)
        let fills = venue.updateQuote(symbol: "ETH-USD", quote: MarketQuote(bid: 2_970, ask: 2_975, last: 2_972), at: 4)
        let batch = LedgerBatch(.quote(fills: fills), venue: venue, since: mark, at: 4)

        #expect(batch.events.map(\.orderId) == ["O-1", "O-2"])
        #expect(batch.events.map(\.base) == [11, 13])
        // The account's USD − (notional + maker fee): 150,000 − (2,990 + 1.495), exactly.
        let afterFirst: Money = 147_008.505
        #expect(batch.events.first?.quote == afterFirst)
        #expect(batch.events.last?.quote == venue.position(account: "mm", symbol: "ETH-USD")?.quote)
        #expect(batch.events.first?.totalValue == afterFirst + 32_890)
        #expect(batch.balances.map(\.position) == [venue.tradingRecord(account: "mm", symbol: "ETH-USD")!])
        // Every asset balance of the account is stored, USD as the fills left it.
        #expect(batch.assetBalances.map(\.asset) == ["BTC", "USD", "ETH"])
        #expect(batch.assetBalances.first { $0.asset == "USD" }?.amount == AssetAmount(raw: (venue.position(account: "mm", symbol: "ETH-USD")!.quote).raw))
        #expect(batch.balances.first?.reserved == ReservedFunds(account: "mm", symbol: "ETH-USD"))
        #expect(batch.restingRemovals == ["O-1", "O-2"])
        #expect(batch.statusChanges == [LedgerStatusChange(orderId: "O-1", status: .filled), LedgerStatusChange(orderId: "O-2", status: .filled)])
        #expect(batch.orders.isEmpty)
        #expect(batch.ordersSubmitted == nil)
    }

    @Test func aPartFillKeepsTheOrderRestingWithItsProgress() throws {
        var venue = try VenueScript.venue()
        _ = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 59_990, ask: 60_010, last: 60_000), at: 1)
        _ = venue.submit(OrderRequest(clientOrderId: "a", account: "mm", symbol: "BTC-USD", side: .buy, type: .limit, qty: 1, limitPrice: 59_900), at: 2)
        let mark = LedgerMark(&venue)
        // BTC shows 0.4 per quote: the order fills in part.
        let fills = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 59_850, ask: 59_890, last: 59_870), at: 3)
        let batch = LedgerBatch(.quote(fills: fills), venue: venue, since: mark, at: 3)
        #expect(batch.restingUpserts.map(\.filledQty) == [0.4])
        #expect(batch.restingUpserts == [venue.restingRecord(id: "O-1")!])
        #expect(batch.statusChanges == [LedgerStatusChange(orderId: "O-1", status: .partiallyFilled)])
        #expect(batch.restingRemovals.isEmpty)
    }

    @Test func aReplayedClientOrderIdGivesAnEmptyBatch() throws {
        var venue = try Self.quotedVenue()
        let request = Self.limit("a", .buy, qty: 1, at: 2_990)
        var mark = LedgerMark(&venue)
        let first = venue.submit(request, at: 2)
        let batch = LedgerBatch(.submit(request, first), venue: venue, since: mark, at: 2)
        #expect(batch.orders.map(\.isRemembered) == [true])
        #expect(batch.orders.map(\.number) == [1])
        #expect(batch.restingUpserts.map(\.orderId) == ["O-1"])
        #expect(batch.ordersSubmitted == 1)

        mark = LedgerMark(&venue)
        let again = venue.submit(request, at: 3)
        #expect(again == first)
        #expect(LedgerBatch(.submit(request, again), venue: venue, since: mark, at: 3).isEmpty)
    }

    @Test func rejectionsArePricedAtTheirLimitOrTheTouchTheyFaced() throws {
        var venue = try Self.quotedVenue()
        let requests = [
            OrderRequest(clientOrderId: "big", account: "mm", symbol: "ETH-USD", side: .buy, type: .market, qty: 1_000),
            OrderRequest(clientOrderId: "short", account: "mm", symbol: "ETH-USD", side: .sell, type: .market, qty: 1_000),
            Self.limit("off", .buy, qty: 1, at: 2_990.005),
            OrderRequest(clientOrderId: "who", account: "ghost", symbol: "ETH-USD", side: .buy, type: .market, qty: 1),
        ]
        var events: [LedgerEvent] = []
        for request in requests {
            let mark = LedgerMark(&venue)
            let result = venue.submit(request, at: 5)
            events += LedgerBatch(.submit(request, result), venue: venue, since: mark, at: 5).events
        }
        #expect(events.map(\.kind) == Array(repeating: .reject, count: 4))
        let prices: [Price?] = [3_001, 2_999, 2_990.005, 3_001]
        #expect(events.map(\.price) == prices)
        #expect(events.map(\.reasonCode) == ["insufficient_quote", "insufficient_base", "off_tick", "unknown_account"])
        #expect(events.map(\.base) == [10, 10, 10, nil])
        // The account's 150,000 USD + 10 ETH at the price each faced.
        let values: [Money?] = [180_010, 179_990, 179_900.05, nil]
        #expect(events.map(\.totalValue) == values)
        #expect(events.allSatisfy { $0.timestampMicros == 5 && $0.fee == 0 })
    }

    @Test func aRefusedReplacePutsTheOriginalBackAndRecordsTheRefusal() throws {
        var venue = try Self.quotedVenue()
        _ = venue.submit(Self.limit("a", .buy, qty: 1, at: 2_990), at: 2)
        let original = try #require(venue.restingOrder(id: "O-1"))
        let mark = LedgerMark(&venue)
        let result = venue.replace(orderId: "O-1", newQty: 100, newLimitPrice: 2_980, at: 3)
        #expect(result?.status == .rejected)
        let batch = LedgerBatch(.replace(original: original, newQty: 100, newLimitPrice: 2_980, result: result), venue: venue, since: mark, at: 3)
        #expect(batch.restingUpserts == [venue.restingRecord(id: "O-1")!])
        #expect(batch.restingRemovals.isEmpty)
        #expect(batch.orders.map(\.result.orderId) == ["O-2"])
        #expect(batch.orders.map(\.isRemembered) == [false])
        #expect(batch.orders.first?.request == Self.limit("a", .buy, qty: 100, at: 2_980))
        #expect(batch.events.map(\.price) == [2_980])
        #expect(batch.events.map(\.qty) == [100])
    }

    @Test func anAcceptedReplaceCancelsTheOriginalAndRestsTheReplacement() throws {
        var venue = try Self.quotedVenue()
        _ = venue.submit(Self.limit("a", .sell, qty: 2, at: 3_010), at: 2)
        let original = try #require(venue.restingOrder(id: "O-1"))
        let mark = LedgerMark(&venue)
        let result = venue.replace(orderId: "O-1", newLimitPrice: 3_020, at: 3)
        let batch = LedgerBatch(.replace(original: original, newQty: nil, newLimitPrice: 3_020, result: result), venue: venue, since: mark, at: 3)
        #expect(batch.restingRemovals == ["O-1"])
        #expect(batch.statusChanges == [LedgerStatusChange(orderId: "O-1", status: .cancelled)])
        #expect(batch.restingUpserts.map(\.orderId) == ["O-2"])
        #expect(batch.restingUpserts.map(\.limitPrice) == [3_020])
        #expect(batch.orders.first?.request.qty == 2)
        #expect(batch.balances.map(\.reserved) == [venue.reservedFunds(account: "mm", symbol: "ETH-USD")!])
    }

    @Test func aCancelFreesTheReservationInTheBatch() throws {
        var venue = try Self.quotedVenue()
        _ = venue.submit(Self.limit("a", .buy, qty: 1, at: 2_990), at: 2)
        var mark = LedgerMark(&venue)
        let result = venue.cancel(orderId: "O-1")
        let batch = LedgerBatch(.cancel(orderId: "O-1", result: result), venue: venue, since: mark, at: 3)
        #expect(batch.restingRemovals == ["O-1"])
        #expect(batch.statusChanges == [LedgerStatusChange(orderId: "O-1", status: .cancelled)])
        #expect(batch.balances.map(\.reserved) == [ReservedFunds(account: "mm", symbol: "ETH-USD")])
        mark = LedgerMark(&venue)
        #expect(LedgerBatch(.cancel(orderId: "O-1", result: venue.cancel(orderId: "O-1")), venue: venue, since: mark, at: 4).isEmpty)
    }
}
