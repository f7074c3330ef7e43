import Testing
@testable import Messaging

/// The busy polling's gate: `/proc/loadavg`'s runnable threads read, the rule for a spare CPU,
/// and a polling window that asks the gate before its first poll and every few polls after.
@Suite("Spare CPUs for busy polling")
struct SpareCPUsTests {
    private static func runnable(_ text: String) -> Int? {
        Array(text.utf8).withUnsafeBufferPointer { SpareCPUs.runnableThreads(in: $0) }
    }

    @Test func theRunnableThreadsAreTheDigitsBeforeTheSlash() {
        #expect(Self.runnable("0.52 0.58 0.59 2/467 12345\n") == 2)
        #expect(Self.runnable("3.67 4.83 5.21 17/85 8672\n") == 17)
        #expect(Self.runnable("0.00 0.00 0.00 /85 8672\n") == nil)
        #expect(Self.runnable("no field here") == nil)
        #expect(Self.runnable("") == nil)
        #expect(Self.runnable("0.0 0.0 0.0 12345678901/9 1") == nil)
    }

    @Test func aCPUIsSpareWhileAtMostTwoThreadsPerCPUAreRunnable() {
        #expect(SpareCPUs.spare(runnable: 1, cpus: 2))
        #expect(SpareCPUs.spare(runnable: 4, cpus: 2))
        #expect(!SpareCPUs.spare(runnable: 5, cpus: 2))
        #expect(!SpareCPUs.spare(runnable: 3, cpus: 1))
        #expect(SpareCPUs.spare(runnable: 16, cpus: 8))
    }

    @Test func theMachineIsQuietWhileAtMostOneThreadBeyondOnePerCPUIsRunnable() {
        #expect(SpareCPUs.quiet(runnable: 1, cpus: 2))
        #expect(SpareCPUs.quiet(runnable: 3, cpus: 2))
        #expect(!SpareCPUs.quiet(runnable: 4, cpus: 2))
        #expect(SpareCPUs.quiet(runnable: 2, cpus: 1))
        #expect(!SpareCPUs.quiet(runnable: 3, cpus: 1))
        #expect(!SpareCPUs.quiet(runnable: 10, cpus: 8))
    }

    @Test func thisMachinesCountIncludesTheThreadThatAsks() throws {
        let spare = try #require(SpareCPUs(), "/proc/loadavg cannot be opened")
        let running = try #require(spare.runnableThreadsNow())
        #expect(running >= 1)
    }

    @Test func aWindowWhoseCPUsAreWantedEndsBeforeItsFirstPoll() throws {
        var polls = 0
        let outcome = try BusyPolling.poll(for: .seconds(5), spare: { false }) { () throws(ZMQError) in polls += 1 } found: { false }
        #expect(outcome == .cpusWanted && polls == 0)
    }

    @Test func aWindowAsksAgainEveryFewPollsAndEndsWhenTheCPUsAreWanted() throws {
        var looks = 0
        var polls = 0
        let outcome = try BusyPolling.poll(for: .seconds(5), spare: { looks += 1; return looks < 3 }) { () throws(ZMQError) in
            polls += 1
        } found: { false }
        #expect(outcome == .cpusWanted && looks == 3 && polls == 2 * Int(BusyPolling.pollsPerLook))
    }

    @Test func aWindowEndsWithWhatItFindsOrWhenItRunsOut() throws {
        var polls = 0
        let found = try BusyPolling.poll(for: .seconds(5), spare: { true }) { () throws(ZMQError) in polls += 1 } found: { polls == 3 }
        #expect(found == .found && polls == 3)
        let ended = try BusyPolling.poll(for: .milliseconds(2), spare: { true }) { () throws(ZMQError) in } found: { false }
        #expect(ended == .windowEnded)
    }
}

/// A loop stops polling where its windows keep running out empty, looks again now and then, and
/// polls again once a window finds its reply.
@Suite("Busy-polling history")
struct BusyPollHistoryTests {
    @Test func windowsThatRunOutEmptyStopThePollingSaveForAProbe() {
        var history = BusyPollHistory()
        for _ in 0..<BusyPollHistory.emptyWindowsToPause {
            let polls = history.shouldPoll()
            #expect(polls)
            history.record(.windowEnded)
        }
        var decisions: [Bool] = []
        for _ in 0..<BusyPollHistory.probeEvery { decisions.append(history.shouldPoll()) }
        #expect(decisions.filter { $0 }.count == 1 && decisions.last == true)
    }

    @Test func aFoundReplyStartsPollingAgainAndACutWindowSaysNothing() {
        var history = BusyPollHistory()
        for _ in 0..<BusyPollHistory.emptyWindowsToPause - 1 { history.record(.windowEnded) }
        history.record(.cpusWanted)
        let afterCut = history.shouldPoll()
        #expect(afterCut, "a window cut for want of a CPU counted as an empty one")
        history.record(.windowEnded)
        let afterFourth = history.shouldPoll()
        #expect(!afterFourth)
        history.record(.found)
        let afterFind = [history.shouldPoll(), history.shouldPoll()]
        #expect(afterFind == [true, true])
    }
}
