import Foundation
import GRDB
import GRDBSQLite
import Trading

/// Binds a statement's parameters, in order, through the SQLite C API, for the statements every
/// commit of the ledger and the director's store runs (`PreparedDatabase.run`). GRDB's
/// `execute(arguments:)` boxes each value as an existential, converts it to a `DatabaseValue`,
/// validates the count and binds each in a closure nested in the previous one: more
/// instructions than those small statements take in SQLite. Strings and blobs are copied by
/// SQLite (`SQLITE_TRANSIENT`).
struct ParameterBinder {
    private let statement: SQLiteStatement
    /// The next parameter's index (1-based).
    private(set) var index: Int32 = 1

    init(_ statement: SQLiteStatement) { self.statement = statement }

    /// SQLite's "copy the bytes now" destructor.
    private static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }

    mutating func bind(_ value: Int64) {
        sqlite3_bind_int64(statement, index, value)
        index += 1
    }

    mutating func bind(_ value: Int) { bind(Int64(value)) }

    mutating func bind(_ value: Bool) { bind(Int64(value ? 1 : 0)) }

    mutating func bind(_ value: Double) {
        sqlite3_bind_double(statement, index, value)
        index += 1
    }

    /// A quantity, price or amount: its units of 10⁻⁸, as `FixedPoint+Database` stores them.
    mutating func bind<Kind>(_ value: FixedPoint<Kind>) { bind(value.raw) }

    mutating func bind(_ value: String) {
        var value = value
        value.withUTF8 { bytes in
            // An empty buffer may have no address, which SQLite would bind as NULL.
            guard let base = bytes.baseAddress, !bytes.isEmpty else {
                sqlite3_bind_text(statement, index, "", 0, Self.transient)
                return
            }
            sqlite3_bind_text(statement, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.transient)
        }
        index += 1
    }

    mutating func bind(_ value: Data) {
        value.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else {
                sqlite3_bind_zeroblob(statement, index, 0)
                return
            }
            sqlite3_bind_blob(statement, index, base, Int32(bytes.count), Self.transient)
        }
        index += 1
    }

    mutating func bindNull() {
        sqlite3_bind_null(statement, index)
        index += 1
    }

    mutating func bind(_ value: String?) { if let value { bind(value) } else { bindNull() } }
    mutating func bind(_ value: Data?) { if let value { bind(value) } else { bindNull() } }
    mutating func bind<Kind>(_ value: FixedPoint<Kind>?) { if let value { bind(value) } else { bindNull() } }
}
