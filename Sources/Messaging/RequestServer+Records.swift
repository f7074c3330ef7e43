import Instrumentation
import WireFormat

/// What a `RequestServer` records of each request it answers: its served counter and handler
/// timer, and the hop it reports to its observer.
extension RequestServer {
    /// A request answered, as its server records it.
    @usableFromInline
    struct Served {
        var type: String
        /// Whether a handler is registered for `type`.
        var known: Bool
        var requestId: String
        var replyId: String
        var trace: TraceContext
        var peer: String
        var started: Int64
        /// When its reply was ready, before it was sent: the hop's server side ends there, so it
        /// never ends after the client has the reply.
        var ended: Int64
        var failure: ProtocolError?

        @usableFromInline
        init(type: String, known: Bool, requestId: String, replyId: String, trace: TraceContext, peer: String, started: Int64,
             ended: Int64, failure: ProtocolError?) {
            self.type = type
            self.known = known
            self.requestId = requestId
            self.replyId = replyId
            self.trace = trace
            self.peer = peer
            self.started = started
            self.ended = ended
            self.failure = failure
        }
    }

    /// Counts an answered request in its served counter and handler timer. Labelled by
    /// registered type only, so arbitrary types from the network cannot grow the label set.
    func count(_ request: Served) {
        let key = ServedKey(type: request.known ? request.type : "unknown", failed: request.failure != nil)
        let (served, timer) = instruments.pair(for: key) {
            (Instruments.counter("hedgebus_requests_served_total", [("type", key.type), ("outcome", key.failed ? "error" : "ok")]),
             Instruments.timer("hedgebus_request_handler_seconds", [("type", key.type)]))
        }
        served.increment()
        timer.recordMicroseconds(request.ended - request.started)
    }

    /// Reports an answered request's hop to the observer, once its reply is on its way.
    func observe(_ request: Served) {
        let outcome = request.failure == nil ? "ok" : "error"
        guard let observer, observer.wants(outcome) else { return }
        observer.observe(RequestHop(role: .server, requestType: request.type, requestId: request.requestId, replyId: request.replyId,
                                    trace: request.trace, peer: request.peer, startUs: request.started, endUs: request.ended,
                                    outcome: outcome, attempts: 1, detail: request.failure?.message))
    }
}
