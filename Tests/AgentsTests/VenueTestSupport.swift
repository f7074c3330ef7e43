import Agents
import AgentsTesting
import Configuration
import Foundation
import Ledger
import Logging
import ServiceLifecycle
import Synchronization
import Trading
import WireFormat
import WireProtocol

/// A journal whose commits the test controls: with `holding`, nothing becomes durable until
/// `release()`; `fail(_:)` makes every pending and later commit throw, as a broken disk would.
final class HeldJournal: VenueJournal {
    private struct State {
        var batches: [LedgerBatch] = []
        var durable = 0
        var holding: Bool
        var failure: LedgerError?
        var waiters: [UUID: (sequence: Int, continuation: CheckedContinuation<Void, any Error>)] = [:]
        var watchers: [UUID: (count: Int, continuation: CheckedContinuation<Void, Never>)] = [:]
    }

    private let state: Mutex<State>
    private let outcome = JournalOutcome()

    init(holding: Bool = false) { state = Mutex(State(holding: holding)) }

    func recordedState() throws -> VenueSnapshot { VenueSnapshot(ordersSubmitted: 0) }

    func append(_ batch: LedgerBatch) -> JournalCommit {
        let sequence = state.withLock { state -> Int in
            if !batch.isEmpty { state.batches.append(batch) }
            if !state.holding && state.failure == nil { state.durable = state.batches.count }
            return state.batches.count
        }
        return JournalCommit(wait: { try await self.wait(for: sequence) },
                             isDone: { self.state.withLock { $0.failure == nil && sequence <= $0.durable } })
    }

    func barrier() -> JournalCommit { append(LedgerBatch()) }

    func close() async { outcome.settle(nil) }

    func failure() async -> LedgerError? { await outcome.value() }

    /// Non-empty batches appended so far.
    var batches: [LedgerBatch] { state.withLock { $0.batches } }

    /// Makes everything appended so far durable, and keeps committing at once from now on.
    func release() {
        let ready = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.holding = false
            state.durable = state.batches.count
            let ready = state.waiters.filter { $0.value.sequence <= state.durable }
            for id in ready.keys { state.waiters[id] = nil }
            return ready.values.map(\.continuation)
        }
        for waiter in ready { waiter.resume() }
    }

    /// Holds commits again: what is appended from now on waits for the next `release()`.
    func hold() { state.withLock { $0.holding = true } }

    /// The disk broke: waiting commits and every later one throw, and `failure()` reports it.
    func fail(_ message: String) {
        let error = LedgerError(message)
        let waiting = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.failure = error
            defer { state.waiters.removeAll() }
            return state.waiters.values.map(\.continuation)
        }
        outcome.settle(error)
        for waiter in waiting { waiter.resume(throwing: error) }
    }

    /// Returns once `count` callers are waiting for a commit that is not durable yet (or at once
    /// when the task is cancelled).
    func untilWaiting(_ count: Int) async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if state.waiters.count >= count || Task.isCancelled { return true }
                    state.watchers[id] = (count, continuation)
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.watchers.removeValue(forKey: id) }?.continuation.resume()
        }
    }

    private func wait(for sequence: Int) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let (now, watchers) = state.withLock { state -> (Result<Void, LedgerError>?, [CheckedContinuation<Void, Never>]) in
                if let failure = state.failure { return (.failure(failure), []) }
                if sequence <= state.durable { return (.success(()), []) }
                state.waiters[UUID()] = (sequence, continuation)
                let due = state.watchers.filter { $0.value.count <= state.waiters.count }
                for id in due.keys { state.watchers[id] = nil }
                return (nil, due.values.map(\.continuation))
            }
            if let now { continuation.resume(with: now) }
            for watcher in watchers { watcher.resume() }
        }
    }
}

/// Which of two things happened first: `expected` (true) or `other` (false). Both must return
/// when their task is cancelled; the loser is.
func happensFirst(_ expected: @escaping @Sendable () async -> Void, before other: @escaping @Sendable () async -> Void) async -> Bool {
    await withTaskGroup(of: Bool.self) { group in
        group.addTask { await expected(); return true }
        group.addTask { await other(); return false }
        let first = await group.next() ?? false
        group.cancelAll()
        return first
    }
}

