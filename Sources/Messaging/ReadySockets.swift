/// The sockets of a poll loop that may have input, by id, in the order they became ready, each
/// listed once (see `SocketPoller` for when a socket must be marked).
///
/// A value the loop keeps in its own state, so marking and taking cost no dynamic exclusivity
/// check, and taking swaps storage with the caller's batch instead of allocating a fresh list.
struct ReadySockets {
    private var ids: [Int] = []

    /// Whether some socket may have input.
    var isEmpty: Bool { ids.isEmpty }

    /// Whether `id` is listed.
    func contains(_ id: Int) -> Bool { ids.contains(id) }

    /// Notes that `id` may have input.
    mutating func mark(_ id: Int) {
        if !ids.contains(id) { ids.append(id) }
    }

    /// Forgets `id` (its socket is no longer watched).
    mutating func remove(_ id: Int) {
        ids.removeAll { $0 == id }
    }

    /// Moves the ids into `batch`, whose earlier contents are dropped, leaving this list empty.
    /// The two arrays trade storage, so once both have grown, taking allocates nothing.
    mutating func take(into batch: inout [Int]) {
        batch.removeAll(keepingCapacity: true)
        swap(&ids, &batch)
    }
}
