/// What the venue did with one order, in the form it is remembered for replay: a fill or a
/// resting order as an `OrderRecord`, anything else (a rejection) as the whole result.
enum OrderOutcome: Sendable {
    case record(OrderRecord)
    /// Boxed: rare, and the whole result is half again as large as a record, which every
    /// outcome would otherwise carry and copy.
    indirect case whole(OrderResult)

    /// The result the client gets.
    var result: OrderResult {
        switch self {
        case .record(let record): record.result
        case .whole(let result): result
        }
    }
}

/// What a resubmitted client order id found in the venue's memory.
enum Resubmission: Sendable {
    /// The request repeats the first order's terms: its result, unchanged.
    case replay(OrderResult)
    /// The request differs from the first order in a term: why it is refused.
    case conflict(TradingError)
}

/// The first result of every (account, client order id) the venue has seen, oldest first,
/// for idempotent resubmission.
///
/// Results live in one contiguous array of `OrderRecord`s, so remembering an order costs no
/// heap allocation beyond the client id string the request already holds; only results
/// that are not a fill or a resting order are kept whole, beside it. The index holds
/// positions in that array.
struct ClientOrderMemory: Sendable {
    private var index = ClientOrderIndex()
    private var records: [OrderRecord] = []
    /// Results that records of shape `.kept` stand for.
    private var kept: [OrderResult] = []

    /// Ids remembered.
    var count: Int { records.count }

    /// Remembers nothing yet.
    init() {}

    /// What `key` found: the remembered result when `request` repeats the first order's
    /// terms, a conflict naming the first term that differs; or nil when `key` is new, which
    /// claims it: the very next call must be `remember`, with the key's first outcome.
    /// `names` are the venue's account names.
    mutating func claim(_ key: ClientOrderKey, request: OrderRequest, names: [String]) -> Resubmission? {
        let slot = slot(claiming: key) { Self.record($0, belongsTo: key, names: names) }
        guard slot < records.count else { return nil }
        return Self.resubmission(of: request, first: result(at: slot), record: records[slot])
    }

    /// What `key` finds, like `claim`, but a new key stays unclaimed.
    func resubmission(of key: ClientOrderKey, request: OrderRequest, names: [String]) -> Resubmission? {
        guard let slot = slot(of: key, names: names) else { return nil }
        return Self.resubmission(of: request, first: result(at: slot), record: records[slot])
    }

    /// A replay of `first` when `request` repeats its terms (as `record` holds them), else a
    /// conflict naming the first term that differs.
    static func resubmission(of request: OrderRequest, first: OrderResult, record: OrderRecord) -> Resubmission {
        guard let difference = record.firstDifference(from: request) else { return .replay(first) }
        return .conflict(VenueRejection.duplicateClientOrderId(
            request.clientOrderId, account: request.account, firstOrderId: first.orderId,
            field: difference.field, first: difference.first, now: difference.now))
    }

    /// Stores the outcome of the key just claimed.
    mutating func remember(_ outcome: consuming OrderOutcome) {
        switch consume outcome {
        case .record(let record): records.append(record)
        case .whole(let result): keep(result)
        }
    }

    /// The remembered result of `key`, nil when it has none.
    func result(for key: ClientOrderKey, names: [String]) -> OrderResult? {
        slot(of: key, names: names).map(result(at:))
    }

    /// Whether the result remembered for `key` is that of order `orderId`, told without
    /// building the result; nil when `key` has none.
    func remembers(_ orderId: String, for key: ClientOrderKey, names: [String]) -> Bool? {
        guard let slot = slot(of: key, names: names) else { return nil }
        let record = records[slot]
        return record.shape == .kept ? kept[record.number].orderId == orderId : VenueOrderId.render(record.number) == orderId
    }

    /// Every remembered result, oldest first.
    var results: [OrderResult] { records.indices.map(result(at:)) }

    /// Pre-sizes for `more` ids.
    mutating func reserveCapacity(_ more: Int) {
        index.reserveCapacity(more)
        records.reserveCapacity(records.count + more)
    }

    /// Remembers `results`, oldest first, as `snapshot()` listed them. Refused: a result
    /// naming an account not in `accounts`, and an empty or repeated client order id.
    init(restoring results: [OrderResult], accounts: NameIndex) throws(TradingError) {
        reserveCapacity(results.count)
        for (slot, result) in results.enumerated() {
            guard let account = accounts[result.account] else {
                throw TradingError(.unknownAccount, "restored result \(result.orderId) names unknown account \"\(result.account)\"")
            }
            let key = ClientOrderKey(account: account, clientOrderId: result.clientOrderId)
            guard !result.clientOrderId.isEmpty,
                  self.slot(claiming: key, belongsTo: { $0.clientOrderId == key.clientOrderId && $0.account == result.account }) == slot
            else {
                throw TradingError(.duplicateOrder, "restored result \(result.orderId) has an empty or repeated client order id \"\(result.clientOrderId)\"")
            }
            if let record = OrderRecord(exactly: result) { self.records.append(record) } else { keep(result) }
        }
    }

    /// The slot of `key`'s first result, nil when it has none.
    private func slot(of key: ClientOrderKey, names: [String]) -> Int? {
        index.find(key) { Self.record(records[$0], belongsTo: key, names: names) }
    }

    /// The slot of `key`'s first result, or the next slot (now claimed for it) when the key is new.
    private mutating func slot(claiming key: ClientOrderKey, belongsTo: (OrderRecord) -> Bool) -> Int {
        // Read through a local: the index is being mutated, so `self` cannot be read meanwhile.
        // It goes out of scope on return, before anything appends, so no append copies.
        let records = records
        return index.claim(key, next: records.count) { belongsTo(records[$0]) }
    }

    private mutating func keep(_ result: OrderResult) {
        records.append(OrderRecord(keeping: result, at: kept.count))
        kept.append(result)
    }

    private func result(at slot: Int) -> OrderResult {
        let record = records[slot]
        return record.shape == .kept ? kept[record.number] : record.result
    }

    private static func record(_ record: OrderRecord, belongsTo key: ClientOrderKey, names: [String]) -> Bool {
        record.clientOrderId == key.clientOrderId && record.account == names[key.account]
    }
}
