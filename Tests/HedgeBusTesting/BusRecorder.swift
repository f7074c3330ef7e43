import AgentRuntime
import Foundation
import Messaging
import Synchronization
import WireProtocol

/// Records every message on the bus and lets a test wait for a condition over them.
public final class BusRecorder: Sendable {
    private struct Waiter {
        let id: Int
        let condition: @Sendable ([BusMessage]) -> Bool
        let continuation: CheckedContinuation<Bool, Never>
    }

    private let state = Mutex<(messages: [BusMessage], waiters: [Waiter], nextID: Int)>(([], [], 0))

    /// Subscribes to everything on the topology's bus.
    public static func start(loop: MessageLoop, topology: Topology) async throws -> BusRecorder {
        let recorder = BusRecorder()
        let messages = try await BusSubscriber.connect(loop: loop, endpoint: topology.bus.subscribe, topics: [""]).messages
        Task {
            for await message in messages { recorder.append(message) }
        }
        return recorder
    }

    private func append(_ message: BusMessage) {
        let ready: [Waiter] = state.withLock { state in
            state.messages.append(message)
            let all = state.messages
            let met = state.waiters.filter { $0.condition(all) }
            state.waiters.removeAll { waiter in met.contains { $0.id == waiter.id } }
            return met
        }
        for waiter in ready { waiter.continuation.resume(returning: true) }
    }

    /// Waits until `condition` holds over the messages so far; false after `timeout`.
    public func wait(timeout: Duration, until condition: @escaping @Sendable ([BusMessage]) -> Bool) async -> Bool {
        await withCheckedContinuation { continuation in
            let id: Int? = state.withLock { state in
                if condition(state.messages) { return nil }
                state.nextID += 1
                state.waiters.append(Waiter(id: state.nextID, condition: condition, continuation: continuation))
                return state.nextID
            }
            guard let id else { continuation.resume(returning: true); return }
            Task {
                try? await Task.sleep(for: timeout)
                let expired = self.state.withLock { state -> Waiter? in
                    guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                    return state.waiters.remove(at: index)
                }
                expired?.continuation.resume(returning: false)
            }
        }
    }

    /// Waits for a heartbeat from every process of the topology: from then on every publisher
    /// knows this recorder's subscription, so nothing they publish later can be missed.
    public func awaitEveryHeartbeat(timeout: Duration) async throws {
        let names = Set([busName] + AgentName.allCases.map(\.rawValue))
        let ok = await wait(timeout: timeout) { messages in
            names.isSubset(of: Set(messages.lazy.filter { $0.topic.hasPrefix("heartbeat.") }.map { String(Topic.qualifier(of: $0.topic)) }))
        }
        guard ok else { throw TestFailure("not every process sent a heartbeat within \(timeout)") }
    }

    /// Every message so far.
    public var messages: [BusMessage] { state.withLock { $0.messages } }

    /// The envelopes of `type` so far, decoded as `P` (undecodable ones are skipped).
    public func envelopes<P: MessagePayload>(_ type: String, as _: P.Type) -> [Envelope<P>] {
        let codec = JSONEnvelopeCodec()
        return messages.filter { Topic.kind(of: $0.topic) == type }.compactMap { try? codec.decode(P.self, from: $0.body) }
    }
}
