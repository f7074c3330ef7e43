import Agents
import Configuration
import Foundation
import Logging
import Synchronization
import Trading
import WireFormat
import WireProtocol

/// The QuantAnalyst's and the RiskManager's own work per request, without the wire, as a
/// filled cycle of the bench asks for it: for the analyst an `analyze`, one in `ticksEvery`
/// after a tick's price, which makes its symbol's reading again (the bench's 8 symbols tick 80
/// times a second against 1,000–2,000 requests); for the RiskManager an `account.desk` event at
/// the next version then an `assess` asking for that version, so the account comes from the
/// event, as in a bench run. Alternating buys and sells on eight symbols; logging off; a
/// publisher that keeps nothing.
///
/// The MarketMaker's probe (`runVenue`) is described where it is defined.
///
/// Counted like the director probe: run it for two counts under callgrind and take the
/// difference (see docs/PERFORMANCE.md). Prints µs per request (median).
enum AgentLogicProbe {
    static let epoch = "00000000000000a1"
    /// Analyze requests per tick.
    static let ticksEvery = 16

    static func runAnalyst(count: Int) {
        let analyst = QuantAnalyst(settings: AnalystSection(), publisher: NullPublisher(), logger: ProbeLogging.logger("quant-analyst"))
        let symbols = DirectorProbe.symbols
        // A full window for every symbol, as in a topology that has run for a minute.
        for tick in 0..<AnalystSection().window {
            for symbol in symbols { analyst.record(symbol: symbol, price: 100 + Double(tick % 23) * 0.25) }
        }
        var micros: [UInt64] = []
        micros.reserveCapacity(count)
        for index in 0..<count {
            let symbol = symbols[index % symbols.count]
            let request = Envelope.make(type: AnalyzeRequest.requestType, source: "probe", trace: .root(),
                                        payload: AnalyzeRequest(symbol: symbol, side: index.isMultiple(of: 2) ? .buy : .sell))
            let start = nanos()
            if index.isMultiple(of: ticksEvery) {
                analyst.record(symbol: symbols[(index / ticksEvery) % symbols.count], price: 100 + Double(index % 17) * 0.25)
            }
            let report = analyst.analyze(request)
            micros.append(nanos() - start)
            precondition(report.symbol == symbol, "the analysis named another symbol")
        }
        emit("quant-analyst: analyze, a tick before one in \(ticksEvery) (no wire)", StoreProbeSupport.medianMicros(micros), "µs")
    }

    static func runRisk(count: Int, held: Bool) async {
        let symbols = DirectorProbe.symbols
        let risk = RiskManager(settings: RiskSection(), accounts: [AccountSection()], listed: symbols,
                               quoteAssets: Dictionary(uniqueKeysWithValues: symbols.map { ($0, "USD") }), venue: NoVenue(),
                               publisher: NullPublisher(), logger: ProbeLogging.logger("risk-manager"))
        var micros: [UInt64] = []
        micros.reserveCapacity(count)
        for index in 0..<count {
            let symbol = symbols[index % symbols.count]
            let side: Side = (index / symbols.count).isMultiple(of: 2) ? .buy : .sell
            let version = UInt64(index + 1)
            let request = Envelope.make(type: AssessRequest.requestType, source: "probe", trace: .root(), payload: assess(symbol, side, version))
            let event = account(version, symbols: symbols, held: held)
            let start = nanos()
            risk.apply(event)
            let verdict = try! await risk.assess(request)
            micros.append(nanos() - start)
            precondition(verdict.symbol == symbol, "the verdict named another symbol")
        }
        emit("risk-manager: account event then assess (no wire\(held ? ", every symbol held" : ""))", StoreProbeSupport.medianMicros(micros), "µs")
    }

