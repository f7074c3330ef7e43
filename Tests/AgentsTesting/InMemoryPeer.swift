import Agents
import Foundation
import Synchronization
import WireFormat
import WireProtocol

/// A peer agent answered in-process: one handler per request type. Requests and replies pass
/// through the envelope codec both ways, as on the wire, so a payload that would not survive
/// the wire fails here too. Every request is recorded.
public final class InMemoryPeer: RequestSending {
    /// One request the peer received.
    public struct Received: Sendable {
        /// Its type (`analyze`, `assess`, …).
        public var type: String
        /// Its envelope as encoded on the wire.
        public var body: Data
        /// The trace it was sent in.
        public var trace: TraceContext
        /// Whether it came through the requirement of its own type (`RequestSending`'s
        /// `request(_: AnalyzeRequest, trace:)` and the like) rather than the generic one.
        public var typed = false

        /// The request decoded as `R`.
        public func decoded<R: MessagePayload>(as _: R.Type) throws -> R { try JSONEnvelopeCodec().decode(R.self, from: body).payload }
    }

    private typealias Answer = @Sendable (Data) async -> Result<Data, ProtocolError>
    private let name: String
    private let answers = Mutex<[String: Answer]>([:])
    private let log = Mutex<[Received]>([])
    private let replyForm = Mutex<(@Sendable (Data) -> Data)?>(nil)

    /// A peer called `name` (the `source` of its replies) that answers nothing yet: a request
    /// of a type without a handler fails as `unreachable`.
    public init(name: String) { self.name = name }

    /// Has every reply's bytes go through `transform` before the requester decodes them, as a
    /// peer that writes its JSON in another form would send them.
    public func writeReplies(_ transform: @escaping @Sendable (Data) -> Data) { replyForm.withLock { $0 = transform } }

    /// Answers requests of type `R` with `handler`; a thrown `ProtocolError` is the peer's
    /// `error` reply, any other error an `internal_error` one.
    public func on<R: RequestPayload>(_: R.Type, _ handler: @escaping @Sendable (Envelope<R>) async throws -> R.Reply) {
        let name = self.name
        answers.withLock {
            $0[R.requestType] = { body in
                let codec = JSONEnvelopeCodec()
                do {
                    let request = try codec.decode(R.self, from: body)
                    let reply = try await handler(request)
                    return .success(try codec.encode(Envelope.make(type: R.replyType, source: name, trace: .caused(by: request), payload: reply)))
                } catch let error as ProtocolError {
                    return .failure(error)
                } catch {
                    return .failure(ProtocolError(.internalError, "\(R.requestType) failed: \(error)"))
                }
            }
        }
    }

    public func request<R: RequestPayload>(_ payload: R, trace: TraceContext) async throws(ProtocolError) -> Envelope<R.Reply> {
        try await send(payload, trace: trace, typed: false)
    }

    public func request(_ payload: AnalyzeRequest, trace: TraceContext) async throws(ProtocolError) -> Envelope<AnalysisReport> {
        try await send(payload, trace: trace, typed: true)
    }

    public func request(_ payload: AssessRequest, trace: TraceContext) async throws(ProtocolError) -> Envelope<RiskVerdict> {
        try await send(payload, trace: trace, typed: true)
    }

    public func request(_ payload: ExecuteRequest, trace: TraceContext) async throws(ProtocolError) -> Envelope<OrderReport> {
        try await send(payload, trace: trace, typed: true)
    }

    public func request(_ payload: OrderSubmit, trace: TraceContext) async throws(ProtocolError) -> Envelope<OrderReport> {
        try await send(payload, trace: trace, typed: true)
    }

    /// Records the request, noting which requirement it came through, and answers it.
    private func send<R: RequestPayload>(_ payload: R, trace: TraceContext, typed: Bool) async throws(ProtocolError) -> Envelope<R.Reply> {
        let codec = JSONEnvelopeCodec()
        let body = try codec.encode(Envelope.make(type: R.requestType, source: "test", trace: trace, payload: payload))
        log.withLock { $0.append(Received(type: R.requestType, body: body, trace: trace, typed: typed)) }
        guard let answer = answers.withLock({ $0[R.requestType] }) else {
            throw ProtocolError(.unreachable, "\(name) has no handler for '\(R.requestType)'")
        }
        let reply = try await answer(body).get()
        return try codec.decode(R.Reply.self, from: replyForm.withLock { $0 }?(reply) ?? reply)
    }

    /// Every request received so far, oldest first.
    public var received: [Received] { log.withLock { $0 } }

    /// The types of the requests received so far, oldest first.
    public var receivedTypes: [String] { received.map(\.type) }
}
