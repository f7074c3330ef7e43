/// A commit asked not to wait for its store's write lock found it held (by the log's
/// checkpointer, whose RESTART holds it while it syncs and copies the latest commits): nothing
/// was written, and the same changes can be committed again later.
///
/// A store whose commits run on a message loop commits this way, so the loop, which runs other
/// agents' work too, never sleeps in SQLite's busy handler (whose waits grow 1, 2, 5, 10 ms…
/// however soon the lock is free).
public struct StoreLockBusy: Error, Sendable, CustomStringConvertible {
    /// The database file whose lock was held.
    public let path: String

    /// Creates the error for the store at `path`.
    public init(path: String) { self.path = path }

    public var description: String { "the write lock of \(path) is held; nothing was written" }
}
