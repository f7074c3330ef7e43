import Agents
import AgentsTesting
import Configuration
import Foundation
import Ledger
import Synchronization
import Testing
import Trading
import WireFormat
import WireProtocol

/// A director that keeps its records in a real SQLite store, stopped at awkward moments and
/// started again on the same file: what it had accepted ends in one decision, its positions
/// are watched again and their exits fire, and nothing is traded twice.
@Suite(.timeLimit(.minutes(1)))
struct DirectorRecoveryTests {
    /// A fresh store file in a folder of its own; `removeStore(at:)` takes the folder away.
    static func storePath() throws -> String {
        let folder = NSTemporaryDirectory() + "director-recovery-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder + "/director.sqlite"
    }

    /// Removes the folder `storePath()` made for the store at `path`, with the store's files.
    static func removeStore(at path: String) {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }

    /// A journal on the store at `path`, and what that store held when opened.
    static func open(_ path: String) throws -> (DirectorJournal, DirectorRecords) {
        let store = try DirectorStore(path: path)
        let records = try store.load(rememberedSignals: 1_000)
        return (DirectorJournal(store: store) { problem in Issue.record("the store failed: \(problem)") }, records)
    }

    /// The venue's answer to `inventory.get`: the desk holds `held` base units per symbol.
    static func venueHolds(_ held: [String: WireDecimal], on peer: InMemoryPeer) {
        peer.on(InventoryQuery.self) { _ in
            InventorySnapshot(positions: held.map { symbol, base in
                PositionPayload(account: "desk", symbol: symbol, base: base, quote: 1_000, avgEntryPrice: 100,
                                realizedPnl: 0, unrealizedPnl: 0, fees: 0, mark: 100)
            })
        }
    }

    static func clientOrderIds(_ peer: InMemoryPeer) throws -> [String] {
        try peer.received.filter { $0.type == "execute" }.map { try $0.decoded(as: ExecuteRequest.self).order.clientOrderId }
    }

    @Test func positionsAreWatchedAgainAfterARestartAndTheirTimeStopFires() async throws {
        let path = try Self.storePath()
        defer { Self.removeStore(at: path) }
        var settings = DirectorSection()
        settings.timeStopS = 60
        let (journal, _) = try Self.open(path)
        let before = try DirectorFixture(settings: settings, journal: journal)
        let btc = try DirectorFixture.signal("BTC-USD", .buy)
        let eth = try DirectorFixture.signal("ETH-USD", .buy)
        try await SignalCycleTests.running(before) {
            before.director.receive(topic: btc.topic, body: btc.body)
            before.director.receive(topic: eth.topic, body: eth.body)
            let decided = try await before.decisions(2)
            #expect(decided.allSatisfy { $0.payload.outcome == .filled })
        }
        await journal.close()

        // The venue still holds the BTC but the ETH was closed while the director was down.
        let (reopened, records) = try Self.open(path)
        #expect(records.positions.count == 2 && records.pending.isEmpty)
        let after = try DirectorFixture(settings: settings, journal: reopened)
        Self.venueHolds(["BTC-USD": 2], on: after.venue)
        try await SignalCycleTests.running(after) {
            let recovery = await after.director.recover(records)
            #expect(recovery.positions == 1 && recovery.signalsResumed == 0)
            #expect(recovery.problems.contains { $0.contains("no longer watching") && $0.contains(eth.id) })
            let watched = await after.director.positions(symbol: nil).positions
            #expect(watched.map(\.openingSignalId) == [btc.id])
            let restored = try #require(watched.first)
            #expect(restored.remainingQty == 2 && restored.stopPrice == 95 && restored.targets.count == 1)
            #expect(restored.targets.first?.price == 110 && restored.targets.first?.hit == false)
            // Nothing fires early; past the time stop the restored position is closed.
            await after.director.quote(symbol: "BTC-USD", bid: 100, ask: 100.1)
            after.time.advance(seconds: 61)
            await after.director.quote(symbol: "BTC-USD", bid: 100, ask: 100.1)
            let exit = try #require(try await after.decisions(1).first)
            #expect(exit.payload.stage == "exit" && exit.payload.outcome == .filled && exit.payload.exit?.reason == "time_stop")
            #expect(await after.director.positions(symbol: nil).positions.isEmpty)
        }
        #expect(try Self.clientOrderIds(after.execution) == ["exit-\(btc.id)-time-1"])
        await reopened.close()
        // Both positions are gone from the store too: one closed by its exit, one by the venue.
        #expect(try DirectorStore(path: path).load(rememberedSignals: 1_000).positions.isEmpty)
    }

