"""The parts of a HedgeBus topology file an agent needs."""
import json


class Topology:
    """A topology file: the bus, each agent's endpoint, timings, and the sections agents read."""

    def __init__(self, path):
        self.path = path
        with open(path, encoding="utf-8") as handle:
            self.raw = json.load(handle)
        self.bus_publish = self.raw["bus"]["publish"]
        self.bus_subscribe = self.raw["bus"]["subscribe"]
        self.heartbeat_ms = self.raw.get("heartbeat_ms", 500)
        self.request_timeout_ms = self.raw.get("request_timeout_ms", 2000)
        self.request_attempts = self.raw.get("request_attempts", 3)

    def endpoint(self, agent):
        """Where clients of `agent` connect."""
        return self.raw["agents"][agent]["endpoint"]

    def bind_address(self, agent):
        """Where `agent` binds: its `bind`, or else its endpoint."""
        entry = self.raw["agents"][agent]
        return entry.get("bind") or entry["endpoint"]

    def section(self, name):
        """A top-level section (`analyst`, `risk`, …) as a dict; empty when absent."""
        return self.raw.get(name) or {}
