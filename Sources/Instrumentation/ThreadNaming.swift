import Foundation

/// Names the calling thread where the system shows threads (`top -H`, `perf`, /proc), so a
/// profile tells the loops apart.
///
/// Foundation's `Thread.name` reaches the system only once the `Thread` knows its own pthread,
/// which its parent records after starting it: a thread that names itself at once may not be
/// named at all. This writes the name (its first 15 bytes, all Linux keeps) straight to the
/// thread's entry in /proc; elsewhere it does nothing.
package enum ThreadNaming {
    package static func nameCurrentThread(_ name: String) {
        #if os(Linux)
        let descriptor = open("/proc/thread-self/comm", O_WRONLY)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        #endif
    }
}
