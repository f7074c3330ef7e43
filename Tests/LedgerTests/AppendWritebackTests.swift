@testable import Ledger
import Testing

/// `AppendWriteback` starts a growing file's writeback once per stretch of bytes appended.
@Suite(.timeLimit(.minutes(1)))
struct AppendWritebackTests {
    @Test func theFileIsWrittenBackOncePerStretchAppended() {
        let starts = FileWritebackTests.Starts()
        let writeback = AppendWriteback(descriptor: 42, stretchBytes: 1_000, start: starts.record)
        writeback.appended(400)
        writeback.appended(599)
        writeback.waitUntilIdle()
        #expect(starts.all.isEmpty, "999 bytes: less than a stretch")
        writeback.appended(1)
        writeback.waitUntilIdle()
        #expect(starts.all == [42])
        // The count starts again from the start: 999 more are not a stretch, one large write is.
        writeback.appended(999)
        writeback.waitUntilIdle()
        #expect(starts.all.count == 1)
        writeback.appended(5_000)
        writeback.waitUntilIdle()
        #expect(starts.all == [42, 42])
    }
}
