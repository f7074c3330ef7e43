import Testing
import WorkQueues

/// The queue on its own: order, its bound and what an offer is told, its end, and a consumer
/// cancelled while it waits.
@Suite(.timeLimit(.minutes(1)))
struct SingleConsumerQueueTests {
    private struct Message: Sendable, Equatable {
        let topic: String
        let body: String
    }

    private func message(_ index: Int) -> Message { Message(topic: "fill.\(index)", body: "\(index)") }

    @Test func messagesComeInOrderUpToTheBoundThenNewerOnesAreRefused() async {
        let messages = SingleConsumerQueue<Message>(capacity: 3)
        #expect((0..<3).map { messages.offer(message($0)) } == [.queued(ahead: 0), .queued(ahead: 1), .queued(ahead: 2)])
        #expect(messages.offer(message(3)) == .full)
        var iterator = messages.makeAsyncIterator()
        #expect(await iterator.next()?.topic == "fill.0")
        // One taken, one more fits, behind the two still waiting.
        #expect(messages.offer(message(4)) == .queued(ahead: 2))
        #expect(messages.offer(message(5)) == .full)
        var topics: [String] = []
        for _ in 0..<3 { topics.append(await iterator.next()?.topic ?? "") }
        #expect(topics == ["fill.1", "fill.2", "fill.4"])
    }

    /// Thousands waiting, taken while more arrive: the buffer's compaction keeps the order.
    @Test func aLongBacklogTakenWhileMoreArriveKeepsItsOrder() async {
        let messages = SingleConsumerQueue<Message>(capacity: 10_000)
        for index in 0..<5_000 { #expect(messages.offer(message(index)) == .queued(ahead: index)) }
        var iterator = messages.makeAsyncIterator()
        var next = 5_000
        for expected in 0..<9_000 {
            #expect(await iterator.next()?.body == "\(expected)")
            if expected % 2 == 0, next < 9_000 {
                #expect(messages.offer(message(next)) != .full)
                next += 1
            }
        }
        #expect(next == 9_000)
    }

    /// A look ahead takes the next element only when it waits and the test accepts it; what it
    /// took no longer counts against the bound, and the rest keeps its order.
    @Test func aLookAheadTakesTheNextElementOnlyWhenItWaitsAndIsAccepted() async {
        let messages = SingleConsumerQueue<Message>(capacity: 2)
        #expect(messages.take(ifNext: { _ in true }) == nil)
        #expect(messages.offer(message(1)) == .queued(ahead: 0))
        #expect(messages.offer(message(2)) == .queued(ahead: 1))
        #expect(messages.offer(message(3)) == .full)
        #expect(messages.take(ifNext: { $0.body == "2" }) == nil)
        #expect(messages.take(ifNext: { $0.body == "1" }) == message(1))
        #expect(messages.offer(message(3)) == .queued(ahead: 1))
        var iterator = messages.makeAsyncIterator()
        #expect(await iterator.next() == message(2))
        #expect(messages.take(ifNext: { _ in true }) == message(3))
        #expect(messages.take(ifNext: { _ in true }) == nil)
        messages.finish()
        #expect(await iterator.next() == nil)
    }

    @Test func aFinishedStreamHandsOutWhatItHoldsThenEnds() async {
        let messages = SingleConsumerQueue<Message>(capacity: 8)
        _ = messages.offer(message(1))
        _ = messages.offer(message(2))
        messages.finish()
        #expect(messages.offer(message(3)) == .ended)
        var topics: [String] = []
        for await received in messages { topics.append(received.topic) }
        #expect(topics == ["fill.1", "fill.2"])
    }

    /// A consumer already running gets what is offered meanwhile (handed over if it waits, kept
    /// if not), then the end.
    @Test func aRunningConsumerGetsWhatIsOfferedThenTheEnd() async {
        let messages = SingleConsumerQueue<Message>(capacity: 8)
        let (ready, started) = AsyncStream.makeStream(of: Void.self)
        let consumer = Task {
            var received: [String] = []
            started.yield()
            for await message in messages { received.append(message.topic) }
            return received
        }
        var waits = ready.makeAsyncIterator()
        await waits.next()
        _ = messages.offer(message(1))
        _ = messages.offer(message(2))
        messages.finish()
        #expect(await consumer.value == ["fill.1", "fill.2"])
    }

    /// Cancelled, the consumer's wait ends with nil, and the stream takes nothing more.
    @Test func cancellingTheConsumerEndsItsWaitAndTheStream() async {
        let messages = SingleConsumerQueue<Message>(capacity: 8)
        _ = messages.offer(message(1))
        let consumer = Task {
            var received: [String] = []
            for await message in messages { received.append(message.topic) }
            return received
        }
        // It has taken the first message and waits for more, or is about to: either way the
        // cancellation ends it.
        consumer.cancel()
        let received = await consumer.value
        #expect(received.count <= 1)
        #expect(messages.offer(message(2)) == .ended)
    }
}
