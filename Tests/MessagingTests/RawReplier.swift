import CZeroMQ
import Foundation
import HedgeBusTesting
@testable import Messaging

/// A raw libzmq REP peer on a thread of its own, for clients tested against replies HedgeBus
/// would not write. It answers up to `count` requests, each with what `answer` makes of the
/// request's `id`, `trace_id` and payload `text`, and keeps its socket open until `finish` (or
/// until it is released), so that its last reply has left before the socket closes: its linger
/// is bounded. Every wait it makes is bounded by `seconds`.
final class RawReplier: Sendable {
    let endpoint: String
    private let answered = DispatchSemaphore(value: 0)
    private let served: Task<[String], any Error>

    /// Binds a free port and returns once the peer is listening.
    static func start(count: Int, seconds: Int,
                      answer: @escaping @Sendable (_ id: String, _ trace: String, _ text: String) -> String) async -> RawReplier {
        let (bound, boundSignal) = AsyncStream<Void>.makeStream()
        let peer = RawReplier(endpoint: FreePort.endpoint(), count: count, seconds: seconds, bound: boundSignal, answer: answer)
        for await _ in bound { break }
        return peer
    }

    private init(endpoint: String, count: Int, seconds: Int, bound: AsyncStream<Void>.Continuation,
                 answer: @escaping @Sendable (String, String, String) -> String) {
        self.endpoint = endpoint
        let answered = answered
        served = Task {
            try await onOwnThread {
                defer { bound.finish() }
                let context = try ZMQContext()
                defer { context.terminate() }
                let rep = try context.socket(.rep)
                defer { rep.close() }
                try rep.setOption(ZMQ_RCVTIMEO, Int32(seconds * 1_000))
                try rep.bind(endpoint)
                bound.yield()
                var ids: [String] = []
                while ids.count < count, let request = try rep.receive()?.last {
                    let fields = try JSONSerialization.jsonObject(with: request) as? [String: Any]
                    let id = fields?["id"] as? String ?? "?", trace = fields?["trace_id"] as? String ?? "?"
                    let text = (fields?["payload"] as? [String: Any])?["text"] as? String ?? "?"
                    try rep.send([Data(answer(id, trace, text).utf8)], wait: true)
                    ids.append(id)
                }
                _ = answered.wait(timeout: .now() + .seconds(seconds))
                return ids
            }
        }
    }

    /// Lets the peer close, and returns the ids of the requests it answered.
    func finish() async throws -> [String] {
        answered.signal()
        return try await served.value
    }

    deinit { answered.signal() }
}
