import Foundation

/// The threads of this process, for what start-up sets on each of them (`CPUAffinity`,
/// `ThreadScheduling`).
enum ProcessThreads {
    /// Calls `body` once for each thread of this process and returns how many that was. A thread
    /// started while the threads are listed takes its parent's settings, which `body` may not
    /// have changed yet: they are listed again until a pass finds none new.
    static func each<E: Error>(_ body: (Int32) throws(E) -> Void) throws(E) -> Int {
        var done = Set<Int32>()
        while true {
            let fresh = ids().subtracting(done)
            guard !fresh.isEmpty else { return done.count }
            for thread in fresh {
                try body(thread)
                done.insert(thread)
            }
        }
    }

    /// The name of thread `thread` of this process (its `comm`); nil once it has ended.
    static func name(of thread: Int32) -> String? {
        ProcFile.text("/proc/self/task/\(thread)/comm")?.trimmingCharacters(in: .newlines)
    }

    /// The ids of this process's threads now.
    private static func ids() -> Set<Int32> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return Set(names.compactMap { Int32($0) })
    }
}
