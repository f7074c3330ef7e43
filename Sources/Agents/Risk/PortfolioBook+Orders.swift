import WireProtocol

/// An assessment asked for after an order (`assess`'s `after_order`): the book knows an order
/// is in an account once an `account.<name>` event names it (`AccountPayload.orders`), and an
/// assessment may wait for that event.
extension PortfolioBook {
    /// How many assessments may wait for an order's event at once; past that, one is answered at
    /// once as if its wait had expired.
    static let orderWaitersLimit = 64

    /// The version of the event of `account` that named `order` in `epoch`; nil when no event
    /// has named it lately.
    public func shownVersion(of order: String, account: String, epoch: String) -> UInt64? {
        state.withLock { $0.shownOrders[account]?.version(of: order, epoch: epoch) }
    }

    /// Waits for an event of `account` in `epoch` that names `order`. `expire` is handed the
    /// waiter's end at once, for a timer. True once such an event was applied (at once when
    /// one was); false when the wait expired, the epoch changed, the account's events broke off,
    /// or `orderWaitersLimit` assessments wait already.
    public func awaitOrder(_ order: String, account: String, epoch: String,
                           expire: @Sendable (_ end: @escaping @Sendable () -> Void) -> Void) async -> Bool {
        if shownVersion(of: order, account: account, epoch: epoch) != nil { return true }
        return await withCheckedContinuation { continuation in
            // Looked at again and registered under the lock `applyEvent` holds: no event can be
            // applied in between.
            let registered = state.withLock { state -> Int? in
                if state.shownOrders[account]?.version(of: order, epoch: epoch) != nil {
                    continuation.resume(returning: true)
                    return nil
                }
                guard !state.broken.contains(account),
                      let id = waits.add(account: account, epoch: epoch, order: order, limit: Self.orderWaitersLimit, continuation) else {
                    continuation.resume(returning: false)
                    return nil
                }
                return id
            }
            if let id = registered { expire { [waits] in waits.expire(id) } }
        }
    }
}

extension PortfolioBook.State {
    /// Remembers that an event of `account` at `version` in `epoch` named `orders`, and lets go
    /// of the assessments waiting for one of them. Under the book's lock.
    mutating func noteShown(_ orders: [String], account: String, version: UInt64, epoch: String, waits: AccountVersionWaits) {
        guard !orders.isEmpty else { return }
        shownOrders[account, default: ShownOrders(epoch: epoch)].note(orders, version: version, epoch: epoch)
        waits.shown(account, epoch: epoch, orders: orders)
    }
}
