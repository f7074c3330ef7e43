import Configuration
import CZeroMQ
import Foundation
import Glibc

/// Keeps a HedgeBus process on the CPUs its topology names (`cpus`): every thread it has, and so
/// every thread started after (a thread starts with its parent's CPUs), libzmq's I/O thread and
/// the ledger writer included.
///
/// Applied once at start, before the process's message loop exists. On a machine whose idle CPUs
/// halt, as virtual machines' do, waking a thread on another CPU costs more than the work of a
/// message; with a process's threads on one CPU, a message its I/O thread reads wakes the loop
/// where it already runs.
public enum CPUAffinity {
    /// Puts every thread of this process on `list`'s CPUs and returns how many threads it moved.
    /// A CPU the process may not use (absent on this host, or outside its cgroup) is refused
    /// before any thread moves, naming the CPUs it may use.
    @discardableResult
    public static func pin(to list: CPUList, key: String) throws(CPUAffinityError) -> Int {
        let allowed = try allowedCPUs()
        let missing = list.cpus.filter { !allowed.contains($0) }
        guard missing.isEmpty else {
            throw CPUAffinityError("\(key) is \(list), but this process may run only on CPUs \(CPUList(allowed)) here (CPU \(missing.map(String.init).joined(separator: ", ")) is absent or not allowed): name CPUs among those in \(key), or remove it to let the system place the process")
        }
        var set = cpu_set_t()
        withUnsafeMutableBytes(of: &set) { bits in
            for cpu in list.cpus { bits[cpu / 8] |= UInt8(1) << UInt8(cpu % 8) }
        }
        return try ProcessThreads.each { (thread: Int32) throws(CPUAffinityError) in
            // A thread that ended since it was listed has nothing to move.
            if hedgebus_sched_setaffinity(thread, MemoryLayout<cpu_set_t>.size, &set) < 0, errno != ESRCH {
                throw CPUAffinityError("cannot move thread \(thread) to CPUs \(list) (\(key)): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// The CPUs this thread may run on now.
    static func allowedCPUs() throws(CPUAffinityError) -> [Int] {
        var set = cpu_set_t()
        guard hedgebus_sched_getaffinity(0, MemoryLayout<cpu_set_t>.size, &set) >= 0 else {
            throw CPUAffinityError("cannot read this process's CPUs: \(String(cString: strerror(errno)))")
        }
        return withUnsafeBytes(of: &set) { bits in
            (0..<min(bits.count * 8, CPUList.highestCPU + 1)).filter { bits[$0 / 8] & (UInt8(1) << UInt8($0 % 8)) != 0 }
        }
    }
}

/// Why a process could not be put on its CPUs.
public struct CPUAffinityError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, naming the topology key.
    public let description: String

    init(_ description: String) { self.description = description }
}
