import Foundation
import Testing
import Trading
@testable import Ledger

/// The file itself: schema, durability settings, reopening, and all-or-nothing batches.
@Suite struct LedgerStoreTests {
    /// One filled market buy of 0.5 BTC at 60 000 by "mm", as the venue would report it.
    static func filledOrder(_ number: Int, at time: Int64 = 100) -> LedgerBatch {
        let request = OrderRequest(clientOrderId: "c\(number)", account: "mm", symbol: "BTC-USD", side: .buy, type: .market, qty: 0.5)
        let fill = Fill(orderId: "O-\(number)", clientOrderId: "c\(number)", account: "mm", symbol: "BTC-USD", side: .buy,
                        price: 60_000, qty: 0.5, fee: 30, timestampMicros: time)
        let result = OrderResult(orderId: "O-\(number)", clientOrderId: "c\(number)", account: "mm", symbol: "BTC-USD", side: .buy,
                                 type: .market, status: .filled, requestedQty: 0.5, filledQty: 0.5, averagePrice: 60_000, fills: [fill])
        // As if every earlier order was the same buy, so each batch leaves different holdings.
        var position = Position(account: "mm", symbol: "BTC-USD", quote: 100_000)
        for _ in 1...number { position.apply(fill) }
        var batch = LedgerBatch()
        batch.orders = [LedgerOrder(request: request, result: result, number: number, isRemembered: true, timestampMicros: time)]
        batch.events = [LedgerEvent(fill: fill, after: Balance(base: position.base, quote: position.quote))]
        batch.balances = [LedgerBalance(position: position, reserved: ReservedFunds(account: "mm", symbol: "BTC-USD"))]
        batch.assetBalances = [AccountAssetBalance(account: "mm", asset: "BTC", amount: AssetAmount(raw: position.base.raw)),
                               AccountAssetBalance(account: "mm", asset: "USD", amount: AssetAmount(raw: position.quote.raw))]
        batch.ordersSubmitted = number
        return batch
    }

    @Test func aLedgerWithPerSymbolBalancesIsRefusedNotConverted() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/ledger.sqlite"
            // A file that went through the per-symbol balance schema (v2) says so in its
            // migrations table.
            try LedgerStore(path: path).queue.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v2')")
            }
            for readOnly in [false, true] {
                let error = #expect(throws: LedgerError.self) { try LedgerStore(path: path, readOnly: readOnly) }
                #expect(error?.description.contains("ledger schema v2") == true, "\(error?.description ?? "")")
                #expect(error?.description.contains("one balance per asset") == true)
            }
        }
    }

    @Test func openingTwiceMigratesOnceAndASecondStoreSeesCommittedData() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/ledger.sqlite"
            let first = try LedgerStore(path: path)
            try first.record(Self.filledOrder(1))
            // Opened while the first is still open, as an export does during a run.
            let second = try LedgerStore(path: path)
            #expect(try second.fills().map(\.orderId) == ["O-1"])
            #expect(try second.venueSnapshot().ordersSubmitted == 1)
            try second.record(Self.filledOrder(2))
            #expect(try first.fills().map(\.orderId) == ["O-1", "O-2"])
            let reader = try LedgerStore(path: path, readOnly: true)
            #expect(try reader.balances() == [AssetKey(account: "mm", asset: "BTC"): 1, AssetKey(account: "mm", asset: "USD"): 39_940])
            #expect(throws: (any Error).self) { try reader.record(Self.filledOrder(3)) }
        }
    }

    @Test func theFileIsInWALModeWithFullSynchronousCommits() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/ledger.sqlite"
            let store = try LedgerStore(path: path)
            try store.record(Self.filledOrder(1))
            #expect(try store.pragma("journal_mode") == "wal")
            // 2 is FULL: each commit is synced to disk before record returns.
            #expect(try store.pragma("synchronous") == "2")
            #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        }
    }

    @Test func readOnlyRefusesAFileThatIsNotALedger() throws {
        try withTemporaryDirectory { directory in
            #expect(throws: (any Error).self) { try LedgerStore(path: directory + "/missing.sqlite", readOnly: true) }
            let empty = directory + "/empty.sqlite"
            #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
            #expect(throws: LedgerError.self) { try LedgerStore(path: empty, readOnly: true) }
        }
    }

    /// Each breaks only in its last part, after the order, fill and balance were written
    /// inside the transaction.
    static let brokenTails: [(String, @Sendable (inout LedgerBatch) -> Void)] = [
        ("resting order left the book but never rested", { $0.restingRemovals = ["O-404"] }),
        ("status of an unknown order", { $0.statusChanges = [LedgerStatusChange(orderId: "O-404", status: .filled)] }),
        ("order id already recorded", { $0.orders.append(LedgerStoreTests.filledOrder(1).orders[0]) }),
        ("resting order on a taken sequence", { batch in
            batch.restingUpserts = ["O-2", "O-1"].map {
                RestingOrderRecord(orderId: $0, clientOrderId: "c", account: "mm", symbol: "BTC-USD", side: .buy, qty: 1,
                                   filledQty: 0, limitPrice: 59_000, reservedQuote: 59_029.5, submittedAtMicros: 1, sequence: 2)
            }
        }),
    ]

    @Test(arguments: brokenTails.indices)
    func aBatchThatFailsPartWayLeavesNothing(index: Int) throws {
        let (name, breakTail) = Self.brokenTails[index]
        try withTemporaryDirectory { directory in
            let path = directory + "/ledger.sqlite"
            let store = try LedgerStore(path: path)
            try store.record(Self.filledOrder(1))
            var batch = Self.filledOrder(2, at: 200)
            breakTail(&batch)
            #expect(throws: (any Error).self, "\(name)") { try store.record(batch) }

            let reopened = try LedgerStore(path: path)
            #expect(try reopened.fills().map(\.orderId) == ["O-1"], "\(name)")
            #expect(try reopened.venueSnapshot().ordersSubmitted == 1, "\(name)")
            #expect(try reopened.venueSnapshot().restingOrders.isEmpty, "\(name)")
            #expect(try reopened.rememberedResult(account: "mm", clientOrderId: "c2") == nil, "\(name)")
            #expect(try reopened.balances() == [AssetKey(account: "mm", asset: "BTC"): 0.5, AssetKey(account: "mm", asset: "USD"): 69_970], "\(name)")
            // The same batch without its broken tail goes through: the failure was the tail.
            try store.record(Self.filledOrder(2, at: 200))
            #expect(try reopened.fills().map(\.orderId) == ["O-1", "O-2"], "\(name)")
        }
    }
}
