import Glibc

/// Reads the small text files of `/proc` (`MachineLoad`, `ProcessThreads`).
enum ProcFile {
    /// A `/proc` file's text (their sizes read as 0, so it is read to its end); nil when it
    /// cannot be opened.
    static func text(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The process id a `/proc` entry's name (NUL-terminated bytes) stands for; nil for any other
    /// entry (`self`, `stat`, …).
    static func processID(named name: UnsafeRawBufferPointer) -> Int32? {
        var value: Int32 = 0
        for (index, byte) in name.enumerated() {
            if byte == 0 { return index > 0 ? value : nil }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (scaled, overflowed) = value.multipliedReportingOverflow(by: 10)
            let (next, carried) = scaled.addingReportingOverflow(Int32(byte - UInt8(ascii: "0")))
            guard !overflowed, !carried else { return nil }
            value = next
        }
        return nil
    }

    /// The name of `process`'s executable as `/proc/<pid>/comm` gives it (at most 15 bytes), its
    /// line end taken off; nil when the process is gone or the name is not text. Read into a
    /// buffer on the stack: this runs for every process of the host.
    static func command(of process: Int32) -> String? {
        let descriptor = "/proc/\(process)/comm".withCString { open($0, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buffer -> String? in
            guard let base = buffer.baseAddress else { return nil }
            var count = 0
            repeat { count = Glibc.read(descriptor, base, 64) } while count < 0 && errno == EINTR
            guard count > 0 else { return nil }
            while count > 0, base[count - 1] == UInt8(ascii: "\n") || base[count - 1] == UInt8(ascii: " ") { count -= 1 }
            return String(validating: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
        }
    }
}
