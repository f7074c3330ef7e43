import AgentRuntime
import Configuration
import Foundation
import Messaging
import WireFormat
import WireProtocol

/// Records every message on the bus and lets a test wait for a condition over them.
public final class BusRecorder: Sendable {
    private let recorded = StateWatch<[BusMessage]>([])
    /// Who beats: the bus and every agent, or the broker and each replica of a replicated one.
    private let beating: Set<String>

    private init(beating: Set<String>) { self.beating = beating }

    /// Subscribes to `topics` (by default everything) on the topology's bus; on a CURVE topology
    /// as `identity`.
    public static func start(loop: MessageLoop, topology: Topology, topics: [String] = [""],
                             as identity: String = SecuritySection.operatorIdentity) async throws -> BusRecorder {
        let recorder = BusRecorder(beating: Set(RunningTopology.processNames(topology)))
        let messages = try await BusSubscriber.connect(loop: loop, endpoint: topology.bus.subscribe, topics: topics,
                                                       curve: try topology.curve(to: busName, as: identity)).messages
        Task {
            for await message in messages { recorder.recorded.update { $0.append(message) } }
        }
        return recorder
    }

    /// Waits until `condition` holds over the messages so far; false after `timeout`.
    public func wait(timeout: Duration, until condition: @escaping @Sendable ([BusMessage]) -> Bool) async -> Bool {
        await recorded.wait(timeout: timeout, until: condition)
    }

    /// Waits for a heartbeat from every process of the topology: from then on every publisher
    /// knows this recorder's subscription, so nothing they publish later can be missed.
    public func awaitEveryHeartbeat(timeout: Duration) async throws {
        let names = beating
        let ok = await wait(timeout: timeout) { messages in
            names.isSubset(of: Set(messages.lazy.filter { $0.topic.hasPrefix("heartbeat.") }.map { String(Topic.qualifier(of: $0.topic)) }))
        }
        guard ok else {
            let seen = Set(messages.lazy.filter { $0.topic.hasPrefix("heartbeat.") }.map { String(Topic.qualifier(of: $0.topic)) })
            throw TestFailure("not every process sent a heartbeat within \(timeout): none from \(names.subtracting(seen).sorted().joined(separator: ", ")) (\(messages.count) message(s) recorded)")
        }
    }

    /// Every message so far.
    public var messages: [BusMessage] { recorded.value }

    /// The envelopes of `type` so far, decoded as `P` (undecodable ones are skipped).
    public func envelopes<P: MessagePayload>(_ type: String, as _: P.Type) -> [Envelope<P>] {
        let codec = JSONEnvelopeCodec()
        return messages.filter { Topic.kind(of: $0.topic) == type }.compactMap { try? codec.decode(P.self, from: $0.body) }
    }
}
