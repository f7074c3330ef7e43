import Configuration
import Foundation
import Instrumentation
import Logging
import ServiceLifecycle
import Synchronization
import Tracing
import WireFormat
import WireProtocol

/// Pushes the spans of what an agent publishes to the topology's OTLP/HTTP collector
/// (`otlp` section), in batches every `interval_ms`, off the hot path.
///
/// Publishing only appends the envelope to a bounded queue (no encoding, no I/O); when the
/// queue holds `max_queue` envelopes new ones are dropped and counted. Encoding, mapping to
/// spans (`OTLPMapping`) and the POST run on a thread of their own at a lower priority than the
/// loop (`BackgroundWorker`), so neither a slow or absent collector nor the encoding delays a
/// cycle; a batch still waiting for that thread after `starvationBound` (every CPU busy) moves
/// it to the normal class, nice +10, until it has caught up. A batch that cannot be delivered is
/// dropped and counted (the
/// rest waits for the next interval), and failures are logged at most once per 10 s. On shutdown
/// what is queued is sent once more.
public final class SpanPush: Service, Sendable {
    private let section: OTLPSection
    /// The collector URL.
    public var endpoint: String { section.endpoint }
    private let target: OTLPSection.Target
    private let logger: Logger
    private let queue = Mutex<[PendingSpan]>([])
    private let failures = Mutex<(lastLogUs: Int64?, unlogged: Int, failing: Bool)>((nil, 0, false))
    private let sender = BackgroundWorker(name: "otlp-push")
    /// How long a batch may wait for the sender's thread, idle-class, before that thread is
    /// moved to the normal class (nice +10) until it has caught up: under a load that keeps
    /// every CPU busy the spans still leave, a little late, instead of waiting until the queue
    /// is full and dropping.
    static let starvationBound: Duration = .seconds(1)

    /// A push to `section`'s endpoint; nil when the section has no usable endpoint.
    public init?(section: OTLPSection, logger: Logger) {
        guard let target = section.target else { return nil }
        self.section = section
        self.target = target
        self.logger = logger
    }

    /// Queues `envelope` for the next batch, or drops and counts it when the queue is full.
    public func offer<P: MessagePayload>(_ envelope: Envelope<P>) {
        let accepted = queue.withLock { queue in
            guard queue.count < section.maxQueue else { return false }
            queue.append(PendingSpan(envelope))
            return true
        }
        if !accepted { Instruments.counter("hedgebus_otlp_spans_dropped_total", [("reason", "queue_full")]).increment() }
    }

    public func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(self.section.intervalMs))
                await self.flush()
            }
        }
        // What the shutdown itself published goes out too.
        await flush()
    }

    /// Sends what is queued now, in batches of `max_batch`, until the queue is empty or a batch
    /// fails (the rest waits for the next interval, so a dead collector costs one timeout).
    func flush() async {
        while true {
            let batch = queue.withLock { queue in
                let taken = Array(queue.prefix(section.maxBatch))
                queue.removeFirst(taken.count)
                return taken
            }
            guard !batch.isEmpty else { return }
            let delivered = await sender.run({ self.send(batch) }, promotingAfter: Self.starvationBound)
            guard delivered else { return }
        }
    }

    /// Encodes `batch` as one OTLP request and posts it (on the sender's thread); false when
    /// the collector did not take it.
    private func send(_ batch: [PendingSpan]) -> Bool {
        let spans = OTLPBatch.spans(of: batch)
        guard !spans.isEmpty else { return true }
        do {
            try HTTPPost.send(try OTLPBatch.body(of: spans), contentType: "application/json", to: target, timeoutMs: section.timeoutMs)
            Instruments.counter("hedgebus_otlp_spans_sent_total").increment(by: spans.count)
            let recovered = failures.withLock { state in
                defer { state.failing = false }
                return state.failing
            }
            if recovered { logger.info("spans reach the OTLP collector at \(section.endpoint) again") }
            return true
        } catch {
            Instruments.counter("hedgebus_otlp_spans_dropped_total", [("reason", "send_failed")]).increment(by: spans.count)
            failed("\(error)", spans: spans.count)
            return false
        }
    }

    /// Logs a failed batch, at most once per 10 s, saying how many failed since the last line.
    private func failed(_ reason: String, spans: Int) {
        let now = WallClock.micros()
        let unlogged: Int? = failures.withLock { state in
            state.failing = true
            if let last = state.lastLogUs, now - last < 10_000_000 {
                state.unlogged += 1
                return nil
            }
            defer { state = (now, 0, true) }
            return state.unlogged
        }
        guard let unlogged else { return }
        let more = unlogged > 0 ? " (and \(unlogged) more failed batch(es) since the last line)" : ""
        logger.warning("dropped \(spans) span(s) for the OTLP collector at \(section.endpoint): \(reason)\(more)")
    }
}
