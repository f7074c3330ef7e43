"""HedgeBus agents in Python (pyzmq and the standard library).

An agent is a class with handlers::

    from hedgebus import Agent, request, event

    class Echo(Agent):
        name = "quant-analyst"

        @event("market.")
        def on_tick(self, envelope):
            ...

        @request("analyze")
        def analyze(self, payload, envelope):
            return {...}              # the `analyze.ok` payload

    Echo.main()                       # reads --topology FILE, runs until SIGTERM

The wire protocol is docs/PROTOCOL.md (prose) and docs/asyncapi.yaml (schemas).
"""
from .agent import Agent, event, request
from .client import RequestClient
from .envelope import ProtocolError, make_envelope, new_message_id, new_trace_id, parse_envelope
from .security import Credentials, SecurityError
from .topology import Topology

__all__ = ["Agent", "event", "request", "RequestClient", "ProtocolError", "make_envelope", "new_message_id",
           "new_trace_id", "parse_envelope", "Topology", "Credentials", "SecurityError"]