    /// The bench topology's market: eight symbols opening at 100, and one short-enabled account.
    static let benchMarket = """
        {"seed": 42, "tick_ms": 100, "taker_fee_bps": 10, "maker_fee_bps": 5, "slippage_bps": 1, "symbols": [
        {"symbol": "BTC-USD", "start_price": 100}, {"symbol": "ETH-USD", "start_price": 100}, {"symbol": "SOL-USD", "start_price": 100},
        {"symbol": "ADA-USD", "start_price": 100}, {"symbol": "XRP-USD", "start_price": 100}, {"symbol": "DOT-USD", "start_price": 100},
        {"symbol": "LTC-USD", "start_price": 100}, {"symbol": "AVAX-USD", "start_price": 100}]}
        """
    static let benchAccounts = #"[{"name": "desk", "allow_short": true, "balances": {"USD": 8000000000}}]"#

    /// The MarketMaker's own work per order on its loop, without the wire or the ledger (no
    /// journal: the ledger probe counts the writer's part): a market order of the bench's size,
    /// alternating buys and sells on eight symbols, answered by `VenueAgent.submit`, then its
    /// symbol's `inventory.<symbol>` event, as the follow-up of every fill publishes it. The
    /// follow-up service itself does not run: how many orders its account events cover depends
    /// on when its task gets to run, which would make the count differ from run to run.
    ///
    /// With `followUps` the follow-up service runs instead, as in the MarketMaker, and the probe
    /// waits after each order until its inventory event and its account event are published:
    /// one of each per order, so the count stays the same from run to run, the hand-off to the
    /// service and its tasks included.
    ///
    /// `accounts` above one adds spot accounts that hold USD and never trade, as a venue serving
    /// many clients has: the work per order should not grow with them.
    static func runVenue(count: Int, accounts accountCount: Int, followUps: Bool) async throws {
        let market = try JSONDecoder().decode(MarketSection.self, from: Data(benchMarket.utf8))
        var accounts = try JSONDecoder().decode([AccountSection].self, from: Data(benchAccounts.utf8))
        let idle = (1..<max(1, accountCount)).map { #"{"name": "idle-\#($0)", "balances": {"USD": 1000000}}"# }
        accounts += try JSONDecoder().decode([AccountSection].self, from: Data("[\(idle.joined(separator: ","))]".utf8))
        let state = try VenueState(market: market, accounts: accounts, journal: nil, at: Int64(Date().timeIntervalSince1970 * 1_000_000))
        let published = PublishedTypes()
        let venue = try VenueAgent(venueState: state, publisher: followUps ? SignallingPublisher(published: published) : NullPublisher(), logger: ProbeLogging.logger("market-maker"))
        let service = followUps ? Task { await venue.followUpService.run() } : nil
        defer { service?.cancel() }
        let symbols = DirectorProbe.symbols
        var micros: [UInt64] = []
        micros.reserveCapacity(count)
        for index in 0..<count {
            let symbol = symbols[index % symbols.count]
            let side: Side = (index / symbols.count).isMultiple(of: 2) ? .buy : .sell
            let order = OrderSubmit(clientOrderId: "probe-\(index)", account: "desk", symbol: symbol, side: side, type: .market, qty: 0.01)
            let request = Envelope.make(type: OrderSubmit.requestType, source: "probe", trace: .root(), payload: order)
            let start = nanos()
            let report = try await venue.submit(request)
            if followUps {
                let types = await published.take(2)
                precondition(Set(types) == [EventType.inventory, EventType.account], "the order's follow-ups published \(types)")
            } else {
                await venue.publishInventory(symbols: [symbol])
            }
            micros.append(nanos() - start)
            precondition(report.status == .filled, "the probe's order did not fill: \(report.reason ?? "-")")
        }
        let notes = (accounts.count > 1 ? ["\(accounts.count) accounts"] : []) + (followUps ? ["by the follow-up service, with the account event"] : [])
        emit("market-maker: market order submitted, filled and its inventory event made (no wire, no ledger)", StoreProbeSupport.medianMicros(micros), "µs",
             note: notes.isEmpty ? nil : notes.joined(separator: "; "))
    }

    /// An assessment asking for the account at `version` of this probe's epoch.
    static func assess(_ symbol: String, _ side: Side, _ version: UInt64) -> AssessRequest {
        var ask = AssessRequest(symbol: symbol, side: side, account: "desk", signalConfidence: 0.8,
                                analysis: AnalysisReport(symbol: symbol, direction: side == .buy ? .long : .short, confidence: 0.6,
                                                         sampleCount: 50, atr: 2, lastPrice: 100, thesis: "probe"))
        ask.afterVersion = version
        ask.venueEpoch = epoch
        return ask
    }

    /// The account `desk` at `version`: 100,000 USD and no base in any of `symbols`, its rows
    /// in symbol order, as the venue lists them.
    /// The desk's account at `version`: flat in every symbol, or with `held` a lot long or
    /// short in each (alternately, in symbol order) with its base and quote assets named, as the
    /// bench topology's MarketMaker lists an account once it has traded every symbol.
    static func account(_ version: UInt64, symbols: [String], held: Bool) -> InventorySnapshot {
        let rows = symbols.sorted().enumerated().map { index, symbol in
            var row = PositionPayload(Position(account: "desk", symbol: symbol, base: held ? (index.isMultiple(of: 2) ? 1 : -1) : .zero,
                                               quote: 100_000, averageEntryPrice: 100), mark: 100)
            if held {
                row.baseAsset = String(symbol.prefix { $0 != "-" })
                row.quoteAsset = "USD"
            }
            return row
        }
        let account = AccountPayload(account: "desk", balances: [AssetBalancePayload(asset: "USD", amount: 100_000, reserved: 0, available: 100_000)],
                                     version: version)
        return InventorySnapshot(positions: rows, accounts: [account], venueEpoch: epoch)
    }
}

/// A venue the probe's RiskManager must never need: every account comes from its events.
private struct NoVenue: RequestSending {
    func request<R: RequestPayload>(_ payload: R, trace: TraceContext) async throws(ProtocolError) -> Envelope<R.Reply> {
        fatalError("AgentLogicProbe: the RiskManager asked the venue; its account should have come from the event")
    }
}

/// A publisher that keeps nothing but notes the type of each inventory and account event in
/// `published`.
private struct SignallingPublisher: EventPublishing {
    let published: PublishedTypes

