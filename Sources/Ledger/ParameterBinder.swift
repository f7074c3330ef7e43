import Foundation
import GRDB
import GRDBSQLite
import Trading

/// Binds a statement's parameters, in order, through the SQLite C API, for the statements every
/// commit of the ledger and the director's store runs (`PreparedDatabase.run`). GRDB's
/// `execute(arguments:)` boxes each value as an existential, converts it to a `DatabaseValue`,
/// validates the count and binds each in a closure nested in the previous one: more
/// instructions than those small statements take in SQLite.
///
/// Strings and blobs are copied into `arena`, memory the caller holds until the statement has
/// run and its bindings are cleared, and bound from there as they are (`SQLITE_STATIC`); bound
/// `SQLITE_TRANSIENT`, SQLite would allocate a copy of each and free it at the next binding. A
/// value the arena has no room left for is bound `SQLITE_TRANSIENT`.
struct ParameterBinder {
    private let statement: SQLiteStatement
    /// The next parameter's index (1-based).
    private(set) var index: Int32 = 1
    /// Where bound bytes are copied to, and how much of it they take.
    private let arena: UnsafeMutableRawBufferPointer
    private(set) var used = 0

    /// A binder of `statement`'s parameters copying bytes into `arena`, which must stay
    /// allocated and untouched until the statement has run and its bindings are cleared.
    init(_ statement: SQLiteStatement, arena: UnsafeMutableRawBufferPointer) {
        self.statement = statement
        self.arena = arena
    }

    /// SQLite's "copy the bytes now" destructor.
    private static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }
    /// SQLite's "the bytes stay where they are" destructor.
    private static var unmoving: sqlite3_destructor_type? { nil }

    /// The `count` bytes at `source` where SQLite may read them until the bindings are
    /// cleared, and how it is to treat them: a copy in the arena, or the bytes at `source` for
    /// SQLite to copy when the arena has no room left.
    private mutating func placed(_ source: UnsafeRawPointer, count: Int) -> (UnsafeRawPointer, sqlite3_destructor_type?) {
        guard let arenaBase = arena.baseAddress, arena.count - used >= count else { return (source, Self.transient) }
        let target = arenaBase + used
        target.copyMemory(from: source, byteCount: count)
        used += count
        return (UnsafeRawPointer(target), Self.unmoving)
    }

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
            let (text, destructor) = placed(base, count: bytes.count)
            sqlite3_bind_text(statement, index, text.assumingMemoryBound(to: CChar.self), Int32(bytes.count), destructor)
        }
        index += 1
    }

    mutating func bind(_ value: Data) {
        value.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else {
                sqlite3_bind_zeroblob(statement, index, 0)
                return
            }
            let (blob, destructor) = placed(base, count: bytes.count)
            sqlite3_bind_blob(statement, index, blob, Int32(bytes.count), destructor)
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
