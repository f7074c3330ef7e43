import Foundation
import GRDB

/// What a restarted director reads back, and the recorded decision of a signal seen before.
extension DirectorStore {
    /// Reads back what a restarted director needs, first forgetting decided signals older than
    /// the newest `rememberedSignals`; from then on the store keeps forgetting them as it runs.
    ///
    /// The rows are read in the order of their slots, which is the file's own order, and put in
    /// the order signals came in here: `seq` has no index, and sorting a full store's rows by it
    /// in SQLite cost a restart more than reading them (docs/PERFORMANCE.md, change 165).
    public func load(rememberedSignals: Int) throws -> DirectorRecords {
        let remembered = max(1, rememberedSignals)
        pruning.withLock { $0.remembered = remembered }
        return try queue.write { db in
            var rows: [(seq: Int64, slot: Int64, id: String, decided: Bool)] = []
            let cursor = try Row.fetchCursor(db, sql: "SELECT seq, slot, signal_id, decision IS NOT NULL FROM signals")
            while let row = try cursor.next() { rows.append((row[0], row[1], row[2], row[3])) }
            rows.sort { $0.seq < $1.seq }
            // Decided signals beyond the newest `remembered` decided ones are forgotten.
            let beyond = rows.reduce(0) { $1.decided ? $0 + 1 : $0 } - remembered
            let oldest = beyond > 0 ? rows.lazy.filter(\.decided).prefix(beyond).map(\.slot) : []
            let forgotten = try forget(Array(oldest), PreparedDatabase(connection: db, statements: statements))
            var pending: [Int64: DirectorRecords.PendingSignal] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT slot, signal_id, symbol, received_us, envelope, step FROM signals WHERE decision IS NULL") {
                pending[row["slot"]] = DirectorRecords.PendingSignal(signalId: row["signal_id"], symbol: row["symbol"], receivedUs: row["received_us"],
                                                                     envelope: row["envelope"], step: row["step"])
            }
            var records = DirectorRecords()
            var entries: [SignalRowIndex.Entry] = []
            entries.reserveCapacity(rows.count - forgotten.count)
            for row in rows where !forgotten.contains(row.slot) {
                if row.decided {
                    records.decidedIds.append(row.id)
                } else if let signal = pending[row.slot] {
                    records.pending.append(signal)
                }
                entries.append(.init(slot: row.slot, fingerprint: IdFingerprint.of(row.id)))
            }
            let undecided = Set(pending.keys)
            signalRows.withLock { $0 = SignalRowIndex(entries, undecided: undecided, lastSeq: rows.last?.seq ?? 0) }
            records.positions = try Row.fetchAll(db, sql: "SELECT opening_signal_id, state FROM positions ORDER BY seq")
                .map { (openingSignalId: $0["opening_signal_id"], state: $0["state"]) }
            return records
        }
    }

    /// The recorded decision of `signalId` (of its newest row); nil when it has none yet (or is
    /// unknown).
    public func decision(of signalId: String) throws -> Data? {
        try queue.read { db in
            try indexSignalRows(db)
            let fingerprint = IdFingerprint.of(signalId)
            var end: Int?
            while let (slot, at) = newestRow(fingerprint, before: end) {
                if let row = try Row.fetchOne(db, sql: "SELECT signal_id, decision FROM signals WHERE slot = ?", arguments: [slot]),
                   row["signal_id"] as String == signalId {
                    return row["decision"]
                }
                end = at
            }
            return nil
        }
    }
}