/// A request running in the background, whose end can be raced against something else.
struct Pending<Reply: Sendable>: Sendable {
    let task: Task<Reply, any Error>
    private let ended: AsyncStream<Void>

    init(_ operation: @escaping @Sendable () async throws -> Reply) {
        let (ended, signal) = AsyncStream.makeStream(of: Void.self)
        self.ended = ended
        task = Task {
            defer { signal.finish() }
            return try await operation()
        }
    }

    /// Returns once the request has ended (or at once when the calling task is cancelled).
    func end() async { for await _ in ended {} }

    var value: Reply { get async throws { try await task.value } }
}

/// The venue under test with its fakes.
struct VenueHarness {
    let venue: VenueAgent
    let publisher: RecordingPublisher
    let journal: HeldJournal
    let logger = Logger(label: "venue-test")

    /// One BTC-USD market (the seeded GBM's first quote opens it near 60,000) and the accounts
    /// `desk` (100,000 quote) and, when given, `hedge`; `hedges` routes legs to `execution`.
    /// `market` replaces the default market section. With `publisher`, the venue publishes
    /// through it (and `publisher` is what it records).
    init(holding: Bool = false, hedgeBase: Quantity? = nil, hedges: [HedgeSection] = [], execution: InMemoryPeer? = nil,
         market: MarketSection = MarketSection(), publisher deferring: DeferringPublisher? = nil) throws {
        var accounts = [AccountSection()]
        if let hedgeBase {
            var hedge = AccountSection()
            hedge.name = "hedge"
            hedge.balances = ["BTC": AssetAmount(raw: hedgeBase.raw), "USD": 100_000]
            accounts.append(hedge)
        }
        journal = HeldJournal(holding: holding)
        publisher = deferring?.recorded ?? RecordingPublisher(source: "market-maker")
        let venueState = try VenueState(market: market, accounts: accounts, journal: journal, at: 1_700_000_000_000_000)
        let routes = hedges.map { HedgeRoute(section: $0, execution: execution ?? InMemoryPeer(name: "execution-agent")) }
        venue = try VenueAgent(venueState: venueState, publisher: deferring ?? publisher, logger: logger, time: ManualTime(), hedges: routes)
    }
}

/// Runs `services` in a service group (each shutting the group down when it fails) until `body`
/// returns, then shuts the group down gracefully and waits for it; returns what `body` returned.
func withServices<T: Sendable>(_ services: [any Service], _ body: () async throws -> T) async throws -> T {
    let group = serviceGroup(services)
    async let run: Void = group.run()
    let result: T
    do {
        result = try await body()
    } catch {
        await group.triggerGracefulShutdown()
        try? await run
        throw error
    }
    await group.triggerGracefulShutdown()
    try await run
    return result
}

/// A group running `services` as the agent runtime does: a failing service shuts it down gracefully.
func serviceGroup(_ services: [any Service]) -> ServiceGroup {
    ServiceGroup(configuration: .init(
        services: services.map { .init(service: $0, successTerminationBehavior: .ignore, failureTerminationBehavior: .gracefullyShutdownGroup) },
        logger: Logger(label: "venue-test")))
}

/// An order request as the ExecutionAgent would send it, in a new trace.
func orderRequest(_ clientOrderId: String, account: String = "desk", side: Side = .buy, type: OrderType = .market,
                  qty: WireDecimal = 0.1, price: WireDecimal? = nil) -> Envelope<OrderSubmit> {
    Envelope.make(type: OrderSubmit.requestType, source: "execution-agent", trace: .root(),
                  payload: OrderSubmit(clientOrderId: clientOrderId, account: account, symbol: "BTC-USD", side: side, type: type, qty: qty, price: price))
}

/// A request of any other type, in a new trace.
func request<P: RequestPayload>(_ payload: P) -> Envelope<P> {
    Envelope.make(type: P.requestType, source: "risk-manager", trace: .root(), payload: payload)
}