    func publish<P: MessagePayload>(_ payload: P, type: String, topic: String, trace: TraceContext) -> Envelope<P> {
        if type == EventType.inventory || type == EventType.account { published.add(type) }
        return Envelope.make(type: type, source: "probe", trace: trace, payload: payload)
    }

    func afterPendingSends(_ work: @escaping @Sendable () -> Void) { work() }
}

/// Event types as they are published, taken by one waiting task.
private final class PublishedTypes: Sendable {
    private struct State {
        var types: [String] = []
        var waiter: (count: Int, continuation: UnsafeContinuation<[String], Never>)?
    }

    private let state = Mutex(State())

    func add(_ type: String) {
        let ready = state.withLock { state -> (UnsafeContinuation<[String], Never>, [String])? in
            state.types.append(type)
            guard let waiter = state.waiter, state.types.count >= waiter.count else { return nil }
            state.waiter = nil
            defer { state.types.removeAll() }
            return (waiter.continuation, state.types)
        }
        if let (continuation, types) = ready { continuation.resume(returning: types) }
    }

    /// Waits until `count` types have been published since the last take, and takes them.
    func take(_ count: Int) async -> [String] {
        await withUnsafeContinuation { continuation in
            let ready = state.withLock { state -> [String]? in
                guard state.types.count >= count else {
                    state.waiter = (count, continuation)
                    return nil
                }
                defer { state.types.removeAll() }
                return state.types
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// A publisher that keeps nothing.
private struct NullPublisher: EventPublishing {
    func publish<P: MessagePayload>(_ payload: P, type: String, topic: String, trace: TraceContext) -> Envelope<P> {
        Envelope.make(type: type, source: "probe", trace: trace, payload: payload)
    }

    func afterPendingSends(_ work: @escaping @Sendable () -> Void) { work() }
}
