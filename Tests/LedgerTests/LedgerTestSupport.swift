import Foundation
import GRDB
@testable import Ledger
import Testing
import Trading
import VenueTesting

/// Runs `body` with a fresh directory for SQLite files, removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory.path)
}

/// `withTemporaryDirectory` for async bodies.
func withTemporaryDirectoryAsync<T>(_ body: (String) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory.path)
}

/// Runs `body` in a write on a fresh in-memory database made by `schema`, with the store's
/// prepared statements over its connection: `body` gets them as a `PreparedDatabase`, and the
/// connection and the statements themselves for what it reads back.
func withPreparedDatabase(_ schema: String, _ body: (PreparedDatabase, Database, PreparedStatements) throws -> Void) throws {
    let statements = PreparedStatements()
    try DatabaseQueue().write { connection in
        try connection.execute(sql: schema)
        try body(PreparedDatabase(connection: connection, statements: statements), connection, statements)
    }
}

/// Makes an empty SQLite file at `path` in WAL mode with pages of `pageSize` bytes, as a store
/// file made before the store chose its present page size was (4 KB, SQLite's default, before
/// the stores chose one; 2 KB for a director store between changes 141 and 175).
func makeFile(at path: String, pageSize: Int) throws {
    let older = try DatabaseQueue(path: path)
    try older.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA page_size = \(pageSize)")
        _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
    }
    try older.close()
}

/// A venue whose every call is recorded in a ledger exactly as the MarketMaker adapter is
/// meant to do it; without a ledger it is the unrecorded reference.
struct RecordedVenue {
    var venue: SimulatedVenue
    var ledger: LedgerStore?

    @discardableResult
    mutating func perform(_ call: VenueScript.Call, at time: Int64) throws -> VenueScript.Outcome {
        let mark = LedgerMark(&venue)
        let outcome: VenueScript.Outcome
        let operation: VenueOperation?
        switch call {
        case .quote(let symbol, let quote):
            let fills = venue.updateQuote(symbol: symbol, quote: quote, at: time)
            (outcome, operation) = (.fills(fills), .quote(fills: fills))
        case .submit(let request):
            let result = venue.submit(request, at: time)
            (outcome, operation) = (.result(result), .submit(request, result))
        case .cancel(let orderId):
            let result = venue.cancel(orderId: orderId)
            (outcome, operation) = (.result(result), .cancel(orderId: orderId, result: result))
        case .replace(let orderId, let qty, let price):
            let original = venue.restingOrder(id: orderId)
            let result = venue.replace(orderId: orderId, newQty: qty, newLimitPrice: price, at: time)
            outcome = .result(result)
            operation = original.map { .replace(original: $0, newQty: qty, newLimitPrice: price, result: result) }
        }
        if let ledger, let operation {
            try ledger.record(LedgerBatch(operation, venue: venue, since: mark, at: time))
        }
        return outcome
    }

    /// Settles the funding due at `time` and records it (the payments and the funding clock).
    mutating func settleFunding(at time: Int64) throws -> [FundingPayment] {
        let mark = LedgerMark(&venue)
        let settlement = venue.settleFunding(at: time)
        if let ledger, !settlement.isEmpty { try ledger.record(LedgerBatch(.funding(settlement), venue: venue, since: mark, at: time)) }
        return settlement.payments
    }
}
