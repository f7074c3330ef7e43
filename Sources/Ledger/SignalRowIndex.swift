import GRDB

/// A 64-bit fingerprint of an id: a keyed hash, seeded per process, so it is only ever
/// compared with fingerprints made by the same process. Two different ids share one with
/// probability about 2⁻⁶⁴; whoever acts on a match compares the ids themselves where a mistake
/// would matter.
public enum IdFingerprint {
    /// The fingerprint of `id`.
    public static func of(_ id: String) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(id)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }
}

/// Where the director store's signals are: the `seq` of every row of its signals table with a
/// fingerprint of the row's signal id, oldest first. The store finds a signal's row through it
/// and then by its key, instead of through an index of signal ids in the file, which cost
/// every accepted signal a page of log for lookups that are either of the newest rows (the
/// step and decision of a signal in flight) or rare (the decision of a re-sent signal, after a
/// restart). So a search runs from the newest row back. 16 bytes a row.
struct SignalRowIndex {
    /// One row of the signals table.
    struct Entry {
        var seq: Int64
        var fingerprint: UInt64
    }

    /// Every row, in ascending `seq`.
    private(set) var entries: [Entry] = []

    /// The rows of `db`'s signals table.
    init(reading db: Database) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT seq, signal_id FROM signals ORDER BY seq")
        while let row = try rows.next() {
            entries.append(Entry(seq: row[0], fingerprint: IdFingerprint.of(row[1])))
        }
    }

    /// An index of `entries`, which must be in ascending `seq`.
    init(_ entries: [Entry]) {
        self.entries = entries
    }

    /// Adds rows inserted after every row already indexed.
    mutating func append(contentsOf added: [Entry]) {
        entries.append(contentsOf: added)
    }

    /// Forgets the rows of `deleted`, all of which have a `seq` of at most `through`.
    mutating func remove(_ deleted: Set<Int64>, through: Int64) {
        guard !deleted.isEmpty else { return }
        let end = entries.firstIndex { $0.seq > through } ?? entries.endIndex
        var kept = entries.startIndex
        for position in entries.startIndex..<end where !deleted.contains(entries[position].seq) {
            entries[kept] = entries[position]
            kept += 1
        }
        entries.removeSubrange(kept..<end)
    }

    /// The position of the newest row before `end` whose id may be the one of `fingerprint`;
    /// nil when there is none. Pass the previous answer as `end` to go on to older ones.
    func newest(_ fingerprint: UInt64, before end: Int? = nil) -> Int? {
        entries[..<(end ?? entries.endIndex)].lastIndex { $0.fingerprint == fingerprint }
    }
}
