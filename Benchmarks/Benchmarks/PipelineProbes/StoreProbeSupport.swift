import Foundation

/// What the store probes read from the system: the process's write syscalls and bytes
/// (/proc/self/io, every thread) and the size of an SQLite file's write-ahead log.
enum StoreProbeSupport {
    /// Write syscalls and bytes written so far by the whole process.
    static func processWrites() -> (syscalls: Int, bytes: Int) {
        guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return (0, 0) }
        var syscalls = 0, bytes = 0
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let value = Int(parts[1]) else { continue }
            if parts[0] == "syscw" { syscalls = value }
            if parts[0] == "wchar" { bytes = value }
        }
        return (syscalls, bytes)
    }

    /// Frames in the write-ahead log of `path`: its size past the header over the frame size,
    /// with the page size the log's header gives (bytes 8–11, big-endian); none without a log.
    static func walFrames(_ path: String) -> Int {
        guard let log = FileHandle(forReadingAtPath: path + "-wal") else { return 0 }
        defer { try? log.close() }
        guard let header = try? log.read(upToCount: 32), header.count == 32, let size = try? log.seekToEnd() else { return 0 }
        let pageSize = header[8..<12].reduce(0) { $0 << 8 | Int($1) }
        return pageSize > 0 ? (Int(size) - 32) / (pageSize + 24) : 0
    }

    /// A fresh directory for a probe's files.
    static func temporaryDirectory(_ name: String) -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// The median of `samples`, in µs from ns.
    static func medianMicros(_ samples: [UInt64]) -> Double {
        let sorted = samples.sorted()
        return Double(sorted[sorted.count / 2]) / 1_000
    }
}
