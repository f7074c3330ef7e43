import Trading
import WireProtocol

/// The tables `PortfolioBook` keeps per account: its rows by symbol and its plan memos.
extension PortfolioBook {
    /// One account's rows, one per symbol, kept in symbol order (the order an assessment
    /// reads them in) and found by symbol.
    struct Rows {
        private(set) var ordered: [Holding] = []
        private var index: [String: Int] = [:]

        /// Puts `holding` in place of its symbol's row, or among the rows in symbol order, and
        /// returns where the next row is likely to go. An event lists an account's rows in
        /// symbol order, as they are kept here, so a row is first looked for at `hint` (the
        /// place after the previous row's), which needs a comparison of two symbols rather
        /// than a hash of one.
        @discardableResult
        mutating func put(_ holding: Holding, hint: Int = 0) -> Int {
            if hint < ordered.endIndex, ordered[hint].symbol == holding.symbol {
                ordered[hint] = holding
                return hint + 1
            }
            if let at = index[holding.symbol] {
                ordered[at] = holding
                return at + 1
            }
            let at = ordered.firstIndex { $0.symbol > holding.symbol } ?? ordered.endIndex
            ordered.insert(holding, at: at)
            for moved in at..<ordered.endIndex { index[ordered[moved].symbol] = moved }
            return at + 1
        }

        /// Sets the quote balance of `symbol`'s row, first looked for at `hint` as in `put`,
        /// and returns where the next row is likely to be; nil when the account has no such row.
        mutating func requote(_ symbol: String, to quote: Money, hint: Int) -> Int? {
            let at: Int
            if hint < ordered.endIndex, ordered[hint].symbol == symbol {
                at = hint
            } else if let found = index[symbol] {
                at = found
            } else {
                return nil
            }
            ordered[at].quote = quote
            return at + 1
        }
    }

    /// One account's plan memos by symbol, and for each whether the venue has shown its
    /// position open.
    struct MemoTable {
        /// The memos, in symbol order, as an assessment reads them.
        private(set) var memos = PlanMemos()
        /// For each memo, whether its position has been seen open: what an event's rows are
        /// checked against. An event lists rows in symbol order, so a row's memo is first looked
        /// for after the previous row's, with a comparison of two symbols rather than a hash of one.
        private var seenOpen: [Bool] = []

        /// Keeps `memo` for `symbol`, replacing any earlier one; its position is not yet seen open.
        mutating func remember(_ memo: PlanMemo, for symbol: String) {
            let count = memos.count
            let at = memos.set(memo, for: symbol)
            if memos.count > count { seenOpen.insert(false, at: at) } else { seenOpen[at] = false }
        }

        /// Notes which memos the rows show open, and drops those seen open before and now flat
        /// or flipped.
        mutating func settle(after rows: ArraySlice<PositionPayload>, lotSize: Quantity) {
            var hint = 0
            for row in rows {
                guard let at = index(of: row.symbol, hint: hint) else { continue }
                hint = at + 1
                let base = Quantity(wire: row.base)
                if memos.entries[at].memo.side == .buy ? base >= lotSize : -base >= lotSize {
                    if !seenOpen[at] { seenOpen[at] = true }
                } else if seenOpen[at] {
                    memos.remove(at: at)
                    seenOpen.remove(at: at)
                    hint = at
                }
            }
        }

        /// Where `symbol`'s memo is: at `hint` when it is there, otherwise found by halving.
        private func index(of symbol: String, hint: Int) -> Int? {
            if hint < memos.count, memos.entries[hint].symbol == symbol { return hint }
            let at = memos.lowerBound(symbol)
            return at < memos.count && memos.entries[at].symbol == symbol ? at : nil
        }
    }
}
