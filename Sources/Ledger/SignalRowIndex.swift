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

/// Where the director store's signals are: the `slot` (the row's key) of every row of its
/// signals table with a fingerprint of the row's signal id, in the order the signals were
/// accepted (their `seq`), oldest first. The store finds a signal's row through it and then by
/// its key, instead of through an index of signal ids in the file, which cost every accepted
/// signal a page of log for lookups that are either of the newest rows (the step and decision
/// of a signal in flight) or rare (the decision of a re-sent signal, after a restart). So a
/// search runs from the newest row back, 16 bytes a row; and the newest row of each signal
/// still waiting for its decision is also kept by fingerprint, so the step and the decision of
/// a signal in flight find its row at once however many signals were accepted after it.
///
/// It also says which rows a new signal may be written over (`reusableSlots`): once a store
/// holds as many signals as it remembers, the oldest decided one is forgotten for each new one,
/// and its row takes the new signal in place.
struct SignalRowIndex {
    /// One row of the signals table.
    struct Entry {
        var slot: Int64
        var fingerprint: UInt64
    }

    /// What a commit did to the rows, for `apply`, in the order it did it.
    enum Change {
        /// A row was inserted for a signal accepted after every one indexed, with or without its
        /// decision.
        case inserted(Entry, decided: Bool)
        /// The row `entry.slot` was written over with a signal accepted after every one
        /// indexed: its old signal (decided, among the oldest) is forgotten.
        case reused(Entry, decided: Bool)
        /// The row `slot` got its decision.
        case decided(Entry)
    }

    /// How far from the oldest row a row to write over is looked for: rows of signals still in
    /// flight are passed over, and a store whose oldest rows are all in flight inserts instead.
    static let reuseReach = 64

    /// The rows, oldest first, from `head` on; those before `head` are forgotten and dropped
    /// from the storage now and then.
    private var rows: [Entry] = []
    private var head = 0
    /// The `seq` of the signal accepted last (0 when none).
    private(set) var lastSeq: Int64 = 0
    /// The slot of each fingerprint's newest row, while that row has no decision.
    private(set) var undecided: [UInt64: Int64] = [:]
    /// The slots of every row without a decision (a fingerprint's older rows included).
    private var inFlight: Set<Int64> = []

    /// The rows of `db`'s signals table.
    init(reading db: Database) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT slot, signal_id, decision IS NULL, seq FROM signals ORDER BY seq")
        while let row = try rows.next() {
            append(Entry(slot: row[0], fingerprint: IdFingerprint.of(row[1])), decided: !(row[2] as Bool))
            lastSeq = row[3]
        }
    }

    /// An index of `entries`, oldest first, the last accepted as `lastSeq`; those whose slot is
    /// in `undecided` have no decision.
    init(_ entries: [Entry], undecided: Set<Int64> = [], lastSeq: Int64? = nil) {
        for entry in entries { append(entry, decided: !undecided.contains(entry.slot)) }
        self.lastSeq = lastSeq ?? Int64(entries.count)
    }

    /// Every row, oldest first; positions (as `newest` returns them) are this slice's indices.
    var entries: ArraySlice<Entry> { rows[head...] }

    /// Takes what a commit did, in order.
    mutating func apply(_ changes: [Change]) {
        for change in changes {
            switch change {
            case .inserted(let entry, let decided):
                append(entry, decided: decided)
                lastSeq += 1
            case .reused(let entry, let decided):
                forget(slot: entry.slot)
                append(entry, decided: decided)
                lastSeq += 1
            case .decided(let entry):
                if undecided[entry.fingerprint] == entry.slot { undecided[entry.fingerprint] = nil }
                inFlight.remove(entry.slot)
            }
        }
    }

    /// Adds a row of a signal accepted after every one indexed.
    private mutating func append(_ entry: Entry, decided: Bool) {
        rows.append(entry)
        undecided[entry.fingerprint] = decided ? nil : entry.slot
        if !decided { inFlight.insert(entry.slot) }
    }

    /// The rows that `count` signals accepted next, in one commit, may be written over, in
    /// their order: for each, the oldest decided row within `reuseReach` of the oldest that is
    /// no longer among the newest `remembered` once the signals before it are in, or nil when
    /// there is none (the signal gets a row of its own).
    func reusableSlots(count: Int, remembered: Int) -> [Int64?] {
        var slots: [Int64?] = []
        slots.reserveCapacity(count)
        let live = rows.count - head
        var position = 0
        for placed in 0..<count {
            // Rows newer than the one at `position`: those indexed after it and the signals
            // placed before this one; with this one, `remembered` or more leave it forgotten.
            while position < min(live, Self.reuseReach), inFlight.contains(rows[head + position].slot) {
                position += 1
            }
            if position < min(live, Self.reuseReach), live - position + placed >= remembered {
                slots.append(rows[head + position].slot)
                position += 1
            } else {
                slots.append(nil)
            }
        }
        return slots
    }

    /// The slots of the decided rows older than the newest `remembered` (the rows of signals
    /// in flight stay however old).
    func forgettable(remembered: Int) -> [Int64] {
        let live = rows.count - head
        guard live > remembered else { return [] }
        return rows[head..<(head + live - remembered)].compactMap { inFlight.contains($0.slot) ? nil : $0.slot }
    }

    /// Forgets the rows of `deleted`, all of them decided and among the oldest.
    mutating func remove(_ deleted: Set<Int64>) {
        guard !deleted.isEmpty else { return }
        var kept: [Entry] = []
        var position = head
        var found = 0
        while position < rows.count, found < deleted.count {
            if deleted.contains(rows[position].slot) { found += 1 } else { kept.append(rows[position]) }
            position += 1
        }
        rows.replaceSubrange(head..<position, with: kept)
    }

    /// Forgets the row `slot`, decided and near the oldest: the rows before it move up one place.
    private mutating func forget(slot: Int64) {
        guard let position = rows[head...].firstIndex(where: { $0.slot == slot }) else { return }
        var index = position
        while index > head {
            rows[index] = rows[index - 1]
            index -= 1
        }
        head += 1
        // Dropped from the storage once the forgotten rows are as many as the kept ones.
        if head >= 1_024 && head * 2 >= rows.count {
            rows.removeSubrange(0..<head)
            head = 0
        }
    }

    /// The `slot` of the newest row whose id may be the one of `fingerprint`, when that row
    /// has no decision; nil otherwise (search with `newest`).
    func newestUndecided(_ fingerprint: UInt64) -> Int64? {
        undecided[fingerprint]
    }

    /// The position of the newest row before `end` whose id may be the one of `fingerprint`;
    /// nil when there is none. Pass the previous answer as `end` to go on to older ones.
    func newest(_ fingerprint: UInt64, before end: Int? = nil) -> Int? {
        entries[..<(end ?? entries.endIndex)].lastIndex { $0.fingerprint == fingerprint }
    }
}
