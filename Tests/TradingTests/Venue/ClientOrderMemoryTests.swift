import Testing
@testable import Trading

/// The venue keeps fills and resting orders as compact records and rebuilds their results;
/// these check that what it rebuilds is the very result, byte for byte and bit for bit.
@Suite struct ClientOrderMemoryTests {
    /// Every string as bytes and every number as bits: equal only when nothing differs at all,
    /// not even the Unicode spelling of a string or the sign of a zero.
    private func exact(_ result: OrderResult) -> [[UInt64]] {
        func bytes(_ text: String) -> [UInt64] { text.utf8.map(UInt64.init) + [UInt64.max] }
        var parts = [bytes(result.orderId), bytes(result.clientOrderId), bytes(result.account), bytes(result.symbol),
                     bytes(result.side.rawValue), bytes(result.type.rawValue), bytes(result.status.rawValue),
                     [UInt64(bitPattern: result.requestedQty.raw), UInt64(bitPattern: result.filledQty.raw), result.averagePrice.map { UInt64(bitPattern: $0.raw) } ?? 1]]
        for fill in result.fills {
            parts += [bytes(fill.orderId), bytes(fill.clientOrderId), bytes(fill.account), bytes(fill.symbol),
                      bytes(fill.side.rawValue),
                      [UInt64(bitPattern: fill.price.raw), UInt64(bitPattern: fill.qty.raw), UInt64(bitPattern: fill.fee.raw), UInt64(bitPattern: fill.timestampMicros)]]
        }
        parts.append(bytes(result.rejection?.description ?? "-"))
        return parts
    }

    /// The request whose terms `result` records: a retry of it is a replay.
    private func repeating(_ result: OrderResult) -> OrderRequest {
        order(result.side, result.requestedQty, result.type, limit: result.limitPrice, symbol: result.symbol,
              account: result.account, id: result.clientOrderId)
    }

