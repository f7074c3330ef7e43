import Foundation

/// hedgectl's writes to standard output and standard error, made with `write(2)` rather than
/// `FileHandle.write`, which traps when a write fails. A write to standard output that fails (a
/// full disk behind `hedgectl trace --json > file`) ends hedgectl with the reason and status 1,
/// as `cat` does; one to standard error is dropped. A reader that went away still ends it by
/// SIGPIPE, as it ends any command in a pipeline.
enum StandardStreams {
    /// Writes `bytes` to standard output, all of them.
    static func out(_ bytes: Data) {
        if let failed = writeAll(bytes, to: STDOUT_FILENO) {
            error("hedgectl: cannot write to standard output: \(String(cString: strerror(failed))); free space where it goes, or send it elsewhere\n")
            exit(1)
        }
    }

    /// Writes `text` to standard error, as far as it goes.
    static func error(_ text: String) {
        _ = writeAll(Data(text.utf8), to: STDERR_FILENO)
    }
}

/// Writes all of `bytes` to `descriptor` with `write(2)`, again after an interruption or a short
/// write; the `errno` of a write that failed, nil when all went.
func writeAll(_ bytes: Data, to descriptor: Int32) -> Int32? {
    bytes.withUnsafeBytes { buffer -> Int32? in
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return written < 0 ? errno : EIO }
            offset += written
        }
        return nil
    }
}
