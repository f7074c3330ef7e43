/// The plan memos of one account (`PlanMemo`) by symbol, kept in symbol order: an account's
/// holdings are read in symbol order too, so the memo of each is found with a comparison or two
/// of symbols from where the previous one was (`memo(for:after:)`), not by hashing the symbol
/// (docs/PERFORMANCE.md, change 157).
public struct PlanMemos: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// The memos, symbols strictly increasing.
    public private(set) var entries: [(symbol: String, memo: PlanMemo)]

    /// No memos.
    public init() { entries = [] }

    /// `memos` in symbol order.
    public init(_ memos: [String: PlanMemo]) {
        entries = memos.map { ($0.key, $0.value) }.sorted { $0.symbol < $1.symbol }
    }

    public init(dictionaryLiteral elements: (String, PlanMemo)...) {
        self.init(Dictionary(elements) { _, later in later })
    }

    /// How many memos there are.
    public var count: Int { entries.count }

    /// The memo of `symbol`, if any.
    public subscript(symbol: String) -> PlanMemo? {
        let at = lowerBound(symbol)
        return at < entries.endIndex && entries[at].symbol == symbol ? entries[at].memo : nil
    }

    /// The memo of `symbol`, looked for from `next` on and past it while the symbols there come
    /// before `symbol`; `next` is left after the last entry passed. For symbols asked in
    /// increasing order, as an account's holdings are, every entry is passed once; asked out of
    /// order, a memo before `next` is found by halving.
    public func memo(for symbol: String, after next: inout Int) -> PlanMemo? {
        var at = next
        while at < entries.endIndex, entries[at].symbol < symbol { at += 1 }
        if at < entries.endIndex, entries[at].symbol == symbol {
            next = at + 1
            return entries[at].memo
        }
        // Not from `next` on; nor before it when the entry before it comes before `symbol`.
        if next == 0 || entries[next - 1].symbol < symbol {
            next = at
            return nil
        }
        return self[symbol]
    }

    /// Keeps `memo` for `symbol` in place of any earlier one; returns its position.
    @discardableResult
    public mutating func set(_ memo: PlanMemo, for symbol: String) -> Int {
        let at = lowerBound(symbol)
        if at < entries.endIndex, entries[at].symbol == symbol {
            entries[at].memo = memo
        } else {
            entries.insert((symbol, memo), at: at)
        }
        return at
    }

    /// Drops the memo at `position`.
    public mutating func remove(at position: Int) { entries.remove(at: position) }

    /// The first entry whose symbol is not before `symbol`.
    public func lowerBound(_ symbol: String) -> Int {
        var low = 0, high = entries.endIndex
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].symbol < symbol { low = middle + 1 } else { high = middle }
        }
        return low
    }

    public static func == (left: PlanMemos, right: PlanMemos) -> Bool {
        left.entries.elementsEqual(right.entries) { $0.symbol == $1.symbol && $0.memo == $1.memo }
    }
}
