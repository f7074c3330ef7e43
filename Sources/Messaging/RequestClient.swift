import Foundation
import Instrumentation
import Metrics
import Synchronization
import WireFormat

/// Sends requests to one peer's req/rep endpoint and awaits the matching replies.
///
/// A DEALER socket (with a REQ-style empty delimiter frame) lets many requests be outstanding at
/// once; replies are matched on their `parent_id`. Each attempt has a timeout; a timed-out request
/// is resent with the same id (Lazy Pirate) up to the policy's attempts, and fails with a
/// `ProtocolError` of code `timeout` or `unreachable` that names the peer.
///
/// At an `inproc://` endpoint whose server runs on the same loop, a request made on the loop
/// thread is handed to the server as a value (`handOver`): no encoding and no socket, the same
/// checks, records and hops. Nor a timeout: with no message to lose and no peer that can stop
/// apart from the caller, it waits for the handler's answer however long that takes.
public final class RequestClient: Sendable {
    /// The peer's name (used in errors and traces).
    public let peer: String
    /// The endpoint connected to.
    public let endpoint: String
    @usableFromInline let source: String
    @usableFromInline let loop: MessageLoop
    let socket: SocketHandle
    @usableFromInline let codec: any EnvelopeCodec
    @usableFromInline let policy: RequestPolicy
    let observer: HopObserver?
    let pending: PendingReplies
    /// Whether the endpoint is an `inproc://` one, whose server may take requests as values (`handOver`).
    @usableFromInline let handsOver: Bool
    /// Whether the connection uses CURVE (a refused handshake then looks like an absent peer).
    let authenticating: Bool
    /// The sent-requests counter and the round-trip timer of each request type and outcome.
    let instruments = HopInstruments<SentKey>()
    /// The handed-over counter of each request type (`handOver`).
    let handOvers = HandOverCounters()
    /// The server this client last handed a request to (`handOverTarget`).
    let handOverServer = Mutex(WeakServer())

    /// A request type and how its request ended (`ok`, `error`, `timeout`, `unreachable`).
    struct SentKey: Hashable, Sendable {
        var type: ObjectIdentifier
        var outcome: String
    }

    /// Connects to `endpoint`. Nothing is sent until the first request. With `curve` (a `.client`
    /// role) the connection is encrypted and authenticated; a server that does not list the key
    /// never completes the handshake, so requests fail as `unreachable`.
    public static func connect(loop: MessageLoop, peer: String, endpoint: String, source: String,
                               policy: RequestPolicy = RequestPolicy(), codec: any EnvelopeCodec = JSONEnvelopeCodec(),
                               observer: HopObserver? = nil, curve: CurveRole? = nil) async throws -> RequestClient {
        var options = SocketOptions()
        options.curve = curve
        options.immediate = true
        options.maxMessageSize = SocketOptions.defaultMaxMessageSize
        options.lingerMillis = 0
        let pending = PendingReplies()
        // Replies are matched on the loop thread, which wakes the requester directly: by the
        // codec's glance at the parent id where it can, so that the requester reads the reply
        // once, whole; otherwise the reply is opened here and the requester reads its payload.
        let socket = try await loop.open(SocketSpec(kind: .dealer, connects: [endpoint], options: options)) { frames in
            guard let body = frames.last else { return }
            if let glance = codec.glance(body) {
                let parent = body.withUnsafeBytes { RequestKey(utf8: UnsafeRawBufferPointer(rebasing: $0[glance.parentId])) }
                pending.deliver(.glanced(body, glance), to: parent)
            } else if let reply = try? codec.open(body), let parent = reply.header.parentId {
                pending.deliver(.opened(reply), to: RequestKey(parent))
            }
        }
        return RequestClient(peer: peer, endpoint: endpoint, source: source, loop: loop, socket: socket,
                             codec: codec, policy: policy, observer: observer, pending: pending, authenticating: curve != nil)
    }

