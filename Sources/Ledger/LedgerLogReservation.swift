import Foundation
import GRDB

/// Room for the ledger's write-ahead log, made when a writable ledger opens.
///
/// Every ledger commit syncs the log (`synchronous = FULL`). A commit that writes past the end
/// of the log file also changes the file's size, and the sync must then write the file's
/// metadata too: on this project's disk (ext4 without a journal) a second synchronous write
/// before `fdatasync` returns, about 100 µs more per commit. A fresh log grows with every commit
/// until the first checkpoint lets SQLite write it again from its beginning, so a restarted
/// MarketMaker paid that on its first 150 or so orders (1,000 frames of about 6.5 each).
///
/// So the store writes zeros up to the length its log reaches between checkpoints before its
/// first commit, while it holds the write lock (no other connection appends meanwhile), and
/// syncs them: SQLite then writes every frame over bytes the file already has. Zeros are never
/// taken for frames: SQLite reads a log's frames from its start up to the first one whose
/// header does not carry the log's salt and a matching checksum, and the space is only ever
/// added after the file's current end, so frames a crashed process left are kept as they are.
enum LedgerLogReservation {
    /// Bytes of zeros written per call while extending.
    private static let chunk = 256 * 1_024

    /// Extends the log of the database `db` (at `path`) with zeros to hold `frames` frames,
    /// unless it already does, and syncs the file. Takes the write lock for the time it writes.
    /// Throws when the file cannot be extended (a full disk, say): commits would fail soon after.
    static func reserve(_ db: Database, path: String, frames: Int) throws {
        let logPath = path + "-wal"
        let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4_096
        // A log is a 32-byte header and frames of a 24-byte header and one page each.
        let wanted = 32 + frames * (24 + pageSize)
        try db.execute(sql: "BEGIN IMMEDIATE TRANSACTION")
        defer { try? db.execute(sql: "ROLLBACK TRANSACTION") }
        let descriptor = open(logPath, O_WRONLY | O_CLOEXEC)
        // SQLite makes the log when it opens a file in WAL mode; none means nothing to extend.
        guard descriptor >= 0 else {
            if errno == ENOENT { return }
            throw failure("cannot open", logPath, wanted)
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure("cannot read the size of", logPath, wanted) }
        var offset = Int(status.st_size)
        guard offset < wanted else { return }
        let zeros = [UInt8](repeating: 0, count: chunk)
        while offset < wanted {
            let length = min(chunk, wanted - offset)
            let written = zeros.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, length, off_t(offset)) }
            guard written > 0 else { throw failure("cannot make room for frames in", logPath, wanted) }
            offset += written
        }
        guard fdatasync(descriptor) == 0 else { throw failure("cannot sync", logPath, wanted) }
    }

    /// The error, with what the MarketMaker needs there and how to give it that.
    private static func failure(_ what: String, _ logPath: String, _ bytes: Int) -> LedgerError {
        let reason = String(cString: strerror(errno))
        let megabytes = (bytes + 1_048_575) / 1_048_576
        return LedgerError("\(what) the ledger's log at \(logPath): \(reason); the ledger needs \(megabytes) MB "
            + "of writable space beside it: free some there, or give the MarketMaker a ledger elsewhere (--ledger FILE)")
    }
}
