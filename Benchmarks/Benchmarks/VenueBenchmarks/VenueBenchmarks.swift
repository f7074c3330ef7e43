// Throughput of the in-process simulated venue (issue 3: at least 1,000,000 orders/s on
// one core). Every benchmark handles `orderCount` orders per iteration, so
// orders/s = orderCount / wall-clock time of one iteration; `scripts/bench` turns the
// per-iteration medians into orders/s and ratios to `baseline`, measured in the same run.
//
// `scripts/bench --check` holds "market orders (unique ids)" and "market orders (no ids)" to
// the target by these names; renaming either means renaming it there too.
//
// Each iteration starts from a fresh venue (quote set, idempotency memory pre-sized) so
// iterations are alike; building it, checking the outcome and freeing it happen outside
// the measured region (startMeasurement/stopMeasurement).

import Benchmark
import Trading

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Orders per iteration; equals the `.mega` scaling factor, so `--scale` shows per-order costs.
let orderCount = BenchmarkScalingFactor.mega.rawValue

let account = "bench"
let symbol = "BTC-USD"
/// The resting quote: market orders fill here.
let calmQuote = MarketQuote(bid: 99.99, ask: 100.01, last: 100.00)
/// Ask drops to 99.90: fills the resting buys at 99.90, leaves those at 99.50.
let dipQuote = MarketQuote(bid: 99.88, ask: 99.90, last: 99.89)
/// Bid rises to 100.10: fills the resting sells at 100.10, leaves those at 100.50.
let spikeQuote = MarketQuote(bid: 100.10, ask: 100.12, last: 100.11)

/// Client order ids, built once outside every measurement. Same length class as the
/// project's own ids ("hedge-O-12-b1", "sig-…"): over 15 bytes, so heap strings.
let clientIds: [String] = (0..<orderCount).map { "client-order-\($0)" }

/// Small sizes that vary, so nothing folds to a constant; buys and sells alternate.
@inline(__always) func quantity(_ i: Int) -> Quantity { Quantity(raw: 1_000_000 + Int64(i & 7) * 100_000) }
@inline(__always) func side(_ i: Int) -> Side { i & 1 == 0 ? .buy : .sell }

/// One account with ample balances in one symbol, default fees, the calm quote set.
func makeVenue(remembering orders: Int) -> SimulatedVenue {
    let accounts = [AccountConfig(name: account, perSymbol: [symbol: Balance(base: 1_000_000_000, quote: 50_000_000_000)])]
    var venue = try! SimulatedVenue(config: VenueConfig(), accounts: accounts, symbols: [symbol])
    venue.reserveCapacity(orders: orders)
    _ = venue.updateQuote(symbol: symbol, quote: calmQuote, at: 0)
    return venue
}