    private init(peer: String, endpoint: String, source: String, loop: MessageLoop, socket: SocketHandle,
                 codec: any EnvelopeCodec, policy: RequestPolicy, observer: HopObserver?, pending: PendingReplies, authenticating: Bool) {
        self.authenticating = authenticating
        self.handsOver = endpoint.hasPrefix(InProcessServers.scheme)
        self.peer = peer
        self.endpoint = endpoint
        self.source = source
        self.loop = loop
        self.socket = socket
        self.codec = codec
        self.policy = policy
        self.observer = observer
        self.pending = pending
    }

    /// Sends `payload` in `trace` and returns the `.ok` reply. An `error` reply is thrown as the
    /// remote `ProtocolError`.
    ///
    /// Inlinable so that what depends on `R` (the envelope, its encoding, the reply's decoding)
    /// is specialized where requests are made: generic, it looked up the metadata of
    /// `Envelope<R>` and `Envelope<R.Reply>` at run time for every request. The exchange itself
    /// is not generic.
    @inlinable
    public func request<R: RequestPayload>(_ payload: R, trace: TraceContext, policy override: RequestPolicy? = nil) async throws(ProtocolError) -> Envelope<R.Reply> {
        let envelope = Envelope.make(type: R.requestType, source: source, trace: trace, payload: payload)
        if handsOver, let reply = try await handOver(envelope, trace: trace) { return reply }
        let body = try codec.encode(envelope)
        let (reply, sent) = try await exchange(body, id: envelope.id, kind: RequestKind(R.self), trace: trace, policy: override ?? policy)
        do {
            let decoded = try decodeReply(reply, as: R.self)
            finish(sent, outcome: "ok", replyId: decoded.id, detail: nil)
            return decoded
        } catch {
            finish(sent, outcome: "error", replyId: nil, detail: error.message)
            throw error
        }
    }

    /// The `.ok` reply `reply` holds, or the error it carries or its reading finds. A reply
    /// glanced at as one of `R.Reply`'s type is read whole in one pass; any other (an error, a
    /// reply of another type, one the codec could not glance at) is opened first.
    @inlinable
    func decodeReply<R: RequestPayload>(_ reply: ReceivedReply, as _: R.Type) throws(ProtocolError) -> Envelope<R.Reply> {
        let opened: InboundMessage
        switch reply {
        case let .glanced(body, glance):
            if EnvelopeGlance.bytes(of: body, at: glance.type, are: R.replyType) {
                let envelope = try codec.decode(R.Reply.self, from: body)
                // The glance saw the last `type` member; a message naming two reads as the first.
                if envelope.type == R.replyType { return envelope }
            }
            opened = try codec.open(body)
        case let .opened(message):
            opened = message
        }
        let header = opened.header
        if header.type == EventType.error {
            throw try codec.decode(ErrorPayload.self, from: opened).payload.error
        }
        guard header.type == R.replyType else {
            throw ProtocolError(.wrongType, "\(peer) answered '\(R.requestType)' with type '\(header.type)', expected '\(R.replyType)'")
        }
        return try codec.decode(R.Reply.self, from: opened)
    }

