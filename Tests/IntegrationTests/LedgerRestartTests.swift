import AgentRuntime
import Foundation
import HedgeBusTesting
import Ledger
import Messaging
import Synchronization
import Testing
import Trading
import WireFormat
import WireProtocol

@Suite("MarketMaker ledger and restart", .serialized, .timeLimit(.minutes(3)))
struct LedgerRestartTests {
    /// An order's result without the account version and epoch of the run that answered.
    static func result(_ report: OrderReport) -> OrderReport {
        var report = report
        report.venueEpoch = nil
        report.accountVersion = nil
        return report
    }

    @Test func stateSurvivesSIGKILLMidRunAndRetriesReturnTheRecordedResult() async throws {
        try await RunningTopology.run(extra: pipelineSections) { running in
            let topology = running.topology
            let loop = try MessageLoop(name: "restart-test")
            // Generous: on a loaded machine 60 synced commits in a row can take seconds, and an
            // order that times out before the kill would not count as acknowledged.
            let policy = RequestPolicy(attemptTimeout: .seconds(10), attempts: 1)
            let venue = try await RequestClient.connect(loop: loop, peer: "market-maker", endpoint: try topology.endpoint(of: .marketMaker).endpoint,
                                                        source: "test", policy: policy)
            let recorder = try await BusRecorder.start(loop: loop, topology: topology)
            try await recorder.awaitEveryHeartbeat(timeout: .seconds(20))
            // Before the kill: a resting order, a rejection, and a first fill to retry later.
            let resting = try await venue.request(OrderSubmit(clientOrderId: "rest", account: "desk", symbol: "BTC-USD", side: .buy,
                                                              type: .limit, qty: 0.02, price: 30_000), trace: .root()).payload
            #expect(resting.status == .open)
            let rejected = try await venue.request(OrderSubmit(clientOrderId: "huge", account: "desk", symbol: "ETH-USD", side: .buy,
                                                               type: .market, qty: 1_000), trace: .root()).payload
            #expect(rejected.status == .rejected)
            let first = try await venue.request(OrderSubmit(clientOrderId: "first", account: "desk", symbol: "BTC-USD", side: .buy,
                                                            type: .market, qty: 0.01), trace: .root()).payload
            #expect(first.status == .filled)

            // A burst of orders in flight; the MarketMaker is killed once some are acknowledged.
            let acknowledged = Acknowledged()
            let (acks, ack) = AsyncStream.makeStream(of: Void.self)
            let burst = Task {
                defer { ack.finish() }
                await withTaskGroup(of: Void.self) { group in
                    for index in 0..<60 {
                        group.addTask {
                            let side: Side = index.isMultiple(of: 2) ? .buy : .sell
                            let order = OrderSubmit(clientOrderId: "burst-\(index)", account: "desk", symbol: index % 3 == 0 ? "ETH-USD" : "BTC-USD",
                                                    side: side, type: .market, qty: 0.001)
                            if let report = try? await venue.request(order, trace: .root()).payload {
                                acknowledged.reports.withLock { $0.append(report) }
                                ack.yield()
                            }
                        }
                    }
                }
            }
            var seen = 0
            for await _ in acks {
                seen += 1
                if seen == 10 { break }
            }
            let marketMaker = try #require(running.handles["market-maker"])
            running.processes.send(SIGKILL, to: marketMaker)
            #expect(await running.processes.exitStatus(marketMaker, within: .seconds(30)) != nil)
            _ = await burst.value
            let acked = acknowledged.reports.withLock { $0 }
            #expect(acked.count >= 10)

            // Every acknowledged order was committed before its reply, to a file only its owner reads.
            let mode = try FileManager.default.attributesOfItem(atPath: running.ledgerPath)[.posixPermissions] as? Int
            #expect(mode == 0o600, "ledger mode \(String(mode ?? 0, radix: 8))")
            let ledger = try LedgerStore(path: running.ledgerPath, readOnly: true)
            let ledgerFills = Set(try ledger.fills().map(\.orderId))
            for report in acked where report.status == .filled { #expect(ledgerFills.contains(report.orderId), "\(report.orderId) acknowledged but not in the ledger") }

            let restartedAt = WallClock.micros()
            _ = try await running.restart("market-maker")
            // The RiskManager notices the new MarketMaker (a new pid in its heartbeat) and takes a
            // fresh inventory snapshot on its own, outside any assessment.
            #expect(await recorder.wait(timeout: .seconds(20)) { messages in
                messages.contains { message in
                    guard message.topic == "trace.risk-manager",
                          let hop = try? JSONEnvelopeCodec().decode(TraceEventPayload.self, from: message.body) else { return false }
                    return hop.ts > restartedAt && hop.payload.requestType == "inventory.get" && hop.payload.role == "client"
                        && hop.payload.outcome == "ok"
                }
            }, "no inventory snapshot by the risk-manager after the MarketMaker restarted")
            var initial: [AssetKey: AssetAmount] = [:], pairs: [String: AssetPair] = [:]
            for account in topology.accounts {
                for (asset, amount) in account.balances { initial[AssetKey(account: account.name, asset: asset)] = amount }
            }
            for symbol in topology.market.symbols { pairs[symbol.symbol] = symbol.assets }
            let replayed = try ledger.replayBalances(initial: initial, pairs: pairs)
            let snapshot = try await venue.request(InventoryQuery(), trace: .root()).payload
            #expect(snapshot.positions.count == topology.accounts.count * topology.market.symbols.count)
            for row in snapshot.positions {
                let pair = try #require(pairs[row.symbol])
                let base = try #require(replayed[AssetKey(account: row.account, asset: pair.base)])
                let quote = try #require(replayed[AssetKey(account: row.account, asset: pair.quote)])
                #expect(AssetAmount(raw: Quantity(wire: row.base).raw) == base, "\(row.account) \(row.symbol) base \(row.base) vs ledger \(base)")
                #expect(AssetAmount(raw: Money(wire: row.quote).raw) == quote, "\(row.account) \(row.symbol) quote \(row.quote) vs ledger \(quote)")
            }
            for account in snapshot.accounts ?? [] {
                for balance in account.balances {
                    #expect(replayed[AssetKey(account: account.account, asset: balance.asset)] == AssetAmount(raw: Money(wire: balance.amount).raw),
                            "\(account.account) \(balance.asset)")
                }
            }
            #expect(snapshot.accounts?.count == topology.accounts.count)
            // Retried client order ids get the recorded result and execute nothing new.
            let fillsBefore = try ledger.fills().count
            let again = try await venue.request(OrderSubmit(clientOrderId: "first", account: "desk", symbol: "BTC-USD", side: .buy,
                                                            type: .market, qty: 0.01), trace: .root()).payload
            // The versions are the restarted venue's own: a new epoch, counted from the restart.
            #expect(again.venueEpoch != nil && again.venueEpoch != first.venueEpoch)
            #expect(Self.result(again) == Self.result(first))
            let rejectedAgain = try await venue.request(OrderSubmit(clientOrderId: "huge", account: "desk", symbol: "ETH-USD", side: .buy,
                                                                    type: .market, qty: 1_000), trace: .root()).payload
            #expect(Self.result(rejectedAgain) == Self.result(rejected))
            #expect(try ledger.fills().count == fillsBefore)
            // The burst was committed in groups (many orders per transaction) when the kill came.
            // Retrying every burst order gives each acknowledged one its recorded result, and
            // every order is in the ledger exactly once: none lost, none executed twice.
            let ackedByClientId = Dictionary(uniqueKeysWithValues: acked.map { ($0.clientOrderId, $0) })
            for index in 0..<60 {
                let order = OrderSubmit(clientOrderId: "burst-\(index)", account: "desk", symbol: index % 3 == 0 ? "ETH-USD" : "BTC-USD",
                                        side: index.isMultiple(of: 2) ? .buy : .sell, type: .market, qty: 0.001)
                let retried = try await venue.request(order, trace: .root()).payload
                if let earlier = ackedByClientId[order.clientOrderId] {
                    #expect(Self.result(retried) == Self.result(earlier), "burst-\(index) changed on retry")
                }
            }
            let burstFills = try ledger.fills().filter { $0.clientOrderId.hasPrefix("burst-") }
            #expect(Set(burstFills.map(\.clientOrderId)).count == 60, "every burst order filled once, before or after the kill")
            #expect(burstFills.count == 60, "no burst order executed twice")
            // The resting order came back with its reservation: it can still be cancelled.
            let desk = try #require(snapshot.positions.first { $0.account == "desk" && $0.symbol == "BTC-USD" })
            #expect(desk.pendingBuy == 0.02)
            let cancelled = try await venue.request(OrderCancel(account: "desk", orderId: resting.orderId), trace: .root()).payload
            #expect(cancelled.status == .cancelled)
            await loop.shutdown()
        }
    }
}

/// Replies the burst received before the kill.
final class Acknowledged: Sendable {
    let reports = Mutex<[OrderReport]>([])
}
