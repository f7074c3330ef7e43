import Foundation
import GRDB

/// What a restarted director reads back, and the recorded decision of a signal seen before.
extension DirectorStore {
    /// Reads back what a restarted director needs, first forgetting decided signals older than
    /// the newest `rememberedSignals`; from then on the store keeps forgetting them as it runs.
    public func load(rememberedSignals: Int) throws -> DirectorRecords {
        pruning.withLock { $0.remembered = max(1, rememberedSignals) }
        return try queue.write { db in
            try db.execute(sql: """
                DELETE FROM signals WHERE decision IS NOT NULL AND seq < (
                    SELECT COALESCE(MIN(seq), 0) FROM (SELECT seq FROM signals WHERE decision IS NOT NULL ORDER BY seq DESC LIMIT ?))
                """, arguments: [max(1, rememberedSignals)])
            var records = DirectorRecords()
            var entries: [(seq: Int64, entry: SignalRowIndex.Entry)] = []
            var undecided: Set<Int64> = []
            for row in try Row.fetchAll(db, sql: "SELECT slot, seq, signal_id, symbol, received_us, envelope, step FROM signals WHERE decision IS NULL ORDER BY seq") {
                let pending = DirectorRecords.PendingSignal(signalId: row["signal_id"], symbol: row["symbol"], receivedUs: row["received_us"],
                                                            envelope: row["envelope"], step: row["step"])
                records.pending.append(pending)
                entries.append((row["seq"], .init(slot: row["slot"], fingerprint: IdFingerprint.of(pending.signalId))))
                undecided.insert(row["slot"])
            }
            let decided = try Row.fetchCursor(db, sql: "SELECT slot, seq, signal_id FROM signals WHERE decision IS NOT NULL ORDER BY seq")
            while let row = try decided.next() {
                let id: String = row["signal_id"]
                records.decidedIds.append(id)
                entries.append((row["seq"], .init(slot: row["slot"], fingerprint: IdFingerprint.of(id))))
            }
            entries.sort { $0.seq < $1.seq }
            signalRows.withLock { $0 = SignalRowIndex(entries.map(\.entry), undecided: undecided, lastSeq: entries.last?.seq ?? 0) }
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