    @Test func fillsAndRestingOrdersAreRebuiltExactlyAndEverythingElseIsKeptWhole() throws {
        var venue = try quotedVenue(Balance(base: 1, quote: 10_000), bid: 99, ask: 101)
        let results = [
            venue.submit(order(.buy, 0.5, id: "m1"), at: 7),
            venue.submit(order(.sell, 0.25, id: "m2"), at: 8),
            venue.submit(order(.buy, 1, .limit, limit: 90, id: "l1"), at: 9),
            venue.submit(order(.buy, 1, .limit, limit: 102, id: "l2"), at: 10),
            venue.submit(order(.buy, 1_000, id: "too-big"), at: 11),
            venue.submit(order(.buy, 1, symbol: "DOGE-USD", id: "unlisted"), at: 12),
        ]
        #expect(results.map(\.status) == [.filled, .filled, .open, .filled, .rejected, .rejected])
        for result in results {
            let record = OrderRecord(exactly: result)
            #expect((record == nil) == (result.status == .rejected), "\(result.orderId)")
            if let record { #expect(exact(record.result) == exact(result), "\(result.orderId)") }
            // Every shape is remembered as this order's own result, and as no other order's.
            #expect(venue.remembers(orderId: result.orderId, account: result.account, clientOrderId: result.clientOrderId), "\(result.orderId)")
            for other in results where other.orderId != result.orderId {
                #expect(!venue.remembers(orderId: other.orderId, account: result.account, clientOrderId: result.clientOrderId))
            }
            let replay = venue.submit(repeating(result), at: 99)
            #expect(exact(replay) == exact(result), "\(result.orderId)")
        }
        #expect(!venue.remembers(orderId: results[0].orderId, account: "nobody", clientOrderId: results[0].clientOrderId))
        #expect(!venue.remembers(orderId: results[0].orderId, account: results[0].account, clientOrderId: "never-sent"))
        #expect(venue.ordersSubmitted == results.count)
    }

    /// Results read back from a store need not be in the venue's own shape; those that are
    /// not are kept whole, and every one replays exactly after a restore.
    @Test func restoredResultsReplayExactlyWhateverTheirShape() throws {
        var source = try quotedVenue(Balance(quote: 10_000), bid: 99, ask: 101)
        let filled = source.submit(order(.buy, 0.5, id: "f"), at: 1)
        let resting = source.submit(order(.buy, 1, .limit, limit: 90, id: "r"), at: 2)
        func variant(_ id: String, _ change: (inout OrderResult) -> Void) -> OrderResult {
            var result = filled
            result.clientOrderId = id
            result.fills = result.fills.map { var fill = $0; fill.clientOrderId = id; return fill }
            change(&result)
            return result
        }
        let odd = [
            variant("leading-zero") { $0.orderId = "O-01"; $0.fills[0].orderId = "O-01" },
            variant("plus-sign") { $0.orderId = "O-+1"; $0.fills[0].orderId = "O-+1" },
            variant("foreign-id") { $0.orderId = "ext-1"; $0.fills[0].orderId = "ext-1" },
            variant("fill-of-another-order") { $0.fills[0].orderId = "O-2" },
            // Equal by `==` (one is the canonical decomposition of the other), not byte for byte.
            variant("caf\u{E9}") { $0.fills[0].clientOrderId = "cafe\u{301}" },
            variant("part-filled") { $0.filledQty = 0.25 },
            variant("two-fills") { $0.fills.append($0.fills[0]) },
            variant("average-not-the-fill") { $0.averagePrice = 100 },
            variant("open-with-a-fill") { $0.status = .open },
        ]
        for result in odd { #expect(OrderRecord(exactly: result) == nil, "\(result.clientOrderId)") }
        var snapshot = source.snapshot()
        snapshot.rememberedResults += odd
        var restored = try makeVenue([AccountConfig(name: "desk", perSymbol: ["BTC-USD": Balance(quote: 10_000)])])
        try restored.restore(snapshot)
        #expect(restored.snapshot().rememberedResults.map(exact) == snapshot.rememberedResults.map(exact))
        for result in [filled, resting] + odd {
            let replay = restored.submit(repeating(result), at: 5)
            #expect(exact(replay) == exact(result), "\(result.clientOrderId)")
        }
        #expect(restored.ordersSubmitted == source.ordersSubmitted)
    }

    /// The venue finds an account by `==`, which equates Unicode spellings of one name; the
    /// result keeps the request's own spelling, and so does every replay of it.
    @Test func replaysKeepTheRequestsSpellingOfNames() throws {
        var venue = try makeVenue([AccountConfig(name: "caf\u{E9}", perSymbol: ["BTC-USD": Balance(quote: 1_000)])])
        _ = venue.updateQuote(symbol: "BTC-USD", quote: MarketQuote(bid: 99, ask: 101, last: 100), at: 0)
        let first = venue.submit(order(.buy, 1, account: "cafe\u{301}", id: "x"), at: 1)
        #expect(first.status == .filled && Array(first.account.utf8) == Array("cafe\u{301}".utf8))
        let replay = venue.submit(order(.buy, 1, account: "caf\u{E9}", id: "x"), at: 2)
        #expect(exact(replay) == exact(first))
        #expect(venue.rememberedResult(account: "caf\u{E9}", clientOrderId: "x").map(exact) == exact(first))
    }

    @Test func orderIdsReadBackOnlyWhenRenderedExactly() {
        // Every digit count, around each power of ten; past 13 digits an id no longer fits a
        // small string. Zero and negatives never come from the counter but still render alike.
        let powers = (0...18).map { power in (0..<power).reduce(1) { product, _ in product * 10 } }
        let numbers = Array(-3...2_000) + powers.flatMap { [$0 - 1, $0, $0 + 1] } + [Int.max - 1, Int.max, Int.min]
        for number in numbers {
            #expect(VenueOrderId.render(number) == "O-" + String(number))
            #expect(VenueOrderId.number(of: VenueOrderId.render(number)) == number)
        }
        for id in ["O-", "O-01", "O-+1", "O-1a", "o-1", "X-1", "O-1\u{301}", " O-1", "O-99999999999999999999"] {
            #expect(VenueOrderId.number(of: id) == nil, "\(id)")
        }
    }
}
