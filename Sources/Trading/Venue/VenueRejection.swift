/// The venue's refusal messages, each stating the numbers that caused it.
enum VenueRejection {
    static func unknownAccount(_ name: String, known: [String]) -> TradingError {
        TradingError(.unknownAccount, "unknown account \"\(name)\"; the venue has \(list(known))")
    }

    static func unknownSymbol(_ symbol: String, listed: [String]) -> TradingError {
        TradingError(.unknownSymbol, "unknown symbol \"\(symbol)\"; the venue lists \(list(listed))")
    }

    static func invalidQuantity(_ qty: Double) -> TradingError {
        TradingError(.invalidQuantity, "quantity must be a positive, finite number of base units, got \(qty)")
    }

    static func invalidPrice(_ limitPrice: Double?) -> TradingError {
        let given = limitPrice.map { "\($0)" } ?? "none"
        return TradingError(.invalidPrice, "limit order needs a positive, finite limitPrice, got \(given)")
    }

    static func belowMinSize(_ qty: Double, rule: SymbolRules, symbol: String) -> TradingError {
        TradingError(.belowMinSize, "quantity \(NumberText.units(qty)) is below the \(symbol) minimum of \(NumberText.units(rule.minQty))")
    }

    static func offTick(_ price: Double, rule: SymbolRules, symbol: String) -> TradingError {
        let grid = TickGrid(tick: rule.tickSize ?? 1)
        return TradingError(.offTick, "limit price \(price) is not on the \(symbol) tick grid of \(grid.tick); "
            + "nearest prices are \(grid.down(price)) and \(grid.up(price))")
    }

    static func noQuote(_ symbol: String) -> TradingError {
        TradingError(.noQuote, "no quote for \(symbol) yet, so the venue cannot price the order")
    }

    /// A buy needs quote ≥ price × qty + fee, counting only quote not reserved by resting buys.
    static func insufficientQuote(
        account: String, symbol: String, cost: Double, fee: Double, quote: Double, reserved: Double
    ) -> TradingError {
        let needs = "needs \(NumberText.money(cost + fee)) quote (cost \(NumberText.money(cost)) + fee \(NumberText.money(fee)))"
        let holds = reserved == 0
            ? "account \(account) holds \(NumberText.money(quote)) for \(symbol)"
            : "account \(account) holds \(NumberText.money(quote - reserved)) available for \(symbol) "
                + "(\(NumberText.money(quote)) minus \(NumberText.money(reserved)) reserved by resting buys)"
        return TradingError(.insufficientQuote, needs + ", " + holds)
    }

    /// A sell from an account that may not short needs base ≥ qty, counting only base not
    /// reserved by resting sells.
    static func insufficientBase(
        account: String, symbol: String, qty: Double, base: Double, reserved: Double
    ) -> TradingError {
        let needs = "sell needs \(NumberText.units(qty)) base"
        let holds = reserved == 0
            ? "account \(account) holds \(NumberText.units(base)) for \(symbol)"
            : "account \(account) holds \(NumberText.units(base - reserved)) available for \(symbol) "
                + "(\(NumberText.units(base)) minus \(NumberText.units(reserved)) reserved by resting sells)"
        return TradingError(.insufficientBase, needs + ", " + holds)
    }

    /// A client order id reused by its account for an order with different terms.
    static func duplicateClientOrderId(
        _ clientOrderId: String, account: String, firstOrderId: String, field: String, first: String, now: String
    ) -> TradingError {
        TradingError(.duplicateClientOrderId, "client order id \"\(clientOrderId)\" of account \(account) was used for order "
            + "\(firstOrderId) with \(field) \(first); this order has \(field) \(now)")
    }

    /// The depth levels hold less than the order needs (within its limit, for a limit order).
    static func insufficientDepth(_ request: OrderRequest, available: Double, levels: Int, limit: Double?) -> TradingError {
        TradingError(.insufficientDepth, "the \(request.symbol) book holds \(NumberText.units(available)) "
            + "of the \(NumberText.units(request.qty)) asked for \(within(levels, limit)); the order is rejected whole")
    }

    /// Why the unfilled part of an order that walked the book was cancelled.
    static func unfilledCancelled(_ request: OrderRequest, filled: Double, levels: Int, limit: Double?) -> TradingError {
        TradingError(.insufficientDepth, "the \(request.symbol) book held \(NumberText.units(filled)) "
            + "of the \(NumberText.units(request.qty)) asked for \(within(levels, limit)); "
            + "the remaining \(NumberText.units(request.qty - filled)) is cancelled")
    }

    private static func within(_ levels: Int, _ limit: Double?) -> String {
        limit.map { "at prices no worse than the limit \($0) within its \(levels) levels" } ?? "in its \(levels) levels"
    }

    private static func list(_ names: [String]) -> String {
        names.isEmpty ? "none" : names.joined(separator: ", ")
    }
}
