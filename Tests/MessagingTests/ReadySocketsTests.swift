import Testing
@testable import Messaging

/// The message loop's list of sockets that may have input.
@Suite("Ready sockets")
struct ReadySocketsTests {
    @Test func listsEachSocketOnceInTheOrderItBecameReady() {
        var ready = ReadySockets()
        #expect(ready.isEmpty)
        for id in [4, 2, 4, 9, 2, 7] { ready.mark(id) }
        ready.remove(9)
        #expect(!ready.isEmpty)
        var batch = [99]
        ready.take(into: &batch)
        #expect(batch == [4, 2, 7], "earlier contents of the batch are dropped")
        #expect(ready.isEmpty)
    }

    /// Taking trades storage with the batch: once both have grown, a mark after a take reuses the
    /// batch's old storage instead of allocating.
    @Test func takingTradesStorageWithTheBatch() {
        var ready = ReadySockets()
        var batch: [Int] = []
        batch.reserveCapacity(8)
        let batchStorage = batch.withUnsafeBufferPointer { $0.baseAddress }
        ready.mark(1)
        ready.take(into: &batch)
        #expect(batch == [1])
        ready.mark(2)
        ready.mark(3)
        ready.take(into: &batch)
        #expect(batch == [2, 3])
        #expect(batch.withUnsafeBufferPointer { $0.baseAddress } == batchStorage, "the batch's first storage came back to it")
    }
}
