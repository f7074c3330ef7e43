"""The agent base class: a request server, bus subscriptions, heartbeats and trace events."""
import argparse
import collections
import ctypes
import os
import signal
import sys

import zmq

from .client import RequestClient
from .envelope import ProtocolError, encode, make_envelope, now_us, parse_envelope, readable_header
from .security import BUS, Credentials, SecurityError
from .topology import Topology

_REPLY_CACHE = 4096


def request(kind):
    """Marks a method as the handler of request type `kind`: `(self, payload, envelope) -> reply payload`."""
    def mark(method):
        method.hedgebus_request = kind
        return method
    return mark


def event(prefix):
    """Marks a method as the handler of bus events whose topic starts with `prefix`: `(self, envelope)`."""
    def mark(method):
        method.hedgebus_event = prefix
        return method
    return mark


class Agent:
    """A HedgeBus agent: subclass, set `name`, add `@request` and `@event` handlers, call `main()`.

    One thread does everything: it answers requests on the agent's ROUTER (`ping` and `metrics`
    built in), delivers subscribed bus events, beats every `heartbeat_ms` and publishes a
    `trace.<name>` event for every request it answers or sends. A handler raising ProtocolError
    is answered with that error; any other exception with `internal_error`; bad input never stops
    the agent. Handlers run one at a time, so a request a handler sends (`self.client(peer)`)
    holds up the others until it is answered.

    On a topology with `security.curve` on, every socket speaks CURVE with the agent's keys from
    the topology's keys folder (see `hedgebus.security`): its server accepts only the identities
    the topology lists as its clients, and it pins the bus's and its peers' public keys.
    """

    name = None

    def __init__(self, topology_path):
        self.topology = Topology(topology_path)
        self.credentials = Credentials.load(self.topology, self.name)
        if self.credentials:
            # Every key the agent needs is read now, so a missing one stops it before it binds.
            self._accepted_keys = self.credentials.accepted_keys()
            self.credentials.server_key(BUS)
        self.context = zmq.Context()
        self.refused_handshakes = 0
        self.started_us = now_us()
        self.handled = self.errors = self.seq = 0
        self._replies = collections.OrderedDict()
        self._clients = {}
        self._running = True
        self._requests, self._events = {}, []
        for attribute in dir(type(self)):
            method = getattr(self, attribute)
            if hasattr(method, "hedgebus_request"):
                self._requests[method.hedgebus_request] = method
            if hasattr(method, "hedgebus_event"):
                self._events.append((method.hedgebus_event.encode(), method))
        self._requests.setdefault("ping", lambda payload, envelope: self.heartbeat_payload())
        self._requests.setdefault("metrics", lambda payload, envelope: {"agent": self.name, "exposition": self.exposition()})

    @classmethod
    def main(cls, argv=None):
        """Parses `--topology FILE` and runs the agent until SIGTERM or SIGINT."""
        parser = argparse.ArgumentParser(description=cls.__doc__)
        parser.add_argument("--topology", default="topology/default.json", help="the topology file")
        arguments = parser.parse_args(argv)
        try:
            agent = cls(arguments.topology)
        except SecurityError as error:
            print(f"{cls.name}: {error}", file=sys.stderr)
            sys.exit(2)
        agent.run()

    # ---- what a subclass uses ----

    def publish(self, kind, topic, payload, trace_id=None, parent_id=None):
        """Publishes an event on the bus; returns its envelope."""
        envelope = make_envelope(kind, payload, self.name, trace_id, parent_id)
        self._publisher.send_multipart([topic.encode(), encode(envelope)])
        return envelope

    def client(self, peer):
        """A request client to agent `peer` (made once, on this thread), publishing its hops."""
        if peer not in self._clients:
            self._clients[peer] = RequestClient(self.context, peer, self.topology.endpoint(peer), self.name,
                                                self.topology.request_timeout_ms, self.topology.request_attempts,
                                                on_hop=self._publish_hop, credentials=self.credentials)
        return self._clients[peer]

    def heartbeat_payload(self):
        """This agent's heartbeat (also the `ping.ok` payload)."""
        beat = {"agent": self.name, "pid": os.getpid(), "seq": self.seq, "uptime_ms": (now_us() - self.started_us) // 1000,
                "endpoint": self.topology.endpoint(self.name), "handled": self.handled, "errors": self.errors + self.refused_handshakes}
        if self.refused_handshakes:
            beat["notes"] = [f"refused {self.refused_handshakes} unlisted key(s)"]
        return beat

    def exposition(self):
        """The agent's counters in Prometheus text format 0.0.4."""
        return (f"# TYPE hedgebus_handled_total counter\nhedgebus_handled_total{{agent=\"{self.name}\"}} {self.handled}\n"
                f"# TYPE hedgebus_errors_total counter\nhedgebus_errors_total{{agent=\"{self.name}\"}} {self.errors}\n")

    # ---- the loop ----

    def run(self):
        """Binds, subscribes and serves until stopped."""
        _name_process(self.name)
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, lambda *_: setattr(self, "_running", False))
        parent = os.getppid() if os.environ.get("HEDGEBUS_EXIT_WITH_PARENT") else None
        server = self.context.socket(zmq.ROUTER)
        server.setsockopt(zmq.LINGER, 0)
        server.setsockopt(zmq.MAXMSGSIZE, 1 << 20)
        self._publisher = self.context.socket(zmq.PUB)
        self._publisher.setsockopt(zmq.LINGER, 1000)
        subscriber = self.context.socket(zmq.SUB)
        subscriber.setsockopt(zmq.LINGER, 0)
        if self.credentials:
            # The ZAP handler is bound before the server, so no connection goes unjudged.
            self.credentials.start_zap(self.context, self._accepted_keys, on_refusal=self._refused)
            self.credentials.make_server(server)
            self.credentials.make_client(self._publisher, BUS)
            self.credentials.make_client(subscriber, BUS)
        server.bind(self.topology.bind_address(self.name))
        self._publisher.connect(self.topology.bus_publish)
        subscriber.connect(self.topology.bus_subscribe)
        for prefix, _ in self._events:
            subscriber.setsockopt(zmq.SUBSCRIBE, prefix)
        poller = zmq.Poller()
        poller.register(server, zmq.POLLIN)
        poller.register(subscriber, zmq.POLLIN)
        next_beat = now_us()
        while self._running:
            if parent is not None and os.getppid() != parent:
                break
            if now_us() >= next_beat:
                self.seq += 1
                self.publish("heartbeat", f"heartbeat.{self.name}", self.heartbeat_payload())
                next_beat = now_us() + self.topology.heartbeat_ms * 1000
            ready = dict(poller.poll(max(1, min(200, (next_beat - now_us()) // 1000))))
            if server in ready:
                self._serve(server, server.recv_multipart())
            if subscriber in ready:
                self._deliver(subscriber.recv_multipart())
        for socket in [server, subscriber, self._publisher] + [c.socket for c in self._clients.values()]:
            socket.close()
        self.context.term()

    def _refused(self, reason):
        """Called on the ZAP handler's thread for each refused handshake."""
        self.refused_handshakes += 1
        print(f"{self.name}: handshake refused: {reason}", file=sys.stderr)

    def _deliver(self, frames):
        if len(frames) != 2:
            return
        topic, body = frames
        try:
            envelope = parse_envelope(body)
        except ProtocolError as error:
            self.errors += 1
            print(f"{self.name}: dropped a message on '{topic.decode(errors='replace')}': {error}", file=sys.stderr)
            return
        for prefix, handler in self._events:
            if topic.startswith(prefix):
                try:
                    handler(envelope)
                except Exception as error:  # a bad event never stops the agent
                    self.errors += 1
                    print(f"{self.name}: event handler for '{topic.decode()}' failed: {error!r}", file=sys.stderr)

    def _serve(self, server, frames):
        if len(frames) < 2:
            return
        routing, body, started = frames[:-1], frames[-1], now_us()
        self.handled += 1
        try:
            request_envelope = parse_envelope(body)
        except ProtocolError as error:
            self.errors += 1
            message_id, trace_id = readable_header(body)
            reply = make_envelope("error", {"code": error.code, "message": error.message}, self.name, trace_id, message_id)
            server.send_multipart(routing + [encode(reply)])
            return
        cached = self._replies.get(request_envelope["id"])
        if cached is not None:
            server.send_multipart(routing + [cached])
            return
        kind, outcome, detail = request_envelope["type"], "ok", None
        handler = self._requests.get(kind)
        try:
            if handler is None:
                raise ProtocolError("unknown_type", f"{self.name} does not answer '{kind}' (it answers {', '.join(sorted(self._requests))})")
            reply_kind, payload = kind + ".ok", handler(request_envelope["payload"], request_envelope)
        except ProtocolError as error:
            reply_kind, payload, outcome, detail = "error", {"code": error.code, "message": error.message}, "error", error.message
        except Exception as error:  # the handler's own failure is the client's internal_error
            reply_kind, payload, outcome = "error", {"code": "internal_error", "message": f"{kind} failed: {error!r}"}, "error"
            detail = payload["message"]
        if outcome != "ok":
            self.errors += 1
        reply = make_envelope(reply_kind, payload, self.name, request_envelope["trace_id"], request_envelope["id"])
        encoded = encode(reply)
        self._replies[request_envelope["id"]] = encoded
        if len(self._replies) > _REPLY_CACHE:
            self._replies.popitem(last=False)
        server.send_multipart(routing + [encoded])
        self._publish_hop(request_envelope, {"role": "server", "request_type": kind, "request_id": request_envelope["id"],
                                             "request_parent_id": request_envelope.get("parent_id"), "reply_id": reply["id"],
                                             "peer": request_envelope["source"], "start_us": started, "end_us": now_us(),
                                             "outcome": outcome, "attempts": 1, "detail": detail})

    def _publish_hop(self, request_envelope, hop):
        """A `trace.<name>` event for one hop: on the request's trace, parented by the request."""
        payload = {key: value for key, value in hop.items() if value is not None}
        self.publish("trace", f"trace.{self.name}", payload, request_envelope["trace_id"], request_envelope["id"])


def _name_process(name):
    """Names the process after the agent (Linux), so tools that look processes up by name find it."""
    try:
        ctypes.CDLL(None).prctl(15, name.encode()[:15], 0, 0, 0)  # PR_SET_NAME
    except (OSError, AttributeError):
        pass
