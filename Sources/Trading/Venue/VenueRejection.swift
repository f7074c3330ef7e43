/// The venue's refusal messages, each stating the numbers that caused it.
enum VenueRejection {
    static func unknownAccount(_ name: String, known: [String]) -> TradingError {
        TradingError(.unknownAccount, "unknown account \"\(name)\"; the venue has \(list(known))")
    }

    static func unknownSymbol(_ symbol: String, listed: [String]) -> TradingError {
        TradingError(.unknownSymbol, "unknown symbol \"\(symbol)\"; the venue lists \(list(listed))")
    }

    static func invalidQuantity(_ qty: Quantity) -> TradingError {
        TradingError(.invalidQuantity, "quantity must be a positive number of base units, got \(qty)")
    }

    static func invalidPrice(_ limitPrice: Price?) -> TradingError {
        let given = limitPrice.map { "\($0)" } ?? "none"
        return TradingError(.invalidPrice, "limit order needs a positive limitPrice, got \(given)")
    }

    static func offLot(_ qty: Quantity, rule: SymbolRules, symbol: String) -> TradingError {
        TradingError(.offLot, "quantity \(qty) is not a whole number of \(symbol) lots of \(rule.lotSize); "
            + "nearest quantities are \(qty.roundedDown(toMultipleOf: rule.lotSize)) and \(qty.roundedUp(toMultipleOf: rule.lotSize))")
    }

    static func belowMinSize(_ qty: Quantity, rule: SymbolRules, symbol: String) -> TradingError {
        TradingError(.belowMinSize, "quantity \(qty) is below the \(symbol) minimum of \(rule.minQty)")
    }

    static func offTick(_ price: Price, rule: SymbolRules, symbol: String) -> TradingError {
        let tick = rule.tickSize ?? Price(raw: 1)
        return TradingError(.offTick, "limit price \(price) is not on the \(symbol) tick grid of \(tick); "
            + "nearest prices are \(price.roundedDown(toMultipleOf: tick)) and \(price.roundedUp(toMultipleOf: tick))")
    }

    /// The order's cost, proceeds or resulting position would not fit a fixed-point value.
    static func outOfRange(_ request: OrderRequest) -> TradingError {
        TradingError(.amountOutOfRange, "\(request.side.rawValue) \(request.qty) \(request.symbol) at "
            + "\(request.limitPrice.map { "\($0)" } ?? "market") would take an amount or position beyond ±92233720368.54775807")
    }

    static func noQuote(_ symbol: String) -> TradingError {
        TradingError(.noQuote, "no quote for \(symbol) yet, so the venue cannot price the order")
    }

    /// A buy needs a balance of the quote asset ≥ price × qty + fee, counting only what
    /// resting buys have not reserved.
    static func insufficientQuote(
        account: String, asset: String, cost: Money, fee: Money, quote: Money, reserved: Money
    ) -> TradingError {
        let needs = "needs \(cost + fee) \(asset) (cost \(cost) + fee \(fee))"
        let holds = reserved.isZero
            ? "account \(account) holds \(quote) \(asset)"
            : "account \(account) holds \(quote - reserved) \(asset) available "
                + "(\(quote) minus \(reserved) reserved by resting buys)"
        return TradingError(.insufficientQuote, needs + ", " + holds)
    }

    /// A sell from an account that may not short needs base ≥ qty, counting only base not
    /// reserved by resting sells.
    static func insufficientBase(
        account: String, asset: String, qty: Quantity, base: Quantity, reserved: Quantity
    ) -> TradingError {
        let needs = "sell needs \(qty) \(asset)"
        let holds = reserved.isZero
            ? "account \(account) holds \(base) \(asset)"
            : "account \(account) holds \(base - reserved) \(asset) available "
                + "(\(base) minus \(reserved) reserved by resting sells)"
        return TradingError(.insufficientBase, needs + ", " + holds)
    }

    /// A margin account's order needs more margin than the account has available.
    static func insufficientMargin(
        _ request: OrderRequest, required: Money, available: Money, equity: Money, used: Money, leverage: Int, asset: String
    ) -> TradingError {
        TradingError(.insufficientMargin, "\(request.side.rawValue) \(request.qty) \(request.symbol) needs margin \(required) \(asset) "
            + "(initial margin at \(leverage)x plus fee and price below the mark), account \(request.account) has \(available) \(asset) "
            + "available (equity \(equity) − margin used \(used)); required \(required), available \(available)")
    }

    /// A client order id reused by its account for an order with different terms.
    static func duplicateClientOrderId(
        _ clientOrderId: String, account: String, firstOrderId: String, field: String, first: String, now: String
    ) -> TradingError {
        TradingError(.duplicateClientOrderId, "client order id \"\(clientOrderId)\" of account \(account) was used for order "
            + "\(firstOrderId) with \(field) \(first); this order has \(field) \(now)")
    }

    /// The depth levels hold less than the order needs (within its limit, for a limit order).
    static func insufficientDepth(_ request: OrderRequest, available: Quantity, levels: Int, limit: Price?) -> TradingError {
        TradingError(.insufficientDepth, "the \(request.symbol) book holds \(available) "
            + "of the \(request.qty) asked for \(within(levels, limit)); the order is rejected whole")
    }

    /// Why the unfilled part of an order that walked the book was cancelled.
    static func unfilledCancelled(_ request: OrderRequest, filled: Quantity, levels: Int, limit: Price?) -> TradingError {
        TradingError(.insufficientDepth, "the \(request.symbol) book held \(filled) "
            + "of the \(request.qty) asked for \(within(levels, limit)); "
            + "the remaining \(request.qty - filled) is cancelled")
    }

    private static func within(_ levels: Int, _ limit: Price?) -> String {
        limit.map { "at prices no worse than the limit \($0) within its \(levels) levels" } ?? "in its \(levels) levels"
    }

    private static func list(_ names: [String]) -> String {
        names.isEmpty ? "none" : names.joined(separator: ", ")
    }
}