/// Iterations per benchmark; `VENUE_BENCH_ITERATIONS` overrides (scripts/bench passes it on).
let iterations: Int = {
    if let text = getenv("VENUE_BENCH_ITERATIONS").map({ String(cString: $0) }), let n = Int(text), n > 0 { return n }
    return 7
}()

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal],
        warmupIterations: 1,
        scalingFactor: .mega,
        maxDuration: .seconds(60),
        maxIterations: iterations)

    // Reference: the same loop building the same requests (with client ids) and summing
    // their quantities, plus one Dictionary<Int, Int> insert per order, no venue.
    Benchmark("baseline", configuration: configuration) { benchmark in
        let ids = clientIds
        var table: [Int: Int] = [:]
        table.reserveCapacity(orderCount)
        var total = Quantity.zero
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            let request = OrderRequest(
                clientOrderId: ids[i], account: account, symbol: symbol,
                side: side(i), type: .market, qty: quantity(i))
            total += request.qty
            table[i] = i
        }
        benchmark.stopMeasurement()
        precondition(table.count == orderCount && total > 0)
        blackHole(total)
        blackHole(table)
    }

    // Market orders with a unique client id each: the idempotent path, which remembers
    // every result (pre-sized with reserveCapacity(orders:)).
    Benchmark("market orders (unique ids)", configuration: configuration) { benchmark in
        let ids = clientIds
        var venue = makeVenue(remembering: orderCount)
        var filled = 0
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            let request = OrderRequest(
                clientOrderId: ids[i], account: account, symbol: symbol,
                side: side(i), type: .market, qty: quantity(i))
            if venue.submit(request, at: Int64(i)).status == .filled { filled &+= 1 }
        }
        benchmark.stopMeasurement()
        precondition(filled == orderCount, "only \(filled) of \(orderCount) market orders filled")
        blackHole(venue)
    }

    // Market orders with an empty client id: per OrderRequest's docs that opts out of
    // idempotency, so the venue remembers nothing.
    Benchmark("market orders (no ids)", configuration: configuration) { benchmark in
        var venue = makeVenue(remembering: 0)
        var filled = 0
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            let request = OrderRequest(
                clientOrderId: "", account: account, symbol: symbol,
                side: side(i), type: .market, qty: quantity(i))
            if venue.submit(request, at: Int64(i)).status == .filled { filled &+= 1 }
        }
        benchmark.stopMeasurement()
        precondition(filled == orderCount, "only \(filled) of \(orderCount) market orders filled")
        blackHole(venue)
    }

    // Half market, half limit orders, unique client ids. In each block of 8 orders:
    // 4 market (buy, sell, buy, sell) fill at once; limit buy 99.90 and sell 100.10 rest
    // until the next quote cycle fills them; limit buy 99.50 and sell 100.50 rest and are
    // cancelled at the end of the block. Every 16 blocks (128 orders) the quote dips,
    // spikes and calms again, filling the 32 orders waiting, and once more after the loop.
    // Only the submitted orders count as orders; quote updates and cancels are extra work.
    Benchmark("mixed", configuration: configuration) { benchmark in
        let ids = clientIds
        var venue = makeVenue(remembering: orderCount)
        var immediate = 0
        var quoteFills = 0
        var cancelled = 0
        benchmark.startMeasurement()
        var i = 0
        var block = 0
        while i < orderCount {
            var cancelIds: (String, String) = ("", "")
            for k in 0..<8 {
                let n = i + k
                let request: OrderRequest
                switch k {
                case 0, 2, 4, 6:
                    request = OrderRequest(
                        clientOrderId: ids[n], account: account, symbol: symbol,
                        side: side(k >> 1), type: .market, qty: quantity(n))
                case 1: request = OrderRequest(clientOrderId: ids[n], account: account, symbol: symbol,
                                               side: .buy, type: .limit, qty: quantity(n), limitPrice: 99.90)
                case 3: request = OrderRequest(clientOrderId: ids[n], account: account, symbol: symbol,
                                               side: .sell, type: .limit, qty: quantity(n), limitPrice: 100.10)
                case 5: request = OrderRequest(clientOrderId: ids[n], account: account, symbol: symbol,
                                               side: .buy, type: .limit, qty: quantity(n), limitPrice: 99.50)
                default: request = OrderRequest(clientOrderId: ids[n], account: account, symbol: symbol,
                                                side: .sell, type: .limit, qty: quantity(n), limitPrice: 100.50)
                }
                let result = venue.submit(request, at: Int64(n))
                if result.status == .filled { immediate &+= 1 }
                if k == 5 { cancelIds.0 = result.orderId }
                if k == 7 { cancelIds.1 = result.orderId }
            }
            if venue.cancel(orderId: cancelIds.0) != nil { cancelled &+= 1 }
            if venue.cancel(orderId: cancelIds.1) != nil { cancelled &+= 1 }
            i += 8
            block += 1
            if block & 15 == 0 || i >= orderCount {
                let at = Int64(i)
                quoteFills &+= venue.updateQuote(symbol: symbol, quote: dipQuote, at: at).count
                quoteFills &+= venue.updateQuote(symbol: symbol, quote: spikeQuote, at: at).count
                quoteFills &+= venue.updateQuote(symbol: symbol, quote: calmQuote, at: at).count
            }
        }
        benchmark.stopMeasurement()
        precondition(immediate == orderCount / 2, "market fills: \(immediate)")
        precondition(quoteFills == orderCount / 4, "resting fills: \(quoteFills)")
        precondition(cancelled == orderCount / 4, "cancels: \(cancelled)")
        precondition(venue.openOrders.isEmpty)
        blackHole(venue)
    }
}
