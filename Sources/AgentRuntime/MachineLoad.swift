import Foundation
import Glibc

/// How much of the machine's CPU time goes to programs other than HedgeBus's, read from
/// `/proc`: the time the CPUs spent busy (`/proc/stat`) less what the HedgeBus processes on the
/// host used (`/proc/<pid>/stat` of each process named as one of HedgeBus's executables, whatever
/// topology it runs). `ThreadPolicyWatch` takes a sample once a second.
///
/// Finding the HedgeBus processes lists `/proc` (a small read per process on the host), so the
/// list is renewed every `renewEvery` samples; in between a sample reads `/proc/stat` and one
/// file per HedgeBus process.
final class MachineLoad {
    /// The names (`comm`: the executable's name, cut to 15 bytes) of HedgeBus's processes.
    static let hedgeBusNames: Set<String> = [
        "bus", "trading-directo", "quant-analyst", "risk-manager", "execution-agent", "market-maker", "all-agents", "hedgectl",
    ]
    /// Samples between two listings of `/proc`.
    static let renewEvery = 5

    /// What one sample read: the CPU time the machine spent busy and the time each HedgeBus
    /// process found had used, in clock ticks, and when.
    struct Reading {
        var busyTicks: UInt64
        var hedgeBusTicks: [Int32: UInt64]
        var at: ContinuousClock.Instant
    }

    private let ticksPerSecond = Double(max(1, sysconf(Int32(_SC_CLK_TCK))))
    private var processes: [Int32] = []
    private var samples = 0
    private var last: Reading?

    /// The CPUs' worth of time (1: one CPU all the time) spent outside HedgeBus's processes since
    /// the call before; nil on the first call, when `/proc` cannot be read, and when the HedgeBus
    /// processes found have changed since that call (each needs a reading to start from). A value
    /// of `suspectAbove` or more is not given out unless the processes were listed afresh for
    /// it: the next call lists them first, so that a HedgeBus process started since the last
    /// listing (its siblings of the desk, at start) is not taken for another program.
    func foreignCPUs(suspectAbove limit: Double) -> Double? {
        var listed = false, changed = false
        if samples % Self.renewEvery == 0 {
            let found = Self.hedgeBusProcesses()
            listed = true
            changed = Set(found) != Set(processes)
            processes = found
        }
        samples += 1
        let reading = read()
        defer { last = reading }
        guard let last, let reading, !changed,
              let foreign = Self.foreignCPUs(from: last, to: reading, ticksPerSecond: ticksPerSecond) else { return nil }
        if foreign >= limit && !listed {
            samples = 0
            return nil
        }
        return foreign
    }

    /// The CPUs' worth of time spent outside HedgeBus between two readings: the machine's busy
    /// time less the time of the HedgeBus processes both readings saw (one that started or ended
    /// in between counts as foreign for that span), over the time between them; never below 0.
    static func foreignCPUs(from earlier: Reading, to later: Reading, ticksPerSecond: Double) -> Double? {
        let span = (later.at - earlier.at).components
        let seconds = Double(span.seconds) + Double(span.attoseconds) / 1e18
        guard seconds > 0, later.busyTicks >= earlier.busyTicks else { return nil }
        var ours: UInt64 = 0
        for (process, ticks) in later.hedgeBusTicks {
            if let before = earlier.hedgeBusTicks[process], ticks >= before { ours += ticks - before }
        }
        let busy = later.busyTicks - earlier.busyTicks
        return Double(busy > ours ? busy - ours : 0) / ticksPerSecond / seconds
    }

    private func read() -> Reading? {
        guard let stat = ProcFile.text("/proc/stat"), let busy = Self.busyTicks(inProcStat: stat) else { return nil }
        var ticks: [Int32: UInt64] = [:]
        for process in processes {
            if let text = ProcFile.text("/proc/\(process)/stat"), let used = Self.processTicks(inStat: text) { ticks[process] = used }
        }
        return Reading(busyTicks: busy, hedgeBusTicks: ticks, at: .now)
    }

    /// The ids of the processes on this host named as HedgeBus's executables are. Every process
    /// of the host is looked at, so each costs one small read and no more: `/proc` listed with
    /// `readdir`, each `comm` read into a buffer on the stack and compared as bytes (through
    /// Foundation's directory listing and string trimming, a listing cost about 4 million
    /// instructions on a host of a few hundred processes, docs/PERFORMANCE.md, change 174).
    static func hedgeBusProcesses() -> [Int32] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var found: [Int32] = []
        while let entry = readdir(directory) {
            let process = withUnsafeBytes(of: entry.pointee.d_name) { ProcFile.processID(named: $0) }
            if let process, let comm = ProcFile.command(of: process), hedgeBusNames.contains(comm) { found.append(process) }
        }
        return found
    }

    /// The ticks the CPUs spent busy, from `/proc/stat`'s first line (`cpu  user nice system idle
    /// iowait irq softirq steal …`): user, nice, system, irq and softirq. Idle, I/O wait and the
    /// time the hypervisor took (steal) are not busy.
    static func busyTicks(inProcStat text: String) -> UInt64? {
        guard let line = text.split(separator: "\n", maxSplits: 1).first, line.hasPrefix("cpu ") else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard fields.count >= 7 else { return nil }
        return fields[0] + fields[1] + fields[2] + fields[5] + fields[6]
    }

    /// A process's user and system time in ticks, from its `stat`: fields 14 and 15, counted
    /// after its name in parentheses (which may hold spaces and parentheses).
    static func processTicks(inStat text: String) -> UInt64? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        // The first field after the name is the state (field 3): utime and stime come 11 and 12 later.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = UInt64(fields[11]), let system = UInt64(fields[12]) else { return nil }
        return user + system
    }
}
