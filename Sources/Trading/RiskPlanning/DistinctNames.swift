/// A set of names (assets, symbols) that answers whether a name is new. A few names are kept in
/// an array and compared one by one, which for the short names of an account's assets costs
/// less than hashing each; past `linearLimit` they move into a `Set`, so a long list stays
/// linear in its length.
struct DistinctNames {
    /// How many names are compared one by one before a hash set takes over.
    static let linearLimit = 16

    private var few: [String] = []
    private var many: Set<String> = []
    private let capacity: Int

    /// An empty set that makes room for `capacity` names in its array when the first comes.
    init(capacity: Int) { self.capacity = min(max(capacity, 1), Self.linearLimit) }

    /// Adds `name`; true when it was not there before.
    mutating func insert(_ name: String) -> Bool {
        if !many.isEmpty { return many.insert(name).inserted }
        if few.isEmpty { few.reserveCapacity(capacity) }
        if few.contains(name) { return false }
        if few.count < Self.linearLimit {
            few.append(name)
        } else {
            many = Set(few)
            many.insert(name)
            few = []
        }
        return true
    }
}