    @Test func anExitInFlightAtTheCrashIsSentAgainUnderItsClientOrderIdAndNotFiredTwice() async throws {
        let path = try Self.storePath()
        defer { Self.removeStore(at: path) }
        var settings = DirectorSection()
        settings.timeStopS = 30
        let (journal, _) = try Self.open(path)
        let before = try DirectorFixture(settings: settings, journal: journal)
        let (sent, arrived) = AsyncStream.makeStream(of: String.self)
        // Entries fill; the exit order reaches the execution agent and is never answered.
        before.execution.on(ExecuteRequest.self) { request in
            let order = request.payload.order
            guard order.clientOrderId.hasPrefix("sig-") else {
                arrived.yield(order.clientOrderId)
                try await Task.sleep(for: .seconds(3_600))
                throw ProtocolError(.internalError, "unreachable")
            }
            let fill = FillPayload(orderId: "O-1", clientOrderId: order.clientOrderId, account: order.account, symbol: order.symbol,
                                   side: order.side, price: 100, qty: order.qty, fee: 0.1)
            return OrderReport(orderId: "O-1", clientOrderId: order.clientOrderId, account: order.account, symbol: order.symbol,
                               side: order.side, type: order.type, status: .filled, qty: order.qty, filledQty: order.qty,
                               avgPrice: 100, fills: [fill], reason: nil, reasonCode: nil)
        }
        let signal = try DirectorFixture.signal("BTC-USD", .buy)
        let lanes = Task { await before.director.lanes.run() }
        before.director.receive(topic: signal.topic, body: signal.body)
        _ = try await before.decisions(1)
        before.time.advance(seconds: 31)
        await before.director.quote(symbol: "BTC-USD", bid: 100, ask: 100.1)
        var exitId = ""
        for await id in sent {
            exitId = id
            break
        }
        #expect(exitId == "exit-\(signal.id)-time-1")
        await journal.close()
        lanes.cancel()
        await lanes.value

        let (reopened, records) = try Self.open(path)
        let after = try DirectorFixture(settings: settings, journal: reopened)
        Self.venueHolds(["BTC-USD": 2], on: after.venue)
        try await SignalCycleTests.running(after) {
            let recovery = await after.director.recover(records)
            #expect(recovery.positions == 1 && recovery.exitsResent == 1)
            let exit = try #require(try await after.decisions(1).first)
            #expect(exit.payload.stage == "exit" && exit.payload.outcome == .filled && exit.payload.exit?.reason == "time_stop")
            // Ticks after the restart do not fire the exit a second time.
            await after.director.quote(symbol: "BTC-USD", bid: 100, ask: 100.1)
            await after.director.reevaluate()
            #expect(await after.director.positions(symbol: nil).positions.isEmpty)
        }
        #expect(try Self.clientOrderIds(after.execution) == [exitId])
        await reopened.close()
    }

    @Test func anOrderInterruptedAfterItWasSentIsAskedForAgainUnderItsClientOrderId() async throws {
        let path = try Self.storePath()
        defer { Self.removeStore(at: path) }
        let (journal, _) = try Self.open(path)
        let before = try DirectorFixture(journal: journal)
        let (sent, arrived) = AsyncStream.makeStream(of: Void.self)
        // The first run's execution agent takes the order and never answers: the director dies there.
        before.execution.on(ExecuteRequest.self) { _ in
            arrived.yield()
            try await Task.sleep(for: .seconds(3_600))
            throw ProtocolError(.internalError, "unreachable")
        }
        let signal = try DirectorFixture.signal("BTC-USD", .buy)
        let lanes = Task { await before.director.lanes.run() }
        before.director.receive(topic: signal.topic, body: signal.body)
        for await _ in sent { break }
        // The director dies here: nothing it does afterwards reaches its store.
        await journal.close()
        lanes.cancel()
        await lanes.value

        let (reopened, records) = try Self.open(path)
        #expect(records.pending.map(\.signalId) == [signal.id] && records.pending.first?.step != nil)
        let after = try DirectorFixture(journal: reopened)
        Self.venueHolds([:], on: after.venue)
        try await SignalCycleTests.running(after) {
            let recovery = await after.director.recover(records)
            #expect(recovery.signalsResumed == 1 && recovery.ordersResent == 1)
            let decision = try #require(try await after.decisions(1).first)
            #expect(decision.payload.signalId == signal.id && decision.parentId == signal.id)
            #expect(decision.payload.outcome == .filled && decision.payload.reason.contains("resumed after a restart"))
            #expect(await after.director.positions(symbol: "BTC-USD").positions.map(\.openingSignalId) == [signal.id])
        }
        // Asked again with the same client order id; not analysed or assessed a second time.
        #expect(try Self.clientOrderIds(after.execution) == ["sig-\(signal.id)"])
        #expect(after.analyst.received.isEmpty && after.risk.received.isEmpty)
        await reopened.close()
        #expect(try DirectorStore(path: path).load(rememberedSignals: 1_000).pending.isEmpty)
    }

