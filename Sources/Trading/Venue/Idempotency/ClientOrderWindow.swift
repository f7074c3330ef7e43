extension TradingError.Code {
    /// The venue could not read its archive of older client order ids, so it cannot tell a
    /// retry from a new order; the order is not executed.
    public static let clientOrderLookupFailed = TradingError.Code(rawValue: "client_order_lookup_failed")
}

/// The venue's memory of client order ids: every id in memory by default, or, once bounded,
/// only the recent ones, with older ones looked up in a durable archive.
///
/// Bounded to `limit`, ids live in two generations of `limit / 2`: when the recent one is full
/// it becomes the older one and the previous older one is dropped, so memory stays within
/// `limit` results however long the venue runs. Every id is also added to a Bloom filter; an
/// id found in neither generation that the filter may have seen is looked up in the archive,
/// so a retry of any id ever answered still gets its first result. A new id costs two probes
/// of the generations and four bits of the filter.
struct ClientOrderWindow: Sendable {
    private var recent = ClientOrderMemory()
    private var older = ClientOrderMemory()
    private var seen = SeenKeyFilter(log2Bits: 0)
    private var bound: (limit: Int, archive: any ClientOrderArchive)?

    /// Remembers nothing yet, with no bound.
    init() {}

    /// Ids held in memory.
    var count: Int { recent.count + older.count }

    /// The bound and archive set by `bound(to:archive:accounts:)`, nil while unbounded.
    var limit: (count: Int, archive: any ClientOrderArchive)? { bound.map { ($0.limit, $0.archive) } }

    /// Remembers `results`, oldest first, as `snapshot()` listed them; refused as
    /// `ClientOrderMemory(restoring:accounts:)` refuses them.
    init(restoring results: [OrderResult], accounts: NameIndex) throws(TradingError) {
        recent = try ClientOrderMemory(restoring: results, accounts: accounts)
    }

    /// From now on keeps at most `limit` (at least 2) results in memory and looks older ids
    /// up in `archive`, which must hold every result remembered so far.
    mutating func bound(to limit: Int, archive: any ClientOrderArchive, accounts: NameIndex) throws(TradingError) {
        let half = max(1, limit / 2)
        let all = older.results + recent.results
        var seen = SeenKeyFilter()
        for result in all {
            guard let account = accounts[result.account] else { continue }
            seen.insert(ClientOrderKey(account: account, clientOrderId: result.clientOrderId))
        }
        let kept = all.suffix(2 * half)
        let split = kept.startIndex + max(0, kept.count - half)
        older = try ClientOrderMemory(restoring: Array(kept[..<split]), accounts: accounts)
        recent = try ClientOrderMemory(restoring: Array(kept[split...]), accounts: accounts)
        self.seen = seen
        bound = (2 * half, archive)
    }

    /// What `key` found: the first result when `request` repeats its terms, a conflict naming
    /// the first term that differs, or nil when `key` is new, which claims it: the very next
    /// call must be `remember`, with the key's first outcome.
    mutating func claim(_ key: ClientOrderKey, request: OrderRequest, names: [String]) -> Resubmission? {
        guard let bound else { return recent.claim(key, request: request, names: names) }
        if let found = recent.resubmission(of: key, request: request, names: names)
            ?? older.resubmission(of: key, request: request, names: names) {
            return found
        }
        if seen.mayContain(key) {
            do {
                if let first = try bound.archive.firstResult(account: request.account, clientOrderId: request.clientOrderId) {
                    return ClientOrderMemory.resubmission(of: request, first: first, record: OrderRecord(keeping: first, at: 0))
                }
            } catch {
                return .conflict(TradingError(.clientOrderLookupFailed,
                    "cannot tell whether client order id \"\(request.clientOrderId)\" of account \(request.account) was used before: "
                    + "its archive could not be read (\(error)); the order was not executed, resend it"))
            }
        }
        seen.insert(key)
        return recent.claim(key, request: request, names: names)
    }

    /// Stores the outcome of the key just claimed; a full recent generation becomes the older one.
    mutating func remember(_ outcome: consuming OrderOutcome) {
        recent.remember(outcome)
        if let bound, recent.count >= bound.limit / 2 {
            older = recent
            recent = ClientOrderMemory()
        }
    }

    /// The remembered result of `key` held in memory, nil when none is.
    func result(for key: ClientOrderKey, names: [String]) -> OrderResult? {
        recent.result(for: key, names: names) ?? older.result(for: key, names: names)
    }

    /// Whether the result of `key` held in memory is that of order `orderId`, as `result(for:)`
    /// would tell; nil when none is held.
    func remembers(_ orderId: String, for key: ClientOrderKey, names: [String]) -> Bool? {
        recent.remembers(orderId, for: key, names: names) ?? older.remembers(orderId, for: key, names: names)
    }

    /// Every result held in memory, oldest first.
    var results: [OrderResult] { older.results + recent.results }

    /// Pre-sizes for `more` ids (only the recent generation's share once bounded).
    mutating func reserveCapacity(_ more: Int) {
        recent.reserveCapacity(bound.map { min(more, $0.limit / 2) } ?? more)
    }
}
