import Foundation
import Testing
@testable import AgentRuntime

/// Reading how much CPU other programs take (`MachineLoad`) and choosing the `auto` policy from
/// it (`AutoPolicyChoice`).
@Suite("The machine's load outside HedgeBus, and the auto policy")
struct MachineLoadTests {
    @Test func busyTimeIsUserNiceSystemIrqAndSoftirqOfTheFirstLine() {
        let stat = "cpu  100 5 40 9000 30 2 3 50 0 0\ncpu0 50 2 20 4500 15 1 1 25 0 0\nintr 1\n"
        #expect(MachineLoad.busyTicks(inProcStat: stat) == 150)
        #expect(MachineLoad.busyTicks(inProcStat: "intr 1\n") == nil)
        #expect(MachineLoad.busyTicks(inProcStat: "cpu  1 2 3\n") == nil)
    }

    @Test func aProcessTimeIsItsUserAndSystemTicksWhateverItsName() {
        let stat = "4242 (odd ) name (x)) S 1 4242 4242 0 -1 4194560 812 0 0 0 731 269 0 0 20 0 9 0 3519 1000 200 18446744073709551615"
        #expect(MachineLoad.processTicks(inStat: stat) == 1_000)
        #expect(MachineLoad.processTicks(inStat: "4242 (short) S 1 2") == nil)
    }

    @Test func foreignTimeIsTheBusyTimeLessWhatTheHedgeBusProcessesSeenTwiceUsed() throws {
        let start = ContinuousClock.now
        let earlier = MachineLoad.Reading(busyTicks: 1_000, hedgeBusTicks: [10: 500, 11: 100, 12: 70], at: start)
        // Over 2 s: 300 ticks busy, process 10 used 120 and 11 used 30; 12 ended, 13 started.
        let later = MachineLoad.Reading(busyTicks: 1_300, hedgeBusTicks: [10: 620, 11: 130, 13: 40], at: start.advanced(by: .seconds(2)))
        let foreign = try #require(MachineLoad.foreignCPUs(from: earlier, to: later, ticksPerSecond: 100))
        #expect(abs(foreign - 0.75) < 1e-9)
        // HedgeBus's processes never count for more than the machine was busy.
        let busier = MachineLoad.Reading(busyTicks: 1_050, hedgeBusTicks: [10: 700], at: start.advanced(by: .seconds(1)))
        #expect(MachineLoad.foreignCPUs(from: earlier, to: busier, ticksPerSecond: 100) == 0)
        #expect(MachineLoad.foreignCPUs(from: earlier, to: earlier, ticksPerSecond: 100) == nil)
    }

    /// The test process is not one of HedgeBus's: the CPU time a thread of it spins for shows as
    /// foreign time, whatever else runs on the machine.
    @Test func aSpinningThreadOfAnotherProgramShowsAsForeignTime() throws {
        let load = MachineLoad()
        #expect(load.foreignCPUs(suspectAbove: .infinity) == nil)
        var spun = timespec()
        let begun = ContinuousClock.now
        var start = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start)
        while ContinuousClock.now - begun < .milliseconds(600) {}
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spun)
        let elapsed = ContinuousClock.now - begun
        let foreign = try #require(load.foreignCPUs(suspectAbove: .infinity))
        let spinSeconds = Double(spun.tv_sec - start.tv_sec) + Double(spun.tv_nsec - start.tv_nsec) / 1e9
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        // Ticks are 10 ms: allow two of them on each reading.
        #expect(foreign * seconds >= spinSeconds - 0.04, "foreign \(foreign) CPUs over \(seconds) s, the thread spun \(spinSeconds) s")
    }

    /// A value at or above the limit is given out only from a sample that listed the HedgeBus
    /// processes afresh, so the next sample lists them; below it, values come every sample.
    @Test func aHighValueWaitsForTheProcessesToBeListedAfresh() throws {
        let load = MachineLoad()
        #expect(load.foreignCPUs(suspectAbove: 0) == nil) // the first reading
        #expect(load.foreignCPUs(suspectAbove: 0) == nil) // withheld: not listed for it
        // The next sample lists them; should HedgeBus processes of tests running beside this one
        // have started or ended just then, that sample is a new start and the one after lists again.
        var given: Double?
        for _ in 0..<40 where given == nil {
            usleep(20_000)
            given = load.foreignCPUs(suspectAbove: 0)
        }
        #expect(given != nil)
        let steady = MachineLoad()
        _ = steady.foreignCPUs(suspectAbove: .infinity)
        usleep(20_000)
        #expect(steady.foreignCPUs(suspectAbove: .infinity) != nil)
    }

    /// A process whose executable is named as one of HedgeBus's (here `sleep` copied as `bus`)
    /// is found; the test process is not.
    @Test func onlyANumberNamesAProcessInProc() {
        func id(_ name: String) -> Int32? { Array(name.utf8 + [0]).withUnsafeBytes { ProcFile.processID(named: $0) } }
        #expect(id("4242") == 4242 && id("1") == 1)
        #expect(id("self") == nil && id("") == nil && id("12a") == nil && id("99999999999") == nil)
    }

    @Test func aProcessCommandIsItsCommLineWithoutTheLineEnd() throws {
        let comm = try String(contentsOfFile: "/proc/self/comm", encoding: .utf8).trimmingCharacters(in: .newlines)
        #expect(ProcFile.command(of: getpid()) == comm)
        #expect(ProcFile.command(of: Int32.max) == nil, "no such process")
    }

    @Test func theHedgeBusProcessesAreFoundByTheirNames() throws {
        #expect(MachineLoad.hedgeBusNames.contains("trading-directo"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("machine-load-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let named = folder.appendingPathComponent("bus")
        try FileManager.default.copyItem(atPath: "/bin/sleep", toPath: named.path)
        let process = Process()
        process.executableURL = named
        process.arguments = ["30"]
        try process.run()
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let found = MachineLoad.hedgeBusProcesses()
        #expect(found.contains(process.processIdentifier))
        #expect(!found.contains(getpid()))
    }

    @Test func autoLeavesBatchOnceOtherProgramsTakeFortyPerCentAndComesBackAfterThreeQuietSamples() {
        var choice = AutoPolicyChoice(cpus: 2)
        #expect(choice.batch)
        // Each sample (CPUs other programs used), whether it changes the policy, and the policy after it.
        let steps: [(foreign: Double, changes: Bool, batch: Bool)] = [
            (0.7, false, true), (0.8, true, false), (0.3, false, false), (0.3, false, false),
            // A busy sample restarts the count of quiet ones.
            (0.5, false, false), (0.1, false, false), (0.1, false, false), (0.1, true, true), (0.1, false, true),
        ]
        for (index, step) in steps.enumerated() {
            let changed = choice.observe(foreignCPUs: step.foreign)
            #expect(changed == step.changes && choice.batch == step.batch, "sample \(index + 1): \(step.foreign) CPUs")
        }
    }
}