    /// A graceful stop while an order is in doubt does not wait out `order_in_doubt_ms` (here an
    /// hour, past the suite's time limit) nor decide the signal `failed`: the signal is left
    /// open with its order's record, and the next start sends the same order and decides it.
    @Test func anOrderInDoubtAtAGracefulStopIsLeftForTheNextStartToSendAgain() async throws {
        let path = try Self.storePath()
        defer { Self.removeStore(at: path) }
        var settings = DirectorSection()
        settings.orderInDoubtMs = 3_600_000
        let (journal, _) = try Self.open(path)
        let before = try DirectorFixture(settings: settings, journal: journal)
        let (sent, arrived) = AsyncStream.makeStream(of: Void.self)
        before.execution.on(ExecuteRequest.self) { _ in
            arrived.yield()
            throw ProtocolError(.timeout, "execution-agent did not answer")
        }
        let signal = try DirectorFixture.signal("BTC-USD", .buy)
        try await SignalCycleTests.running(before) {
            before.director.receive(topic: signal.topic, body: signal.body)
            // Sent, and sent again: the order is in doubt as the stop begins.
            var sends = 0
            for await _ in sent {
                sends += 1
                if sends == 2 { break }
            }
        }
        #expect(!before.bus.events.contains { $0.type == EventType.decision })
        await journal.close()

        let (reopened, records) = try Self.open(path)
        #expect(records.pending.map(\.signalId) == [signal.id] && records.pending.first?.step != nil)
        let after = try DirectorFixture(settings: settings, journal: reopened)
        Self.venueHolds([:], on: after.venue)
        try await SignalCycleTests.running(after) {
            let recovery = await after.director.recover(records)
            #expect(recovery.signalsResumed == 1 && recovery.ordersResent == 1)
            let decision = try #require(try await after.decisions(1).first)
            #expect(decision.payload.signalId == signal.id && decision.payload.outcome == .filled)
            #expect(decision.payload.reason.contains("resumed after a restart"))
        }
        #expect(try Self.clientOrderIds(after.execution) == ["sig-\(signal.id)"])
        #expect(after.analyst.received.isEmpty && after.risk.received.isEmpty)
        await reopened.close()
    }

    /// Without a store nothing could resume the signal: a stop while its order is in doubt
    /// still ends it in one decision, once `order_in_doubt_ms` has passed.
    @Test func withoutAStoreAnOrderInDoubtAtAStopIsStillDecided() async throws {
        var settings = DirectorSection()
        settings.orderInDoubtMs = 300
        let fixture = try DirectorFixture(settings: settings)
        let (sent, arrived) = AsyncStream.makeStream(of: Void.self)
        fixture.execution.on(ExecuteRequest.self) { _ in
            arrived.yield()
            throw ProtocolError(.timeout, "execution-agent did not answer")
        }
        let signal = try DirectorFixture.signal("BTC-USD", .buy)
        try await SignalCycleTests.running(fixture) {
            fixture.director.receive(topic: signal.topic, body: signal.body)
            for await _ in sent { break }
        }
        let decisions = try fixture.bus.events.filter { $0.type == EventType.decision }.map { try JSONEnvelopeCodec().decode(DecisionPayload.self, from: $0.body) }
        #expect(decisions.map(\.payload.signalId) == [signal.id])
        #expect(decisions.first?.payload.outcome == .failed && decisions.first?.payload.reason.contains("in doubt") == true)
    }

