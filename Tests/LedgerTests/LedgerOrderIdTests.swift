import Foundation
import GRDB
@testable import Ledger
import Testing
import Trading

/// An order's id is "O-" and its number, the orders table's key (schema v7): the ledger keeps
/// no index of ids of its own, refuses an id that is not its number's, and finds orders,
/// their events and resting orders by the number.
@Suite struct LedgerOrderIdTests {
    static func indexes(_ store: LedgerStore, on table: String) throws -> [String] {
        try store.queue.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY name",
                                arguments: [table])
        }
    }

    @Test func ordersKeepOnlyTheIndexOfRememberedClientOrderIds() throws {
        try withTemporaryDirectory { directory in
            let store = try LedgerStore(path: directory + "/ledger.sqlite")
            #expect(try Self.indexes(store, on: "orders") == ["orders_remembered"])
            try store.record(LedgerStoreTests.filledOrder(1))
            try store.record(LedgerStoreTests.filledOrder(2, at: 200))
            #expect(try store.status(ofOrder: "O-1") == .filled)
            #expect(try store.status(ofOrder: "O-2") == .filled)
            // Ids that are not an order's own: no row, whatever number they start with.
            for id in ["O-3", "O-01", "O-1x", "X-1", "O-", ""] {
                #expect(try store.status(ofOrder: id) == nil, "\(id)")
            }
            #expect(try store.events().map(\.orderId) == ["O-1", "O-2"])
        }
    }

    @Test func anIdThatIsNotItsNumbersAndAnEventOfAnUnknownOrderAreRefusedWritingNothing() throws {
        try withTemporaryDirectory { directory in
            let store = try LedgerStore(path: directory + "/ledger.sqlite")
            try store.record(LedgerStoreTests.filledOrder(1))
            let before = try store.events()

            var mislabelled = LedgerStoreTests.filledOrder(2, at: 200)
            mislabelled.orders[0].number = 3
            #expect(throws: (any Error).self) { try store.record(mislabelled) }

            // The fill of order 2 without the order itself.
            var orphan = LedgerStoreTests.filledOrder(2, at: 200)
            orphan.orders = []
            #expect(throws: (any Error).self) { try store.record(orphan) }

            #expect(try store.events() == before)
            #expect(try store.status(ofOrder: "O-2") == nil)
            try store.record(LedgerStoreTests.filledOrder(2, at: 200))
            #expect(try store.status(ofOrder: "O-2") == .filled)
        }
    }

    @Test func aVersion6LedgerWithAnIdThatIsNotItsNumbersIsRefusedNamingIt() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/ledger.sqlite"
            let queue = try DatabaseQueue(path: path, configuration: DurableSQLite.configuration(readOnly: false))
            try LedgerSchema.migrator.migrate(queue, upTo: "v6")
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO orders (number, order_id, account, client_order_id, symbol, side, type, status, remembered, request, result, ts)
                    VALUES (3, 'O-7', 'mm', 'c3', 'BTC-USD', 'buy', 'market', 'filled', 1, '{}', '{}', 1)
                    """)
            }
            try queue.close()
            do {
                _ = try LedgerStore(path: path)
                Issue.record("a ledger with order 'O-7' numbered 3 was opened")
            } catch {
                #expect("\(error)".contains("'O-7'") && "\(error)".contains("move it away"), "\(error)")
            }
        }
    }
}
