"""CURVE on a topology whose `security.curve` is on, as the Swift agents do it.

Every identity (an agent's name, `bus`, `operator`) has a keypair in the topology's keys folder:
`<keys_dir>/<name>.secret` holds its Z85 secret key, `<name>.pub` its public key (`hedgectl keys`
makes them). An agent's request server is a CURVE server with its own name as ZAP domain, and a
ZAP handler on the agent's context accepts only the keys of the identities the topology lists as
its clients, naming each connection's peer in its `User-Id`. As a client (of the bus, of another
agent) it pins the server's public key.
"""
import os
import threading

import zmq
from zmq.utils import z85

ZAP_ENDPOINT = "inproc://zeromq.zap.01"
OPERATOR = "operator"
BUS = "bus"
# A connection that has not finished its handshake in time is dropped (ms), as on the Swift side.
HANDSHAKE_IVL_MS = 5000

# Who calls whom in the pipeline: the clients each agent accepts when the topology lists none
# (the Swift agents' `SecuritySection.clients(of:)`), the operator besides.
_PIPELINE_CALLERS = {
    "trading-director": [],
    "quant-analyst": ["trading-director"],
    "risk-manager": ["trading-director"],
    "execution-agent": ["trading-director", "market-maker"],
    "market-maker": ["risk-manager", "execution-agent", "trading-director"],
}


class SecurityError(Exception):
    """CURVE is on but this process cannot take part: a key is missing or malformed."""


class Credentials:
    """One identity's CURVE keys on a topology, and the public keys of everyone it talks to."""

    def __init__(self, topology, identity):
        security = topology.section("security")
        keys_dir = security.get("keys_dir", "../run/keys")
        if not os.path.isabs(keys_dir):
            keys_dir = os.path.join(os.path.dirname(os.path.abspath(topology.path)), keys_dir)
        self.folder = os.path.normpath(keys_dir)
        self.identity = identity
        self.listed = security.get("clients") or {}
        self.secret_key = self._read(f"{identity}.secret", f"secret key of '{identity}'")
        try:
            self.public_key = zmq.curve_public(self.secret_key)
        except (zmq.ZMQError, ValueError) as error:
            raise SecurityError(f"{self.folder}/{identity}.secret does not hold a Z85 secret key: {error}") from error

    @classmethod
    def load(cls, topology, identity):
        """The credentials of `identity`, or None when the topology does not use CURVE."""
        if not topology.section("security").get("curve"):
            return None
        if not zmq.has("curve"):
            raise SecurityError("the topology turns CURVE on, but this pyzmq's libzmq has no CURVE support")
        return cls(topology, identity)

    def server_key(self, server):
        """The public key of `server` (`bus` or an agent's name), which a client pins."""
        key = self._read(f"{server}.pub", f"public key of '{server}'")
        if len(key) != 40:
            raise SecurityError(f"{self.folder}/{server}.pub does not hold a 40-character Z85 key")
        return key

    def clients_of(self, server):
        """The identities `server` accepts: the topology's list, or the pipeline's callers and the operator."""
        if server in self.listed:
            return list(self.listed[server])
        if server in _PIPELINE_CALLERS:
            return _PIPELINE_CALLERS[server] + [OPERATOR]
        return list(_PIPELINE_CALLERS) + [OPERATOR]

    def make_server(self, socket):
        """Makes `socket` (not yet bound) this identity's CURVE server, authenticated through ZAP."""
        socket.setsockopt(zmq.HANDSHAKE_IVL, HANDSHAKE_IVL_MS)
        socket.curve_server = True
        socket.curve_secretkey = self.secret_key
        socket.zap_domain = self.identity.encode()
        # Without it libzmq lets a connection through when no ZAP handler answers (93 where
        # pyzmq does not name the option: libzmq 4.3 accepts it, declaring it only for drafts).
        socket.setsockopt(getattr(zmq, "ZAP_ENFORCE_DOMAIN", 93), 1)

    def make_client(self, socket, server):
        """Makes `socket` (not yet connected) a CURVE client of `server`."""
        socket.curve_serverkey = self.server_key(server)
        socket.curve_publickey = self.public_key
        socket.curve_secretkey = self.secret_key

    def accepted_keys(self):
        """The public keys this identity's server accepts, each mapped to its identity."""
        return {self.server_key(name): name for name in self.clients_of(self.identity)}

    def start_zap(self, context, accepted, on_refusal=None):
        """Starts the ZAP handler of `context` for this identity's server and returns once it is
        bound, so no connection is accepted before it can be judged. It accepts the keys of
        `accepted` (see `accepted_keys`) on the domain `identity`, each as its identity, and calls
        `on_refusal(reason)` (on its own thread) for every handshake it refuses."""
        handler = ZAPHandler(context, {self.identity: accepted}, on_refusal)
        handler.start()
        return handler

    def _read(self, file_name, what):
        path = os.path.join(self.folder, file_name)
        try:
            with open(path, encoding="utf-8") as handle:
                return handle.read().strip().encode()
        except OSError as error:
            raise SecurityError(f"no {what} at {path} ({error.strerror}); make the keys with "
                                f"`hedgectl keys --dir {self.folder}`") from error


class ZAPHandler(threading.Thread):
    """Answers a context's ZAP requests (RFC 27) on a thread of its own, with its own REP socket
    on `inproc://zeromq.zap.01`; ends when the context is terminated."""

    def __init__(self, context, domains, on_refusal=None):
        super().__init__(name="hedgebus-zap", daemon=True)
        self.context, self.domains, self.on_refusal = context, domains, on_refusal
        self._bound = threading.Event()
        self._failure = None

    def start(self):
        super().start()
        self._bound.wait()
        if self._failure is not None:
            raise self._failure

    def run(self):
        try:
            socket = self.context.socket(zmq.REP)
            socket.setsockopt(zmq.LINGER, 0)
            socket.bind(ZAP_ENDPOINT)
        except zmq.ZMQError as error:
            self._failure = error
            self._bound.set()
            return
        self._bound.set()
        try:
            while True:
                try:
                    request = socket.recv_multipart()
                except zmq.ContextTerminated:
                    break
                except zmq.ZMQError as error:
                    if error.errno == zmq.EINTR:
                        continue
                    break
                socket.send_multipart(self.answer(request))
        finally:
            socket.close()

    def answer(self, frames):
        """The reply to one ZAP request: version, request id, status code and text, user id, metadata."""
        if len(frames) < 6 or frames[0] != b"1.0":
            return _reply(frames[1] if len(frames) > 1 else b"", b"500", b"malformed ZAP request", b"")
        request_id, domain, address, mechanism = frames[1], frames[2].decode(errors="replace"), frames[3].decode(errors="replace"), frames[5]
        if mechanism != b"CURVE" or len(frames) != 7 or len(frames[6]) != 32:
            self._refuse(f"{mechanism.decode(errors='replace')} handshake from {address} without a CURVE key")
            return _reply(request_id, b"400", b"CURVE required", b"")
        key = z85.encode(frames[6])
        identity = self.domains.get(domain, {}).get(key)
        if identity is None:
            self._refuse(f"key {key.decode()} from {address} is not listed for {domain}")
            return _reply(request_id, b"400", f"key not listed for {domain}".encode(), b"")
        return _reply(request_id, b"200", b"OK", identity.encode())

    def _refuse(self, reason):
        if self.on_refusal:
            self.on_refusal(reason)


def _reply(request_id, status, text, user_id):
    return [b"1.0", request_id, status, text, user_id, b""]
