import Dispatch
import Synchronization

/// Starts the kernel's writeback of a file that grows by appending, once per stretch of bytes
/// appended, on a queue of its own: for a file written megabytes a second beside the ledger,
/// such as `hedgectl trace --record`'s recording.
///
/// Left alone, such a file's pages stay dirty until the kernel writes back what is 30 s old:
/// then hundreds of megabytes go to the disk at once, and every sync queued meanwhile waits
/// behind them, the ledger's among them (docs/PERFORMANCE.md, change 130: orders that waited
/// 30–130 ms for their commit). Started as the bytes are appended, the same bytes reach the
/// disk in small pieces, as `FileWriteback` does for the stores' logs.
public final class AppendWriteback: Sendable {
    private struct State {
        /// Bytes appended since the writeback last started.
        var appended = 0
        /// A start is queued and has not run yet.
        var queued = false
    }

    /// The file, owned by the caller, who keeps it open while this lives.
    let descriptor: Int32
    private let stretchBytes: Int
    private let start: @Sendable (Int32) -> Void
    private let queue = DispatchQueue(label: "append-writeback")
    private let state = Mutex(State())

    /// For the file open at `descriptor`, started every MiB appended.
    public convenience init(descriptor: Int32) {
        self.init(descriptor: descriptor, stretchBytes: 1_048_576, start: FileWriteback.startWriteback)
    }

    /// For the file open at `descriptor`; `start` starts the writeback of one open file.
    init(descriptor: Int32, stretchBytes: Int, start: @escaping @Sendable (Int32) -> Void) {
        self.descriptor = descriptor
        self.stretchBytes = max(1, stretchBytes)
        self.start = start
    }

    /// After `bytes` more were written to the file.
    public func appended(_ bytes: Int) {
        let due = state.withLock { state -> Bool in
            state.appended += bytes
            guard state.appended >= stretchBytes, !state.queued else { return false }
            state.appended = 0
            state.queued = true
            return true
        }
        guard due else { return }
        queue.async { [self] in
            state.withLock { $0.queued = false }
            start(descriptor)
        }
    }

    /// Returns once every writeback start queued so far has run (for tests).
    func waitUntilIdle() { queue.sync {} }
}
