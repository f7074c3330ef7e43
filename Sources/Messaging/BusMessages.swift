import WorkQueues

/// A subscriber's bus messages in arrival order, for one consumer (`for await message in …`).
/// The bus feeds it from its loop thread; at most its capacity (`buffered` where it was made)
/// wait for the consumer, and a newer one is refused and counted as an inbound drop. It ends
/// once the bus or the subscriber's loop stops and what it holds is taken.
public typealias BusMessages = SingleConsumerQueue<BusMessage>
