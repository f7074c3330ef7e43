import Foundation

/// Subscription prefixes as plain bytes, matched against a topic where it lies. Asked for every
/// event and every hop a publisher might send (`BusPublisher.hasSubscriber(for:)`) and for every
/// message the bus hands its own subscribers; through `Data` each prefix compared cost a
/// `withUnsafeBytes` and its exclusivity checks, and a copy of the table its reference counting.
struct TopicPrefixes: Sendable {
    private var prefixes: [[UInt8]] = []

    /// No prefix: matches nothing.
    init() {}

    /// These prefixes (an empty one matches every topic).
    init(_ prefixes: some Sequence<Data>) {
        self.prefixes = prefixes.map { [UInt8]($0) }
    }

    /// Adds `more` to the prefixes.
    mutating func add(_ more: some Sequence<Data>) {
        prefixes += more.map { [UInt8]($0) }
    }

    /// Whether some prefix starts `topic`.
    func matches(_ topic: UnsafeRawBufferPointer) -> Bool {
        for prefix in prefixes where prefix.count <= topic.count {
            if prefix.isEmpty { return true }
            if prefix.withUnsafeBytes({ memcmp($0.baseAddress!, topic.baseAddress!, prefix.count) }) == 0 { return true }
        }
        return false
    }

    /// Whether some prefix starts `topic`'s UTF-8 bytes.
    func matches(_ topic: String) -> Bool {
        guard !prefixes.isEmpty else { return false }
        var topic = topic
        return topic.withUTF8 { matches(UnsafeRawBufferPointer($0)) }
    }
}
