import Foundation

/// The bytes of the replies a `ReplyCache` keeps, back to back in the order they were kept, in
/// slabs of 256 KiB mapped from the system and unmapped as soon as no kept reply is in them.
///
/// Replies are forgotten oldest first, so what is kept is one run of bytes from the oldest kept
/// reply to the newest, and the run leaves a slab behind for good: its memory goes back to the
/// system at once, whatever else the process allocated meanwhile. Kept one by one on the heap,
/// each reply shared pages with the small, long-lived allocations made between two requests
/// (the venue's memory of orders, decoded strings), so forgetting them gave back next to
/// nothing, even trimmed. A reply costs its bytes and nothing more; only the pages a slab's
/// replies have reached are resident. Not thread-safe: `ReplyCache` keeps it under its lock.
struct ReplyBytes: ~Copyable {
    /// Where one reply's bytes are: the position of its first byte in the run of every byte
    /// kept so far, and how many there are.
    struct Span: Sendable {
        let start: Int
        let count: UInt32
    }

    /// A slab's size: a mapping for about 450 order reports, and little held at the run's two
    /// ends (the first slab partly forgotten, the last partly filled).
    static let slabSize = 256 << 10

    /// Slab `firstSlab + i` holds positions `(firstSlab + i) * slabSize ..< (firstSlab + i + 1) * slabSize`.
    private var slabs: [UnsafeMutableRawPointer] = []
    private var firstSlab = 0
    /// The position the next byte goes to.
    private var end = 0

    init() {}

    deinit {
        for slab in slabs { Self.unmap(slab) }
    }

    /// Slabs mapped now.
    var slabCount: Int { slabs.count }

    /// Keeps a copy of `bytes` after those kept so far.
    mutating func append(_ bytes: Data) -> Span {
        let span = Span(start: end, count: UInt32(bytes.count))
        if slabs.isEmpty { firstSlab = end / Self.slabSize }
        bytes.withUnsafeBytes { source in
            var copied = 0
            while copied < source.count {
                let offset = end % Self.slabSize
                if end / Self.slabSize - firstSlab == slabs.count { slabs.append(Self.map()) }
                let slab = slabs[end / Self.slabSize - firstSlab]
                let length = min(source.count - copied, Self.slabSize - offset)
                (slab + offset).copyMemory(from: source.baseAddress! + copied, byteCount: length)
                copied += length
                end += length
            }
        }
        return span
    }

    /// A copy of the bytes of `span`, which must not have been released.
    func read(_ span: Span) -> Data {
        var data = Data(count: Int(span.count))
        data.withUnsafeMutableBytes { out in
            var position = span.start
            var copied = 0
            while copied < out.count {
                let offset = position % Self.slabSize
                let length = min(out.count - copied, Self.slabSize - offset)
                (out.baseAddress! + copied).copyMemory(from: slabs[position / Self.slabSize - firstSlab] + offset, byteCount: length)
                copied += length
                position += length
            }
        }
        return data
    }

    /// Unmaps the slabs wholly before `position`, the start of the oldest reply still kept;
    /// every slab when nothing is kept (`position` is past the last byte).
    mutating func release(before position: Int) {
        while !slabs.isEmpty, position >= end || (firstSlab + 1) * Self.slabSize <= position {
            Self.unmap(slabs.removeFirst())
            firstSlab += 1
        }
    }

    private static func map() -> UnsafeMutableRawPointer {
        guard let slab = mmap(nil, slabSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), slab != MAP_FAILED else {
            fatalError("out of memory mapping \(slabSize) bytes for kept replies")
        }
        return slab
    }

    private static func unmap(_ slab: UnsafeMutableRawPointer) {
        munmap(slab, slabSize)
    }
}
