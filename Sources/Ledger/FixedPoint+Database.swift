import GRDB
import Trading

/// Quantities, prices and amounts are stored as SQLite INTEGERs in units of 10⁻⁸ (the
/// value's `raw`), so what is read back is exactly what was written. A value of any other
/// storage class (a REAL from a floating-point ledger, text) does not convert.
extension FixedPoint: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { raw.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Self? {
        guard case .int64(let units) = dbValue.storage else { return nil }
        return Self(raw: units)
    }
}