    @Test func aSignalAcceptedButNotStartedRunsItsCycleAfterTheRestart() async throws {
        let path = try Self.storePath()
        defer { Self.removeStore(at: path) }
        let (journal, _) = try Self.open(path)
        let before = try DirectorFixture(journal: journal)
        // The lanes never run: the signal is accepted and recorded, then the director dies.
        let signal = try DirectorFixture.signal("ETH-USD", .buy)
        before.director.receive(topic: signal.topic, body: signal.body)
        try await journal.barrier().wait()
        await journal.close()
        #expect(before.bus.events.isEmpty)

        let (reopened, records) = try Self.open(path)
        let after = try DirectorFixture(journal: reopened)
        Self.venueHolds([:], on: after.venue)
        try await SignalCycleTests.running(after) {
            #expect(await after.director.recover(records).signalsResumed == 1)
            let decision = try #require(try await after.decisions(1).first)
            #expect(decision.payload.signalId == signal.id && decision.payload.outcome == .filled && decision.payload.stage == "done")
        }
        #expect(after.analyst.receivedTypes == ["analyze"])
        #expect(try Self.clientOrderIds(after.execution) == ["sig-\(signal.id)"])
        await reopened.close()
    }

    @Test func aSignalResentAfterItsDecisionGetsThatDecisionAgainAndIsNotTradedTwice() async throws {
        let path = try Self.storePath()
        defer { Self.removeStore(at: path) }
        let (journal, _) = try Self.open(path)
        let before = try DirectorFixture(journal: journal)
        let signal = try DirectorFixture.signal("BTC-USD", .buy)
        var first: DecisionPayload?
        try await SignalCycleTests.running(before) {
            before.director.receive(topic: signal.topic, body: signal.body)
            first = try await before.decisions(1).first?.payload
        }
        await journal.close()

        let (reopened, records) = try Self.open(path)
        #expect(records.decidedIds == [signal.id])
        let after = try DirectorFixture(journal: reopened)
        Self.venueHolds(["BTC-USD": 2], on: after.venue)
        try await SignalCycleTests.running(after) {
            await after.director.recover(records)
            // Its publisher did not see the decision and sends the same signal again.
            after.director.receive(topic: signal.topic, body: signal.body)
            let again = try #require(try await after.decisions(1).first)
            #expect(again.parentId == signal.id && again.payload == first)
        }
        #expect(after.analyst.received.isEmpty && after.execution.received.isEmpty)
        await reopened.close()
    }

    @Test func withoutAnAnswerFromTheVenueTheRecordedPositionsAreKept() async throws {
        let path = try Self.storePath()
        defer { Self.removeStore(at: path) }
        let (journal, _) = try Self.open(path)
        let before = try DirectorFixture(journal: journal)
        let signal = try DirectorFixture.signal("BTC-USD", .buy)
        try await SignalCycleTests.running(before) {
            before.director.receive(topic: signal.topic, body: signal.body)
            _ = try await before.decisions(1)
        }
        await journal.close()
        let (reopened, records) = try Self.open(path)
        // This venue has no inventory.get handler: the request fails as unreachable.
        let after = try DirectorFixture(journal: reopened)
        let recovery = await after.director.recover(records)
        #expect(recovery.positions == 1)
        #expect(recovery.problems.contains { $0.contains("did not answer inventory.get") })
        await reopened.close()
    }

    @Test func aDamagedSignalRecordIsClosedWithAFailedDecisionInsteadOfResumedAtEveryStart() async throws {
        let path = try Self.storePath()
        defer { Self.removeStore(at: path) }
        try DirectorStore(path: path).record([.accepted(signalId: "damaged", symbol: "BTC-USD", receivedUs: 1, envelope: Data("{not json".utf8))])
        let (journal, records) = try Self.open(path)
        let director = try DirectorFixture(journal: journal)
        Self.venueHolds([:], on: director.venue)
        let recovery = await director.director.recover(records)
        #expect(recovery.signalsResumed == 0 && recovery.problems.contains { $0.contains("damaged") && $0.contains("cannot be read") })
        try await journal.barrier().wait()
        await journal.close()
        let again = try DirectorStore(path: path)
        #expect(try again.load(rememberedSignals: 10).pending.isEmpty)
        let recorded = try #require(try again.decision(of: "damaged"))
        #expect(String(decoding: recorded, as: UTF8.self).contains("failed"))
    }
}
