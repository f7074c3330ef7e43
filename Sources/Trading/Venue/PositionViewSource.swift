/// What one listed position's view is made from, read from the venue without making the view:
/// the position as recorded for its symbol, the account's balances of the symbol's two assets,
/// its resting orders' pending quantities and the symbol's mark. A caller that keeps what it
/// made of earlier views compares a slot's `fingerprint` with the one it made them from and
/// makes the view again (`SimulatedVenue.view(of:limits:)`) only when they differ. The quote
/// balance is left out of the fingerprint: every symbol quoted in the same asset shares it, so
/// any of their fills moves it, and it is the one figure of a view the caller takes from the
/// source itself.
public struct PositionViewSource: Sendable {
    /// Every figure of a source but the quote balance, as plain numbers (no names), so
    /// comparing two costs a few integer comparisons. Two sources of the same account and
    /// symbol with equal fingerprints make the same view, the quote balance aside, against the
    /// same limits.
    public struct Fingerprint: Sendable, Equatable {
        let recordedBase: Quantity
        let recordedQuote: Money
        let averageEntryPrice: Price
        let realizedPnl: Money
        let feesPaid: Money
        let baseBalance: Quantity
        let pendingBuy: Quantity
        let pendingSell: Quantity
        let mark: Price?
    }

    /// The venue's slot of the position (account × symbol): the same for the venue's life.
    public let slot: Int
    /// The symbol's slot.
    let symbol: Int
    /// The position as recorded for the symbol: its own base and quote, entry price and PnL.
    let recorded: Position
    /// The account's balance of the symbol's base asset.
    let baseBalance: Quantity
    /// The account's balance of the symbol's quote asset.
    public let quoteBalance: Money
    /// Base still to buy and to sell in the position's resting orders.
    let pendingBuy: Quantity
    let pendingSell: Quantity
    /// The symbol's mark; nil before its first quote.
    let mark: Price?

    /// The position's account and symbol.
    public var account: String { recorded.account }
    public var symbolName: String { recorded.symbol }

    /// What the view depends on beside the names and the quote balance.
    public var fingerprint: Fingerprint {
        Fingerprint(recordedBase: recorded.base, recordedQuote: recorded.quote, averageEntryPrice: recorded.averageEntryPrice,
                    realizedPnl: recorded.realizedPnl, feesPaid: recorded.feesPaid, baseBalance: baseBalance,
                    pendingBuy: pendingBuy, pendingSell: pendingSell, mark: mark)
    }
}

extension SimulatedVenue {
    /// Hands `body` the source of each position of `account` that `forEachPositionView` would
    /// list, in the same order (symbols by name); nothing for an unknown account.
    public func forEachPositionViewSource(account: String, _ body: (PositionViewSource) -> Void) {
        guard let a = accountIndex[account] else { return }
        for s in symbolsByName { body(source(account: a, symbol: s)) }
    }

    /// The view of the position `source` was read from, as it was then, against `limits`.
    public func view(of source: PositionViewSource, limits: InventoryLimits) -> PositionView {
        view(of: source, maxInventory: limits.maxInventory(for: symbols[source.symbol]))
    }

    /// The source of account `a`'s position in symbol `s` (both slots).
    func source(account a: Int, symbol s: Int) -> PositionViewSource {
        let index = slot(account: a, symbol: s), pair = assets.bySymbol[s], held = reservations[index]
        return PositionViewSource(slot: index, symbol: s, recorded: positionSlots[index],
                                  baseBalance: Quantity(same: holdings[holdingSlot(account: a, asset: pair.base)]),
                                  quoteBalance: Money(same: holdings[holdingSlot(account: a, asset: pair.quote)]),
                                  pendingBuy: held.buyQty, pendingSell: held.base, mark: touches[s]?.mid)
    }

    /// The view of `source` against a limit looked up by the caller.
    func view(of source: PositionViewSource, maxInventory: Quantity?) -> PositionView {
        var position = source.recorded
        position.base = source.baseBalance
        position.quote = source.quoteBalance
        return PositionView(position: position, pair: assets.pair(of: source.symbol), mark: source.mark,
                            inventory: InventoryState(evaluating: source.recorded, pendingBuyQty: source.pendingBuy,
                                                      pendingSellQty: source.pendingSell, mark: source.mark, maxInventory: maxInventory))
    }
}
