import Configuration
import Foundation
import Messaging
import WireFormat
import WireProtocol

/// Collects `decision` events for signals this process sent.
struct DecisionWatch {
    /// A decision as decoded and as received.
    struct Received {
        let envelope: Envelope<DecisionPayload>
        let json: String
    }

    let decisions: AsyncStream<BusMessage>
    let timeout: Duration

    /// Subscribes to decisions and to the director's heartbeat; the first heartbeat proves the
    /// director's publisher has our subscriptions, so no decision can be missed after it.
    static func start(loop: MessageLoop, topology: Topology, timeout: Duration, curve: CurveRole?) async throws -> DecisionWatch {
        let director = AgentName.tradingDirector.rawValue
        let subscriber = try await BusSubscriber.connect(loop: loop, endpoint: topology.bus.subscribe,
                                                         topics: [Topic.decision(""), Topic.heartbeat(director)], curve: curve)
        let (beats, beat) = AsyncStream.makeStream(of: Void.self)
        let (decisions, decision) = AsyncStream.makeStream(of: BusMessage.self)
        // One reader for the subscription for its whole life, routing to the two consumers.
        Task {
            for await message in subscriber.messages {
                if Topic.kind(of: message.topic) == "heartbeat" { beat.yield(()) } else { decision.yield(message) }
            }
            beat.finish()
            decision.finish()
        }
        guard await firstElement(of: beats, within: timeout) != nil else {
            throw CtlFailure("no heartbeat from the \(director) on the bus at \(topology.bus.subscribe) within \(timeout); is it running? Try ./topology/launch.sh status")
        }
        return DecisionWatch(decisions: decisions, timeout: timeout)
    }

    /// Waits for one decision per signal in `sent`, calling `each` as they come; stops at the
    /// timeout, counted from the last decision received. With `resendEvery`, the signals still
    /// without a decision are handed to `resend` at that interval (the director answers a signal
    /// it has seen with its decision, and trades it only once).
    func collect(for sent: [Envelope<SignalPayload>], resendEvery: Duration? = nil,
                 resend: @escaping @Sendable ([Envelope<SignalPayload>]) async -> Void = { _ in },
                 each: (Envelope<SignalPayload>, Received) -> Void) async -> (missing: Int, counts: [DecisionOutcome: Int], resent: Int) {
        var pending = Dictionary(uniqueKeysWithValues: sent.map { ($0.id, $0) })
        var counts: [DecisionOutcome: Int] = [:]
        var resent = 0
        let codec = JSONEnvelopeCodec()
        let stream = decisions
        let timeout = self.timeout
        let ticking = AsyncStream<WatchTick> { continuation in
            let pump = Task {
                for await message in stream { continuation.yield(.message(message)) }
                continuation.finish()
            }
            let clock = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: timeout)
                    continuation.yield(.quiet)
                }
            }
            let resender = Task {
                guard let resendEvery else { return }
                while !Task.isCancelled {
                    try? await Task.sleep(for: resendEvery)
                    continuation.yield(.resend)
                }
            }
            continuation.onTermination = { _ in pump.cancel(); clock.cancel(); resender.cancel() }
        }
        var quietTicks = 0
        for await tick in ticking {
            switch tick {
            case .quiet:
                quietTicks += 1
                if quietTicks >= 2 { return (pending.count, counts, resent) }
            case .resend:
                let waiting = pending.values.sorted { ($0.ts, $0.id) < ($1.ts, $1.id) }
                resent += waiting.count
                await resend(waiting)
            case .message(let message):
                guard let decision = try? codec.decode(DecisionPayload.self, from: message.body),
                      let parent = decision.parentId, let signal = pending.removeValue(forKey: parent) else { continue }
                quietTicks = 0
                counts[decision.payload.outcome, default: 0] += 1
                each(signal, Received(envelope: decision, json: String(decoding: message.body, as: UTF8.self)))
                if pending.isEmpty { return (0, counts, resent) }
            }
        }
        return (pending.count, counts, resent)
    }
}

/// What wakes `DecisionWatch.collect`: a bus message, a quiet interval, or time to resend.
private enum WatchTick: Sendable {
    case message(BusMessage)
    case quiet
    case resend
}

/// The first element `stream` yields within `timeout`, or nil. Ends the stream either way.
func firstElement<T: Sendable>(of stream: AsyncStream<T>, within timeout: Duration) async -> T? {
    await withTaskGroup(of: T?.self) { group in
        group.addTask {
            for await element in stream { return element }
            return nil
        }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}

/// One human-readable line per decision.
enum DecisionLine {
    static func render(signal: Envelope<SignalPayload>, decision: Envelope<DecisionPayload>) -> String {
        let d = decision.payload
        let ms = String(format: "%.1f ms", Double(d.latencyUs) / 1_000)
        return "\(signal.payload.side.rawValue) \(signal.payload.symbol) @\(signal.payload.confidence) → \(d.outcome.rawValue.uppercased()) [\(d.stage), \(ms)] \(d.reason)  trace \(decision.traceId.prefix(8))"
    }
}
