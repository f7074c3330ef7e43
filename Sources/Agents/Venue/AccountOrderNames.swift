/// The client order ids whose changes no `account.<name>` event has named yet, per account,
/// each with the account version its commit made (`AccountPayload.orders`). An order is noted
/// when its ledger batch counts a new version of its account, before any snapshot at that
/// version can be taken; an event takes the names of every order at its version or before
/// as it is published. So the first event published at or past an order's version names it,
/// whether or not the events of the versions between were published (an event overtaken by a
/// later one is dropped, and the later one named its orders already).
struct AccountOrderNames: Sendable {
    private var waiting: [String: [(version: UInt64, clientOrderId: String)]] = [:]
    /// Names kept per account while no event takes them (a journal that failed publishes
    /// nothing): the oldest go first, and a reader waiting for one of those asks again later.
    static let limit = 1_024

    /// Notes `clientOrderId`, whose commit made `account`'s `version`.
    mutating func note(_ clientOrderId: String, account: String, version: UInt64) {
        waiting[account, default: []].append((version, clientOrderId))
        if let count = waiting[account]?.count, count > Self.limit {
            waiting[account]?.removeFirst(count - Self.limit)
        }
    }

    /// The names of `account`'s orders at `version` or before, in the order they were noted,
    /// taken; nil when there are none.
    mutating func take(account: String, through version: UInt64) -> [String]? {
        guard let noted = waiting[account], let first = noted.first, first.version <= version else { return nil }
        let count = noted.firstIndex { $0.version > version } ?? noted.endIndex
        let names = noted[..<count].map(\.clientOrderId)
        if count == noted.endIndex {
            waiting[account] = nil
        } else {
            waiting[account]?.removeFirst(count)
        }
        return names
    }
}
