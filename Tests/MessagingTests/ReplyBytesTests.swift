import Foundation
@testable import Messaging
import Testing

/// The reply cache's bytes: read back exactly wherever they fall in the slabs, and each slab
/// unmapped once no kept reply is in it.
@Suite struct ReplyBytesTests {
    private func bytes(_ count: Int, seed: Int) -> Data {
        Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed) })
    }

    @Test func repliesReadBackExactlyAcrossSlabsAndLargerThanOne() {
        var store = ReplyBytes()
        // Sizes that straddle slab boundaries, one larger than two slabs, and an empty one.
        let sizes = [100_000, 100_000, 100_000, 600_000, 0, 7, ReplyBytes.slabSize]
        let replies = sizes.enumerated().map { bytes($0.element, seed: $0.offset) }
        let spans = replies.map { store.append($0) }
        for (span, reply) in zip(spans, replies) { #expect(store.read(span) == reply) }
        let total = sizes.reduce(0, +)
        #expect(store.slabCount == (total + ReplyBytes.slabSize - 1) / ReplyBytes.slabSize)
    }

    @Test func slabsGoBackOnceTheRunHasLeftThemAndAllOfThemWhenNothingIsKept() {
        var store = ReplyBytes()
        let size = ReplyBytes.slabSize / 4
        let spans = (0..<10).map { store.append(bytes(size, seed: $0)) }
        #expect(store.slabCount == 3)
        // Forgetting the first four (one whole slab) unmaps it; the rest still read back.
        store.release(before: spans[3].start + size)
        #expect(store.slabCount == 2)
        for n in 4..<10 { #expect(store.read(spans[n]) == bytes(size, seed: n)) }
        // Forgetting all of them unmaps the half-used last slab too; the next reply maps anew.
        store.release(before: spans[9].start + size)
        #expect(store.slabCount == 0)
        let next = store.append(bytes(10, seed: 42))
        #expect(store.slabCount == 1)
        #expect(store.read(next) == bytes(10, seed: 42))
    }
}
