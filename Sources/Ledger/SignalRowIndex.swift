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
/// restart). So a search runs from the newest row back, 16 bytes a row; and the newest row of
/// each signal still waiting for its decision is also kept by fingerprint, so the step and the
/// decision of a signal in flight find its row at once however many signals were accepted
/// after it (a director with thousands queued searched back past all of them twice a signal).
struct SignalRowIndex {
    /// One row of the signals table.
    struct Entry {
        var seq: Int64
        var fingerprint: UInt64
    }

    /// What a commit did to the rows, for `apply`, in the order it did it.
    enum Change {
        /// A row was inserted after every row already indexed, with or without its decision.
        case inserted(Entry, decided: Bool)
        /// The row `seq` got its decision.
        case decided(Entry)
    }

    /// Every row, in ascending `seq`.
    private(set) var entries: [Entry] = []
    /// The `seq` of each fingerprint's newest row, while that row has no decision.
    private(set) var undecided: [UInt64: Int64] = [:]

    /// The rows of `db`'s signals table.
    init(reading db: Database) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT seq, signal_id, decision IS NULL FROM signals ORDER BY seq")
        while let row = try rows.next() {
            insert(Entry(seq: row[0], fingerprint: IdFingerprint.of(row[1])), decided: !(row[2] as Bool))
        }
    }

    /// An index of `entries`, which must be in ascending `seq`; those whose seq is in
    /// `undecided` have no decision.
    init(_ entries: [Entry], undecided: Set<Int64> = []) {
        for entry in entries { insert(entry, decided: !undecided.contains(entry.seq)) }
    }

    /// Takes what a commit did, in order.
    mutating func apply(_ changes: [Change]) {
        for change in changes {
            switch change {
            case .inserted(let entry, let decided): insert(entry, decided: decided)
            case .decided(let entry): if undecided[entry.fingerprint] == entry.seq { undecided[entry.fingerprint] = nil }
            }
        }
    }

    /// Adds a row inserted after every row already indexed.
    private mutating func insert(_ entry: Entry, decided: Bool) {
        entries.append(entry)
        undecided[entry.fingerprint] = decided ? nil : entry.seq
    }

    /// The `seq` of the newest row whose id may be the one of `fingerprint`, when that row has
    /// no decision; nil otherwise (search with `newest`).
    func newestUndecided(_ fingerprint: UInt64) -> Int64? {
        undecided[fingerprint]
    }

    /// Forgets the rows of `deleted`, all of which have a `seq` of at most `through` and a
    /// decision (the store prunes only decided signals).
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
