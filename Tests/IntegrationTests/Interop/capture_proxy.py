"""Records every request and reply of a topology's req/rep endpoints (pyzmq only).

usage: capture_proxy.py TOPOLOGY CAPTURE_FILE

For each agent whose topology entry has a `bind` different from its `endpoint`, binds a ROUTER
at the endpoint (where clients connect) and forwards to a DEALER connected to the bind address
(where the agent listens), like a ZeroMQ broker; the agent's ROUTER echoes the extra routing
frame back. The last frame of every message passing either way (the envelope) is appended to
CAPTURE_FILE as one line. Runs until SIGTERM or SIGINT.
"""
import json
import signal
import sys

import zmq


def main(argv):
    topology_path, capture_path = argv[1:3]
    with open(topology_path, encoding="utf-8") as handle:
        topology = json.load(handle)
    context = zmq.Context()
    pairs = {}
    for name, entry in topology["agents"].items():
        bind = entry.get("bind")
        if not bind or bind == entry["endpoint"]:
            continue
        frontend = context.socket(zmq.ROUTER)
        frontend.setsockopt(zmq.LINGER, 0)
        frontend.bind(entry["endpoint"])
        backend = context.socket(zmq.DEALER)
        backend.setsockopt(zmq.LINGER, 0)
        backend.connect(bind)
        pairs[frontend] = backend
        pairs[backend] = frontend
    if not pairs:
        print("no agent has a bind address different from its endpoint", file=sys.stderr)
        return 2

    running = [True]

    def stop(*_):
        running[0] = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    poller = zmq.Poller()
    for socket in pairs:
        poller.register(socket, zmq.POLLIN)
    with open(capture_path, "ab") as capture:
        while running[0]:
            for socket, _ in poller.poll(100):
                frames = socket.recv_multipart()
                capture.write(frames[-1].replace(b"\n", b" ") + b"\n")
                capture.flush()
                pairs[socket].send_multipart(frames)
    for socket in pairs:
        socket.close()
    context.term()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
