import Foundation
import Instrumentation
import Metrics
import Synchronization
import WireFormat

/// Answers requests on a ROUTER socket, running handlers concurrently: bound at the agent's
/// endpoint, or connected to the backend of a `RequestBroker` as one of several replicas.
///
/// Speaks to REQ and DEALER clients alike: the routing frames up to and including the empty
/// delimiter are echoed back in front of the reply. Requests are idempotent on their id: a
/// repeat gets the recorded reply, or nothing while the first is still being handled. Malformed
/// input gets an `error` reply; nothing a client sends can stop the server.
public final class RequestServer: Sendable {
    /// The bound endpoint, with a wildcard port resolved.
    public let endpoint: String
    /// The agent name its replies carry as `source`.
    public let name: String
    @usableFromInline let loop: MessageLoop
    let socket: SocketHandle
    let intake: RequestIntake
    @usableFromInline let handlers: RequestHandlers
    let authorize: RequestAuthorizer?
    let refusals: RefusalLog
    let codec: any EnvelopeCodec
    let observer: HopObserver?
    let cache: ReplyCache
    /// Whether requests come through a `RequestBroker`, each behind its caller's identity.
    let behindBroker: Bool
    let counters = Mutex((handled: 0, errors: 0, refused: 0))
    /// Requests handled at once at most; one more is answered `busy` at once, never queued
    /// without bound nor dropped unanswered.
    let maxInFlight: Int
    /// The served-requests counter and the handler timer of each request type and outcome.
    let instruments = HopInstruments<ServedKey>()

    /// A request type (or `unknown`) and whether its reply was an error.
    struct ServedKey: Hashable, Sendable {
        var type: String
        var failed: Bool
    }

    /// Binds `endpoint` (and each of `alsoBinding`, such as an `inproc://` endpoint for clients on
    /// the same loop); a port in use throws `ZMQError` with code `.addressInUse`.
    /// At most `maxInFlight` requests are handled at once; one more is answered `busy` at once.
    /// A reply is kept `replyRetention` for a retry of its request (see `ReplyCache`): at least
    /// as long as any client retries one request.
    /// With `curve` (a `.server` role) only clients the loop's ZAP policy lists connect, and
    /// `authorize` judges each request by the identity the handshake established: a refusal is
    /// answered with its error (`unauthorized`), counted and logged, and never reaches a handler.
    /// With `yieldingAfterReplies`, the loop yields its CPU after each reply where `ReplyYield`
    /// allows (`SocketSpec.yieldsAfterSends`): for handlers that leave work for after the reply.
    public static func bind(loop: MessageLoop, endpoint: String, alsoBinding: [String] = [], name: String, handlers: RequestHandlers,
                            codec: any EnvelopeCodec = JSONEnvelopeCodec(), observer: HopObserver? = nil,
                            maxInFlight: Int = 1_024, replyRetention: Duration = .seconds(30), curve: CurveRole? = nil,
                            authorize: RequestAuthorizer? = nil, yieldingAfterReplies: Bool = false) async throws -> RequestServer {
        var spec = SocketSpec(kind: .router, binds: [endpoint] + alsoBinding, options: socketOptions(curve: curve))
        spec.monitorsConnections = true
        spec.yieldsAfterSends = yieldingAfterReplies
        let owner = MessageLoop.owner
        let intake = RequestIntake(maxInFlight: maxInFlight, holding: spec.inboundBuffer) { loop.countInboundDrop(owner: owner) }
        let socket = try await loop.openIdentified(spec, handler: { intake.receive($0) }, closed: { intake.end(cancelling: false) })
        let server = RequestServer(endpoint: socket.boundEndpoints.first ?? endpoint, name: name, loop: loop, socket: socket,
                                   intake: intake, handlers: handlers, codec: codec, observer: observer, maxInFlight: maxInFlight,
                                   cache: ReplyCache(retention: replyRetention), authorize: authorize, behindBroker: false)
        // Clients on this loop asking at an inproc:// endpoint hand their requests over (`InProcessServers`).
        if authorize == nil {
            for address in [endpoint] + alsoBinding where address.hasPrefix(InProcessServers.scheme) {
                loop.inProcessServers.register(server, at: address)
            }
        }
        return server
    }

