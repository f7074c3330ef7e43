@testable import Agents
import Testing

/// Which orders an `account.<name>` event names: those counted at its version or before and not
/// named yet, each once; an event published after a later one (and so dropped) finds nothing.
struct AccountOrderNamesTests {
    @Test func eachOrderIsNamedOnceByTheFirstEventAtOrPastItsVersion() {
        var names = AccountOrderNames()
        names.note("c-1", account: "desk", version: 1)
        names.note("c-2", account: "desk", version: 2)
        names.note("h-1", account: "hedge", version: 1)
        names.note("c-3", account: "desk", version: 3)
        #expect(names.take(account: "desk", through: 2) == ["c-1", "c-2"])
        // The event of version 1, overtaken by version 2's: nothing left to name.
        #expect(names.take(account: "desk", through: 1) == nil)
        #expect(names.take(account: "desk", through: 3) == ["c-3"])
        #expect(names.take(account: "desk", through: 9) == nil)
        #expect(names.take(account: "hedge", through: 1) == ["h-1"], "each account's names apart")
    }

    @Test func namesNoEventTakesAreBounded() {
        var names = AccountOrderNames()
        for number in 1 ... AccountOrderNames.limit + 10 { names.note("c-\(number)", account: "desk", version: UInt64(number)) }
        let taken = names.take(account: "desk", through: .max) ?? []
        #expect(taken.count == AccountOrderNames.limit)
        #expect(taken.first == "c-11" && taken.last == "c-\(AccountOrderNames.limit + 10)", "the oldest went first")
    }
}
