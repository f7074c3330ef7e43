import Instrumentation
import Metrics
import Synchronization
import WireFormat

/// The request servers bound at `inproc://` endpoints of one message loop, by endpoint.
///
/// A client on the same loop, asking at one of these endpoints from the loop thread, hands its
/// request to the server as a value (`RequestServer.answer`) instead of encoding it, sending it
/// from socket to socket and decoding it on the other side: the agents of one process
/// (`all-agents`) reach each other this way. The server's socket stays bound for anything else
/// (a client on another thread, or a server not yet serving, still goes through it).
final class InProcessServers: Sendable {
    /// The endpoints served this way start with it.
    static let scheme = "inproc://"

    private let servers = Mutex<[String: WeakServer]>([:])

    /// Registers `server` as the one bound at `endpoint` (an `inproc://` endpoint of this loop).
    func register(_ server: RequestServer, at endpoint: String) {
        servers.withLock { $0[endpoint] = WeakServer(server: server) }
    }

    /// The server bound at `endpoint` on this loop, or nil.
    func server(at endpoint: String) -> RequestServer? {
        servers.withLock { $0[endpoint]?.server }
    }
}

/// A request server held weakly, so holding it does not keep a closed one alive.
struct WeakServer {
    weak var server: RequestServer?
}

/// The `hedgebus_requests_handed_over_total` counter of each request type a client hands over,
/// made on first use: how many of its requests stayed in the process (`RequestClient.handOver`).
final class HandOverCounters: Sendable {
    private let made = Mutex<[ObjectIdentifier: Counter]>([:])

    /// The counter of `kind`'s requests to `peer`.
    func counter(for kind: RequestKind, peer: String) -> Counter {
        if let known = made.withLock({ $0[kind.type] }) { return known }
        let counter = Instruments.counter("hedgebus_requests_handed_over_total", [("type", kind.requestType), ("peer", peer)])
        made.withLock { $0[kind.type] = counter }
        return counter
    }
}

extension RequestServer {
    /// Answers `request`, handed over as a value by a client on this server's loop, as a request
    /// read from the socket is answered — the request checked, its handler, the reply checked,
    /// the counters, the handler timer and the server's hop — with no encoding and no socket.
    /// No reply is kept for a retry: a request handed over cannot be lost, so it is never resent.
    /// Nor does it count against `maxInFlight`: each one holds its caller's task until it is
    /// answered, so none waits in a queue.
    ///
    /// A handler that answers at once (`RequestHandlers.on(_:immediately:)`, or the first part
    /// of `on(_:atOnce:awaiting:)` when it can) answers right here, in the client's task. Any
    /// other runs in a task of its own, which starts at once on the loop thread, as for a
    /// request read from the socket: cancelling the client's task does not reach the handler's
    /// own awaits (a request it makes, a stream it reads), and the client still waits for its end.
    ///
    /// Inlinable, as `RequestClient.request` is, so that it is specialized for `R` where requests
    /// are made: generic, it looked up the metadata of its envelopes and results at run time and
    /// copied them through value witnesses, about a third of a hand-over's instructions.
    @inlinable
    func answer<R: RequestPayload>(_ request: Envelope<R>) async throws(ProtocolError) -> Envelope<R.Reply> {
        let started = WallClock.micros()
        let handler = handlers.typed[R.requestType] as? TypedHandler<R>
        let trace = TraceContext(traceId: request.traceId, parentId: request.parentId)
        // The reply envelope is made once and returned as it is: held in a `Result` and read
        // back for its id and its error, it was copied two or three times per request
        // (docs/PERFORMANCE.md, change 116).
        do throws(ProtocolError) {
            guard let handler else { throw unanswered(R.requestType) }
            try request.validate()
            let payload: R.Reply
            if let quick = try handler.replyAtOnce(to: request) {
                payload = quick
            } else {
                let handling = Task.immediate(executorPreference: loop) { () async -> Result<R.Reply, ProtocolError> in
                    do throws(ProtocolError) { return .success(try await handler.reply(to: request)) } catch { return .failure(error) }
                }
                payload = try await handling.value.get()
            }
            let reply = Envelope.make(type: R.replyType, source: name, trace: .caused(by: request), payload: payload)
            answered(Served(type: R.requestType, known: true, requestId: request.id, replyId: reply.id, trace: trace,
                            peer: request.source, started: started, ended: WallClock.micros(), failure: nil))
            return reply
        } catch {
            // An error has no reply message of its own here; the hop still names one, as when it is sent.
            answered(Served(type: R.requestType, known: handler != nil, requestId: request.id, replyId: MessageID.make(), trace: trace,
                            peer: request.source, started: started, ended: WallClock.micros(), failure: error))
            throw error
        }
    }

