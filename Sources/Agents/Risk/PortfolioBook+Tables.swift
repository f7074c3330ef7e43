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
        /// The same memos in symbol order, each with whether its position has been seen open:
        /// what an event's rows are checked against. An event lists rows in symbol order, so a
        /// row's memo is first looked for after the previous row's, with a comparison of two
        /// symbols rather than a hash of one.
        private var entries: [(symbol: String, memo: PlanMemo, seenOpen: Bool)] = []

        /// Keeps `memo` for `symbol`, replacing any earlier one; its position is not yet seen open.
        mutating func remember(_ memo: PlanMemo, for symbol: String) {
            memos[symbol] = memo
            let at = lowerBound(symbol)
            if at < entries.endIndex, entries[at].symbol == symbol {
                entries[at] = (symbol, memo, false)
            } else {
                entries.insert((symbol, memo, false), at: at)
            }
        }

        /// Notes which memos the rows show open, and drops those seen open before and now flat
        /// or flipped.
        mutating func settle(after rows: ArraySlice<PositionPayload>, lotSize: Quantity) {
            var hint = 0
            for row in rows {
                guard let at = index(of: row.symbol, hint: hint) else { continue }
                hint = at + 1
                let base = Quantity(wire: row.base)
                if entries[at].memo.side == .buy ? base >= lotSize : -base >= lotSize {
                    if !entries[at].seenOpen { entries[at].seenOpen = true }
                } else if entries[at].seenOpen {
                    entries.remove(at: at)
                    memos[row.symbol] = nil
                    hint = at
                }
            }
        }

        /// Where `symbol`'s entry is: at `hint` when it is there, otherwise found by halving.
        private func index(of symbol: String, hint: Int) -> Int? {
            if hint < entries.endIndex, entries[hint].symbol == symbol { return hint }
            let at = lowerBound(symbol)
            return at < entries.endIndex && entries[at].symbol == symbol ? at : nil
        }

        /// The first entry whose symbol is not before `symbol`.
        private func lowerBound(_ symbol: String) -> Int {
            var low = 0, high = entries.endIndex
            while low < high {
                let middle = (low + high) / 2
                if entries[middle].symbol < symbol { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }
}
