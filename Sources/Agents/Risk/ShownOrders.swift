/// The orders one account's events have named lately (`AccountPayload.orders`), each with the
/// version of the event that named it, in the venue epoch of those events: an assessment asked
/// for after one of them (`assess`'s `after_order`) judges the account at that version or later.
/// Bounded: names are kept in two generations of at most `limit` each, and the older generation
/// is let go when the newer fills, so an order is remembered for at least `limit` later ones.
struct ShownOrders: Sendable {
    private var epoch: String
    private var newer: [String: UInt64] = [:]
    private var older: [String: UInt64] = [:]
    static let limit = 4_096

    /// Nothing shown yet in `epoch`.
    init(epoch: String) { self.epoch = epoch }

    /// Notes `names`, named by an event at `version` in `epoch`; a new epoch forgets the old one's.
    mutating func note(_ names: [String], version: UInt64, epoch: String) {
        if epoch != self.epoch { self = ShownOrders(epoch: epoch) }
        for name in names {
            if newer.count >= Self.limit {
                older = newer
                newer = [:]
            }
            newer[name] = version
        }
    }

    /// The version of the event that named `name` in `epoch`; nil when none did lately.
    func version(of name: String, epoch: String) -> UInt64? {
        guard epoch == self.epoch else { return nil }
        return newer[name] ?? older[name]
    }
}