    /// Records a request answered by hand-over: the server's counters, its served counter and
    /// handler timer, and its hop.
    @usableFromInline
    func answered(_ request: Served) {
        counters.withLock { $0.handled += 1; if request.failure != nil { $0.errors += 1 } }
        count(request)
        observe(request)
    }

    /// Whether a client on this loop may hand requests over now: while the server serves.
    var takesHandOvers: Bool { intake.isServing }
}

extension RequestClient {
    /// Hands `request` over to its server as a value when the server is bound at this client's
    /// `inproc://` endpoint on the same loop, serves, and the caller runs on the loop thread;
    /// returns nil (nothing done) otherwise, for the socket to carry it. Recorded as a request
    /// sent once (its counter, its round-trip timer and the client's hop) and in
    /// `hedgebus_requests_handed_over_total`, and awaited as a reply is (`MessageLoop.awaitedReplies`).
    /// Inlinable for the reason `RequestServer.answer` is.
    @inlinable
    func handOver<R: RequestPayload>(_ request: Envelope<R>, trace: TraceContext) async throws(ProtocolError) -> Envelope<R.Reply>? {
        guard let server = handOverTarget() else { return nil }
        let sent = beginHandOver(RequestKind(R.self), id: request.id, trace: trace)
        defer { endHandOver() }
        do throws(ProtocolError) {
            let reply = try await server.answer(request)
            finish(sent, outcome: "ok", replyId: reply.id, detail: nil)
            return reply
        } catch {
            finish(sent, outcome: "error", replyId: nil, detail: error.message)
            throw error
        }
    }

    /// The server to hand a request over to now, or nil: the caller must run on the loop
    /// thread, and the server bound at this client's endpoint on the loop must be serving.
    /// The server found is kept (weakly) and asked first next time, which spares the registry's
    /// look-up by endpoint (a lock and a hash of the endpoint's text) on every request. While a
    /// kept server serves, no other can be bound at its endpoint; once it stops, the registry
    /// is asked again.
    @usableFromInline
    func handOverTarget() -> RequestServer? {
        guard loop.isLoopThread else { return nil }
        if let kept = handOverServer.withLock({ $0.server }), kept.takesHandOvers { return kept }
        guard let server = loop.inProcessServers.server(at: endpoint), server.takesHandOvers else { return nil }
        handOverServer.withLock { $0.server = server }
        return server
    }

    /// Counts a request of `kind` handed over and marks it awaited; returns what `finish` records of it.
    @usableFromInline
    func beginHandOver(_ kind: RequestKind, id: String, trace: TraceContext) -> SentRequest {
        handOvers.counter(for: kind, peer: peer).increment()
        loop.awaitedReplies.add(1, ordering: .relaxed)
        return SentRequest(id: id, kind: kind, trace: trace, started: WallClock.micros(), attempts: 1)
    }

    /// Marks a request handed over as answered.
    @usableFromInline
    func endHandOver() {
        loop.awaitedReplies.subtract(1, ordering: .relaxed)
    }
}
