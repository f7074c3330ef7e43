"""What the chaos run does to the topology: SIGKILLs by pid, and floods of malformed and oversized messages."""
import json
import os
import signal
import time

from chaoslib import AGENTS, MAX_MESSAGE, PROCESSES, say
from chaoslib.watch import rss_mb


def kill_loop(topology, kills, duration, rng, log):
    """SIGKILLs `kills` processes (by the pid launch.sh recorded), spread over `duration`: every
    process once in a random order, then again, so six kills or more hit each one."""
    victims = []
    while len(victims) < kills:
        victims += rng.sample(PROCESSES, len(PROCESSES))
    for name in victims[:kills]:
        time.sleep(duration / (kills + 1))
        pid = topology.pid(name)
        if pid and rss_mb(pid) is not None:
            try:
                os.kill(pid, signal.SIGKILL)
                log.append({"at_s": round(time.monotonic(), 1), "process": name, "pid": pid})
                say(f"  SIGKILL {name} (pid {pid})")
            except ProcessLookupError:
                pass


def flood(zmq, topology, count):
    """Malformed, wrong and oversized messages to every agent endpoint and into the bus."""
    context = zmq.Context.instance()
    sent = 0
    junk = [b"not json", b"{", b"[]", b'{"id": 1}', json.dumps({"id": "x", "type": "no.such.type"}).encode(),
            json.dumps({"id": "y", "type": "order.submit", "trace_id": "t", "source": "chaos", "ts": 0,
                        "payload": {"qty": "lots"}}).encode()]
    oversized = b"x" * (MAX_MESSAGE + 1)
    for name in AGENTS:
        dealer = context.socket(zmq.DEALER)
        dealer.setsockopt(zmq.LINGER, 0)
        dealer.setsockopt(zmq.SNDHWM, 0)
        dealer.connect(topology["agents"][name]["endpoint"])
        for n in range(count):
            body = junk[n % len(junk)]
            frames = [b"", body] if n % 7 else [b"", b"extra", body, b"frames"]
            dealer.send_multipart(frames)
            sent += 1
        for _ in range(3):  # each closes the connection at the agent (too large); the agent carries on
            dealer.send_multipart([b"", oversized])
            sent += 1
        time.sleep(0.2)
        dealer.close()
    pub = context.socket(zmq.PUB)
    pub.setsockopt(zmq.LINGER, 1000)
    pub.connect(topology["bus"]["publish"])
    time.sleep(0.3)
    for n in range(count):
        pub.send_multipart([b"signal.BTC-USD", junk[n % len(junk)]] if n % 5 else [b"signal.BTC-USD"])
        sent += 1
    pub.send_multipart([b"signal.BTC-USD", oversized])
    sent += 1
    time.sleep(0.5)
    pub.close()
    return sent