    /// Connects to the backend of a `RequestBroker` as one replica of several; otherwise as
    /// `bind`. The broker's DEALER puts the client's routing frames in front of each request and
    /// this server echoes them back with the reply, so the broker's ROUTER finds the client.
    /// `endpoint` reports the backend.
    /// The broker names each request's caller (`CallerFrame`), and `authorize` judges the request
    /// by that identity. With `curve` (a `.client` role pinning the broker's key, which is the
    /// agent's) only the real broker can reach this server, so the identity can be trusted.
    public static func connect(loop: MessageLoop, backend: String, name: String, handlers: RequestHandlers,
                               codec: any EnvelopeCodec = JSONEnvelopeCodec(), observer: HopObserver? = nil,
                               maxInFlight: Int = 1_024, replyRetention: Duration = .seconds(30), curve: CurveRole? = nil,
                               authorize: RequestAuthorizer? = nil, yieldingAfterReplies: Bool = false) async throws -> RequestServer {
        var spec = SocketSpec(kind: .router, connects: [backend], options: socketOptions(curve: curve))
        spec.yieldsAfterSends = yieldingAfterReplies
        let owner = MessageLoop.owner
        let intake = RequestIntake(maxInFlight: maxInFlight, holding: spec.inboundBuffer) { loop.countInboundDrop(owner: owner) }
        let socket = try await loop.openIdentified(spec, handler: { intake.receive($0) }, closed: { intake.end(cancelling: false) })
        return RequestServer(endpoint: backend, name: name, loop: loop, socket: socket, intake: intake, handlers: handlers,
                             codec: codec, observer: observer, maxInFlight: maxInFlight,
                             cache: ReplyCache(retention: replyRetention), authorize: authorize, behindBroker: true)
    }

    /// A server socket's options: the message size bound, and CURVE when given.
    private static func socketOptions(curve: CurveRole?) -> SocketOptions {
        var options = SocketOptions()
        options.maxMessageSize = SocketOptions.defaultMaxMessageSize
        options.curve = curve
        return options
    }

    private init(endpoint: String, name: String, loop: MessageLoop, socket: SocketHandle, intake: RequestIntake,
                 handlers: RequestHandlers, codec: any EnvelopeCodec, observer: HopObserver?, maxInFlight: Int,
                 cache: ReplyCache, authorize: RequestAuthorizer?, behindBroker: Bool) {
        self.behindBroker = behindBroker
        self.cache = cache
        self.authorize = authorize
        self.refusals = RefusalLog(label: "hedgebus.server.\(name)")
        self.maxInFlight = max(1, maxInFlight)
        self.endpoint = endpoint
        self.name = name
        self.loop = loop
        self.socket = socket
        self.intake = intake
        self.handlers = handlers
        self.codec = codec
        self.observer = observer
    }

    /// Requests handled, those answered with `error`, and those of them refused as unauthorized.
    public var stats: (handled: Int, errors: Int, refused: Int) { counters.withLock { $0 } }

    /// Serves until the message loop shuts down or the calling task is cancelled (which cancels
    /// the requests being handled), and returns once those have finished. Requests that came
    /// before are handled now. Run on the server's loop (as task executor preference), each
    /// request is read and checked on the loop thread as it comes: a handler that awaits
    /// nothing (`RequestHandlers.on(_:immediately:)`) answers it right there, any other starts
    /// at once in a task of its own on the loop thread. Run elsewhere, each request is handled
    /// in a task on the global executor. Call it once.
    public func run() async {
        await intake.serve(on: loop.isLoopThread ? loop : nil, admit: { [self] received -> (@Sendable () async -> Void)? in
            guard let admitted = admit(received) else { return nil }
            return { [self] in await answer(admitted) }
        }, refuse: { [self] in refuseBusy($0) })
    }

    /// The request's frames, without the caller frame a broker puts in front of them.
    private func unwrapped(_ received: IdentifiedFrames) -> IdentifiedFrames {
        behindBroker ? CallerFrame.unwrap(received) : received
    }

    /// Answers a request that came while `maxInFlight` were being handled: `busy`, at once.
    private func refuseBusy(_ received: IdentifiedFrames) {
        let frames = unwrapped(received).frames
        guard frames.count >= 2 else { return }
        let body = frames[frames.count - 1]
        let trace = (try? codec.decodeHeader(from: body)).map { TraceContext.caused(by: $0) } ?? ErrorReply.salvageTrace(from: body)
        let error = ProtocolError(.busy, "\(name) is already handling \(maxInFlight) requests; try again shortly")
        respond(to: frames, ErrorReply.encode(error, source: name, trace: trace, codec: codec))
    }

    /// A request read, valid and new, whose handler awaits: what answering it takes.
    private struct Admitted: Sendable {
        let frames: Frames
        let request: InboundMessage
        let key: RequestKey
        let reply: @Sendable () async -> EncodedReply
        let started: Int64
    }

