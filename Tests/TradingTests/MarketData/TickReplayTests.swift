import Testing
@testable import Trading

@Suite struct TickReplayTests {
    @Test func parsesRequiredAndOptionalColumnsInAnyOrder() throws {
        let csv = "\u{FEFF}Bid,timestamp,ask,volume,last\r\n99,1,101,5,100.5\r\n\n99.5,2,100.5,,\n"
        let ticks = try ReplayCSV.parse(csv)
        #expect(ticks == [
            ReplayTick(timestampMicros: 1, bid: 99, ask: 101, last: 100.5, volume: 5),
            ReplayTick(timestampMicros: 2, bid: 99.5, ask: 100.5),
        ])
        // A missing last is taken as the mid.
        #expect(ticks[1].quote == MarketQuote(bid: 99.5, ask: 100.5, last: 100))
    }

    @Test func timestampsAreReadInTheGivenUnit() throws {
        let ticks = try ReplayCSV.parse("timestamp,bid,ask\n1700000000.25,1,2\n1700000001,1,2", timeUnit: .seconds)
        #expect(ticks.map(\.timestampMicros) == [1_700_000_000_250_000, 1_700_000_001_000_000])
        // Whole microseconds beyond 2^53 parse exactly.
        #expect(try ReplayCSV.parse("timestamp,bid,ask\n9007199254740993,1,2").first?.timestampMicros == 9_007_199_254_740_993)
    }

    @Test(arguments: [
        ("timestamp,bid,ask\n1,99,101\n2,abc,101", "line 3: bid \"abc\" is not a finite number"),
        ("timestamp,bid,ask\n1,99,101\n2,102,101", "line 3: crossed quote: bid 102.0 is above ask 101.0"),
        ("timestamp,bid,ask\n5,99,101\n\n5,99,101", "line 4: timestamp 5 is not after the previous row's; rows must be in strictly increasing time"),
        ("timestamp,bid,ask\n1,99", "line 2: expected 3 fields as in the header, found 2"),
        ("timestamp,bid\n1,99", "line 1: header must name timestamp, bid and ask; missing ask"),
        ("timestamp,bid,ask,lats\n1,99,101,100", "line 1: unknown column \"lats\"; columns are timestamp, bid, ask and optionally last, volume"),
        ("timestamp,bid,bid,ask\n1,1,1,2", "line 1: column bid appears twice"),
        ("timestamp,bid,ask\n1,0,101", "line 2: bid must be positive, got 0"),
        ("timestamp,bid,ask\n1,nan,101", "line 2: bid \"nan\" is not a finite number"),
        ("timestamp,bid,ask,volume\n1,99,101,-3", "line 2: volume must not be negative, got -3"),
        ("timestamp,bid,ask\n", "line 1: the header is not followed by any data rows"),
        ("", "line 1: the file is empty; a header naming timestamp, bid and ask is required"),
    ])
    func badRowsAreReportedWithTheirLine(csv: String, message: String) {
        #expect {
            try ReplayCSV.parse(csv)
        } throws: { error in
            let error = error as? TradingError
            return error?.code == .invalidReplayData && error?.message == message
        }
    }

    @Test func replayYieldsOneQuotePerStepAndDrivesTheVenue() throws {
        var replay = try TickReplay(csv: "timestamp,bid,ask\n10,99,101\n20,98,99\n30,97,98")
        var venue = try quotedVenue(Balance(quote: 1_000), bid: 99, ask: 101)
        _ = venue.submit(order(.buy, 1, .limit, limit: 99, id: "b"), at: 0)
        var fillTimes: [Int64] = []
        var mids: [Double] = []
        while let quote = replay.next() {
            let time = try #require(replay.current).timestampMicros
            mids.append(quote.mid)
            fillTimes += venue.updateQuote(symbol: "BTC-USD", quote: quote, at: time).map(\.timestampMicros)
        }
        #expect(mids == [100, 98.5, 97.5] && fillTimes == [20] && replay.remaining == 0)
        #expect(Array(TickReplay(ticks: replay.ticks)).map(\.last) == [100, 98.5, 97.5])
    }
}
