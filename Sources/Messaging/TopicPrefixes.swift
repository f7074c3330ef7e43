import Foundation

/// Subscription prefixes as plain bytes, matched against a topic where it lies. Asked for every
/// event and every hop a publisher might send (`BusPublisher.hasSubscriber(for:)`) and for every
/// message the bus hands its own subscribers; through `Data` each prefix compared cost a
/// `withUnsafeBytes` and its exclusivity checks, and a copy of the table its reference counting.
/// The prefixes lie end to end in one array, each known by its range there, so going through
/// them retains nothing (an array of arrays retained and released each prefix it passed,
/// docs/PERFORMANCE.md, change 115).
struct TopicPrefixes: Sendable {
    private var bytes: [UInt8] = []
    private var ranges: [Range<Int>] = []

    /// No prefix: matches nothing.
    init() {}

    /// These prefixes (an empty one matches every topic).
    init(_ prefixes: some Sequence<Data>) {
        add(prefixes)
    }

    /// Adds `more` to the prefixes.
    mutating func add(_ more: some Sequence<Data>) {
        for prefix in more {
            ranges.append(bytes.count..<(bytes.count + prefix.count))
            bytes.append(contentsOf: prefix)
        }
    }

    /// Whether some prefix starts `topic`.
    func matches(_ topic: UnsafeRawBufferPointer) -> Bool {
        guard !ranges.isEmpty else { return false }
        return bytes.withUnsafeBytes { all in
            for range in ranges where range.count <= topic.count {
                if range.isEmpty { return true }
                if memcmp(all.baseAddress! + range.lowerBound, topic.baseAddress!, range.count) == 0 { return true }
            }
            return false
        }
    }

    /// Whether some prefix starts `topic`'s UTF-8 bytes.
    func matches(_ topic: String) -> Bool {
        guard !ranges.isEmpty else { return false }
        if let found = topic.utf8.withContiguousStorageIfAvailable({ matches(UnsafeRawBufferPointer($0)) }) { return found }
        var contiguous = topic
        return contiguous.withUTF8 { matches(UnsafeRawBufferPointer($0)) }
    }
}