    /// Sends the encoded request `body` (its envelope's id `id`) until a reply comes, with the
    /// policy's attempts and timeouts, and returns the reply with what `finish` records of the
    /// request; a request that gets none is recorded here and thrown as `timeout` or `unreachable`.
    @usableFromInline
    func exchange(_ body: Data, id: String, kind: RequestKind, trace: TraceContext,
                  policy: RequestPolicy) async throws(ProtocolError) -> (reply: ReceivedReply, sent: SentRequest) {
        let started = WallClock.micros()
        let ticket = pending.register(id)
        loop.awaitedReplies.add(1, ordering: .relaxed)
        defer {
            pending.forget(ticket)
            loop.awaitedReplies.subtract(1, ordering: .relaxed)
        }

        var connected = false
        var reply: ReceivedReply?
        var attempt = 0
        attempts: while reply == nil && attempt < policy.attempts && !Task.isCancelled {
            attempt += 1
            let deadline = LoopClock.now().addingClamped(LoopClock.nanoseconds(of: policy.attemptTimeout))
            // Resent (same id) while libzmq has no connection to send on, until the deadline.
            while true {
                switch await send([Data(), body], ticket: ticket, deadline: deadline) {
                case .reply(let message):
                    connected = true
                    reply = message
                    continue attempts
                case .timedOut:
                    connected = true
                    continue attempts
                case .cancelled:
                    break attempts
                case .notSent(let error):
                    guard error.code == .wouldBlock, LoopClock.now() < deadline else { continue attempts }
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }
        }
        guard let reply else {
            let parts = policy.attemptTimeout.components
            let millis = parts.seconds * 1_000 + parts.attoseconds / 1_000_000_000_000_000
            let type = kind.requestType
            let error = connected
                ? ProtocolError(.timeout, "\(peer) at \(endpoint) did not answer '\(type)' after \(attempt) attempt(s) of \(millis) ms")
                : ProtocolError(.unreachable, "\(peer) at \(endpoint) is not reachable (no connection after \(attempt) attempt(s)); is it running?"
                                + (authenticating ? " Does it list this client's key (security.clients), and is its public key in the keys folder current?" : ""))
            finish(SentRequest(id: id, kind: kind, trace: trace, started: started, attempts: attempt),
                   outcome: connected ? "timeout" : "unreachable", replyId: nil, detail: error.message)
            throw error
        }
        return (reply, SentRequest(id: id, kind: kind, trace: trace, started: started, attempts: attempt))
    }

    /// Records how a request ended: its counter and round-trip timer, and its hop for the observer.
    @usableFromInline
    func finish(_ request: SentRequest, outcome: String, replyId: String?, detail: String?) {
        let ended = WallClock.micros()
        let kind = request.kind
        let (sent, roundTrip) = instruments.pair(for: SentKey(type: kind.type, outcome: outcome)) {
            (Instruments.counter("hedgebus_requests_sent_total", [("type", kind.requestType), ("peer", peer), ("outcome", outcome)]),
             Instruments.timer("hedgebus_request_round_trip_seconds", [("type", kind.requestType), ("peer", peer)]))
        }
        sent.increment()
        roundTrip.recordMicroseconds(ended - request.started)
        guard let observer, observer.wants(outcome) else { return }
        observer.observe(RequestHop(role: .client, requestType: kind.requestType, requestId: request.id, replyId: replyId,
                                    trace: request.trace, peer: peer, startUs: request.started, endUs: ended,
                                    outcome: outcome, attempts: request.attempts, detail: detail))
    }

    /// One send of the request and the wait that follows: the loop thread sends, reports a
    /// refused send, delivers the reply or ends the wait at `deadline`.
    private func send(_ frames: Frames, ticket: PendingReplies.Ticket, deadline: Int64) async -> PendingReplies.Outcome {
        await pending.wait(for: ticket, deadline: deadline) { [loop, socket, pending] token, armTimer in
            loop.post(frames, on: socket) { (error: ZMQError?) in
                if let error { pending.resolve(ticket, token: token, with: .notSent(error)) } else { pending.markSent(ticket, token: token) }
            }
            if armTimer { Self.armDeadline(at: deadline, loop: loop, pending: pending) }
        }
    }

    /// Arms the loop timer that ends the waits due by `due`, and arms the next one from there.
    private static func armDeadline(at due: Int64, loop: MessageLoop, pending: PendingReplies) {
        loop.schedule(atNanoseconds: due) {
            if let next = pending.expire(timerDue: due, now: LoopClock.now()) { armDeadline(at: next, loop: loop, pending: pending) }
        }
    }

    /// Closes the socket.
    public func close() { loop.close(socket) }
}