    /// Reads a request as the loop hands it over: a malformed, refused or repeated one is
    /// answered here, and so is one whose handler awaits nothing (`on(_:immediately:)`) or
    /// that no handler takes. What is left is returned, for its handler to answer in a task.
    private func admit(_ received: IdentifiedFrames) -> Admitted? {
        let started = WallClock.micros()
        let message = unwrapped(received)
        let frames = message.frames
        guard frames.count >= 2 else { return nil }
        let body = frames[frames.count - 1]
        let request: InboundMessage
        do {
            request = try codec.open(body)
        } catch {
            let trace = ErrorReply.salvageTrace(from: body)
            respond(to: frames, ErrorReply.encode(error, source: name, trace: trace, codec: codec))
            return nil
        }
        let header = request.header
        if let authorize, let refusal = authorize(AuthenticatedRequest(userId: message.userId, header: header, body: body)) {
            refuse(refusal, header: header, frames: frames)
            return nil
        }
        let key = RequestKey(header.id)
        switch cache.claim(key) {
        case .inFlight: return nil
        case let .done(body, failed):
            respond(to: frames, body: body, failed: failed)
            return nil
        case .new: break
        }
        if let answer = handlers.immediate[header.type] {
            switch answer(request, codec, name) {
            case .reply(let reply):
                finish(request, frames: frames, key: key, known: true, started: started, reply: reply)
                return nil
            case .awaiting(let work):
                return Admitted(frames: frames, request: request, key: key, reply: work, started: started)
            }
        }
        guard let handler = handlers.table[header.type] else {
            let reply = ErrorReply.encode(unanswered(header.type), source: name, trace: .caused(by: header), codec: codec)
            finish(request, frames: frames, key: key, known: false, started: started, reply: reply)
            return nil
        }
        let codec = codec, name = name
        return Admitted(frames: frames, request: request, key: key, reply: { await handler(request, codec, name) }, started: started)
    }

    /// Answers an admitted request with its handler's reply.
    private func answer(_ admitted: Admitted) async {
        let reply = await admitted.reply()
        finish(admitted.request, frames: admitted.frames, key: admitted.key, known: true, started: admitted.started, reply: reply)
    }

    /// Sends `reply` to `request` (read from `frames`, claimed in the cache as `key`), keeps
    /// it for a retry, and counts and reports the hop.
    private func finish(_ request: InboundMessage, frames: Frames, key: RequestKey, known: Bool, started: Int64, reply: EncodedReply) {
        let header = request.header
        // Counted before the reply leaves, so a client's next request already sees this one.
        let served = Served(type: header.type, known: known, requestId: header.id, replyId: reply.id,
                            trace: TraceContext(traceId: header.traceId, parentId: header.parentId), peer: header.source,
                            started: started, ended: WallClock.micros(), failure: reply.failure)
        count(served)
        respond(to: frames, reply)
        // Kept for a retry once the reply is on its way: on the loop thread nothing reads the
        // cache between the two, and elsewhere a retry that comes between is dropped as one
        // still in flight and asked again.
        cache.complete(key, reply: reply)
        observe(served)
    }

    /// The error for a request of a type no handler answers.
    @usableFromInline
    func unanswered(_ type: String) -> ProtocolError {
        ProtocolError(.unknownType, "\(name) does not answer '\(type)'; it answers \(handlers.types.joined(separator: ", "))")
    }

    /// Answers a request its sender may not make, before it can touch the idempotency cache
    /// (so a refused id cannot shadow a later, authorized request with the same id).
    private func refuse(_ error: ProtocolError, header: Envelope<OpaquePayload>, frames: Frames) {
        counters.withLock { $0.refused += 1 }
        let type = handlers.table[header.type] == nil ? "unknown" : header.type
        Instruments.counter("hedgebus_auth_refused_total", [("stage", "request"), ("type", type)]).increment()
        refusals.record("\(name) refused a request: \(error.message)", key: type)
        respond(to: frames, ErrorReply.encode(error, source: name, trace: .caused(by: header), codec: codec))
    }

    /// Sends `reply` back along the routing of `request`, the frames of a request (at least two).
    private func respond(to request: Frames, _ reply: EncodedReply) {
        respond(to: request, body: reply.body, failed: reply.failure != nil)
    }

    /// Sends a reply's `body` back along the routing of `request`, the frames of a request (at
    /// least two): everything before its body is routing, which ROUTER needs in front of the
    /// reply. The reply takes the body's place in one copy of the frames.
    private func respond(to request: Frames, body: Data, failed: Bool) {
        counters.withLock { $0.handled += 1; if failed { $0.errors += 1 } }
        var frames = request
        frames[frames.count - 1] = body
        loop.post(frames, on: socket)
    }

    /// Forgets the replies kept for retries whose retention has passed, so that their memory can
    /// be given back. Serving does this as it goes; an agent calls it for a server gone quiet
    /// after a burst (`MemoryTrimming`).
    public func forgetExpiredReplies() {
        cache.forgetExpired()
    }
}
