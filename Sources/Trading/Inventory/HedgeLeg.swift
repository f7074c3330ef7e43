/// The hedge leg: every fill on account `from` (A) is offset by a market order of
/// the same size and the opposite side on account `to` (B).
///
///     A buy  (open long)   → B sell (open short)
///     A sell (close long)  → B buy  (close short)
///
/// B therefore needs allowShort for A's opening buys.
public struct HedgeLeg: Sendable, Hashable {
    /// The account whose fills are hedged (A).
    public let from: String
    /// The account that places the hedges (B).
    public let to: String

    /// Creates a leg; both names must be non-empty and different, since an account
    /// hedging itself would only undo its own trades.
    public init(from: String, to: String) throws(TradingError) {
        guard !from.isEmpty, !to.isEmpty else { throw TradingError(.invalidConfig, "hedge leg accounts must not be empty") }
        guard from != to else { throw TradingError(.invalidConfig, "hedge leg cannot hedge account \(from) with itself") }
        self.from = from
        self.to = to
    }

    /// The hedge for `fill`, or nil if the fill is not A's or its quantity is not positive. B's own fills are never hedged, so hedges cannot loop.
    ///
    /// The client order id is "hedge-<A order id>-<fill time µs>": the venue replays a
    /// repeated client id instead of trading again, so re-sending the hedge for the same
    /// fill (after a timeout, say) cannot double it. The venue makes at most one fill per
    /// order per quote update, so part fills of one order get distinct ids as long as
    /// updates carry distinct timestamps; callers that cannot promise that pass their
    /// own fill number to `hedgeOrder(for:fillNumber:)`.
    public func hedgeOrder(for fill: Fill) -> OrderRequest? {
        hedge(fill, tag: String(fill.timestampMicros))
    }

    /// The hedge for `fill` with client id "hedge-<A order id>-<fillNumber>", for callers
    /// that count the fills of each order themselves.
    public func hedgeOrder(for fill: Fill, fillNumber: Int) -> OrderRequest? {
        hedge(fill, tag: String(fillNumber))
    }

    private func hedge(_ fill: Fill, tag: String) -> OrderRequest? {
        guard fill.account == from, fill.qty.isPositive else { return nil }
        return OrderRequest(
            clientOrderId: "hedge-\(fill.orderId)-\(tag)", account: to, symbol: fill.symbol,
            side: fill.side.opposite, type: .market, qty: fill.qty)
    }
}
