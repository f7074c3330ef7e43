"""What the chaos run watches while it runs: every process's RSS, and fills and decisions on the bus."""
import json
import threading

from chaoslib import PROCESSES


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class RSSWatch(threading.Thread):
    """Samples every process's VmRSS (whatever pid it has now) four times a second."""

    def __init__(self, topology):
        super().__init__(daemon=True)
        self.topology, self.peak, self.stopping = topology, {}, threading.Event()

    def run(self):
        while not self.stopping.wait(0.25):
            for name in PROCESSES:
                pid = self.topology.pid(name)
                value = rss_mb(pid) if pid else None
                if value is not None:
                    self.peak[name] = max(self.peak.get(name, 0), value)


class BusWatch(threading.Thread):
    """Counts `fill.*` events and decisions seen on the bus (pub/sub is not durable: what is
    published while the bus is down is not seen)."""

    def __init__(self, zmq, endpoint):
        super().__init__(daemon=True)
        self.zmq, self.endpoint, self.stopping = zmq, endpoint, threading.Event()
        self.fills, self.decisions = 0, {}

    def run(self):
        context = self.zmq.Context.instance()
        sub = context.socket(self.zmq.SUB)
        sub.setsockopt(self.zmq.LINGER, 0)
        sub.setsockopt(self.zmq.RCVTIMEO, 200)
        for prefix in (b"fill.", b"decision"):
            sub.setsockopt(self.zmq.SUBSCRIBE, prefix)
        sub.connect(self.endpoint)
        while not self.stopping.is_set():
            try:
                frames = sub.recv_multipart()
            except self.zmq.Again:
                continue
            if frames[0].startswith(b"fill."):
                self.fills += 1
            elif len(frames) >= 2:
                try:
                    payload = json.loads(frames[-1]).get("payload", {})
                    self.decisions.setdefault(payload.get("signal_id"), set()).add(payload.get("outcome"))
                except (ValueError, AttributeError):
                    pass
        sub.close()
