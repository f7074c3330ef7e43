import Synchronization

/// Whether a subscription covers one topic, for a publisher that asks again and again about the
/// same one (an agent's `trace.<agent>` hops: several per signal). The answer is worked out
/// again only once the publisher's subscriptions have changed; until then it is one atomic
/// read, where `BusPublisher.hasSubscriber(for:)` takes a lock and compares the topic with
/// every prefix, in the process and outside (docs/PERFORMANCE.md, change 117).
public final class TopicInterest: Sendable {
    /// The topic asked about.
    public let topic: String
    private let publisher: BusPublisher
    /// The last answer and the count of subscription changes it was worked out at:
    /// `(changes + 1) << 1 | answer`, or 0 before the first.
    private let known = Atomic<UInt64>(0)

    /// Answers for `topic` on `publisher`.
    public init(topic: String, publisher: BusPublisher) {
        self.topic = topic
        self.publisher = publisher
    }

    /// Whether a subscription covers the topic now, as `publisher.hasSubscriber(for: topic)`.
    public var hasSubscriber: Bool {
        // Read before the subscriptions are: an answer worked out after a change it did not
        // count is kept under the older count, so the next question works it out again.
        let changes = publisher.subscriptionChanges
        let kept = known.load(ordering: .acquiring)
        if kept != 0, kept >> 1 == changes &+ 1 { return kept & 1 == 1 }
        let answer = publisher.hasSubscriber(for: topic)
        known.store((changes &+ 1) << 1 | (answer ? 1 : 0), ordering: .releasing)
        return answer
    }
}
