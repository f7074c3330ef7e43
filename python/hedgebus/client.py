"""A request client: one DEALER socket to one agent, retries with the same envelope."""
import zmq

from .envelope import ProtocolError, encode, make_envelope, now_us, parse_envelope


class RequestClient:
    """Sends requests to the agent at `endpoint` and waits for their replies.

    A request that gets no reply within `timeout_ms` is sent again unchanged (same id, so the
    server answers a repeat from its reply cache), up to `attempts` times. Replies are matched to
    requests by `parent_id`; late replies to earlier requests are dropped. Use the client on the
    thread that created it (ZeroMQ sockets are not thread-safe). With `credentials` (a
    `hedgebus.security.Credentials`, on a CURVE topology) it connects as their identity, pinning
    `peer`'s public key.
    """

    def __init__(self, context, peer, endpoint, source, timeout_ms=2000, attempts=3, on_hop=None, credentials=None):
        self.peer, self.endpoint, self.source = peer, endpoint, source
        self.timeout_ms, self.attempts, self.on_hop = timeout_ms, attempts, on_hop
        self.socket = context.socket(zmq.DEALER)
        self.socket.setsockopt(zmq.LINGER, 0)
        if credentials:
            credentials.make_client(self.socket, peer)
        self.socket.connect(endpoint)

    def request(self, kind, payload, trace_id=None, parent_id=None):
        """The `<kind>.ok` reply's payload; raises ProtocolError for an `error` reply or no reply."""
        envelope = make_envelope(kind, payload, self.source, trace_id, parent_id)
        body, started = encode(envelope), now_us()
        for attempt in range(1, self.attempts + 1):
            self.socket.send_multipart([b"", body])
            deadline = now_us() + self.timeout_ms * 1000
            while (left := deadline - now_us()) > 0:
                if not self.socket.poll(max(1, left // 1000)):
                    break
                try:
                    reply = parse_envelope(self.socket.recv_multipart()[-1])
                except ProtocolError:
                    continue
                if reply.get("parent_id") != envelope["id"]:
                    continue
                if reply["type"] == "error":
                    error = reply["payload"]
                    self._hop(envelope, started, "error", attempt, None, error.get("message"))
                    raise ProtocolError(error.get("code", "internal_error"), error.get("message", ""))
                if reply["type"] != kind + ".ok":
                    detail = f"{self.peer} answered '{kind}' with type '{reply['type']}'"
                    self._hop(envelope, started, "error", attempt, None, detail)
                    raise ProtocolError("wrong_type", detail)
                self._hop(envelope, started, "ok", attempt, reply["id"], None)
                return reply["payload"]
        detail = f"{self.peer} at {self.endpoint} did not answer '{kind}' after {self.attempts} attempt(s) of {self.timeout_ms} ms"
        self._hop(envelope, started, "timeout", self.attempts, None, detail)
        raise ProtocolError("timeout", detail)

    def _hop(self, envelope, started, outcome, attempts, reply_id, detail):
        if self.on_hop:
            self.on_hop(envelope, {"role": "client", "request_type": envelope["type"], "request_id": envelope["id"],
                                   "request_parent_id": envelope["parent_id"], "reply_id": reply_id, "peer": self.peer,
                                   "start_us": started, "end_us": now_us(), "outcome": outcome, "attempts": attempts,
                                   "detail": detail})

    def close(self):
        """Closes the socket."""
        self.socket.close()
