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
        /// The memos, as an assessment reads them.
        private(set) var memos: [String: PlanMemo] = [:]
        /// The same memos, each with whether its position has been seen open: what an event's
        /// rows are checked against, with one look-up per row.
        private var entries: [String: (memo: PlanMemo, seenOpen: Bool)] = [:]

        /// Keeps `memo` for `symbol`, replacing any earlier one; its position is not yet seen open.
        mutating func remember(_ memo: PlanMemo, for symbol: String) {
            memos[symbol] = memo
            entries[symbol] = (memo, false)
        }

        /// Notes which memos the rows show open, and drops those seen open before and now flat
        /// or flipped.
        mutating func settle(after rows: ArraySlice<PositionPayload>, lotSize: Quantity) {
            for row in rows {
                guard let at = entries.index(forKey: row.symbol) else { continue }
                let entry = entries.values[at]
                let base = Quantity(wire: row.base)
                if entry.memo.side == .buy ? base >= lotSize : -base >= lotSize {
                    if !entry.seenOpen { entries.values[at].seenOpen = true }
                } else if entry.seenOpen {
                    entries.remove(at: at)
                    memos[row.symbol] = nil
                }
            }
        }
    }
}
