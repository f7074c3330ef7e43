"""Sends an agent requests it cannot process and prints the error codes it answers (pyzmq only).

usage: bad_requests.py ENDPOINT

Prints one JSON line: {"codes": [...], "alive": true|false}, the codes in the order of the
requests below, and whether the agent still answers `ping` afterwards. Exits 1 on no reply.
"""
import json
import secrets
import sys
import time

import zmq


def envelope(kind, payload, **override):
    message = {"v": 1, "id": secrets.token_hex(8), "type": kind, "trace_id": secrets.token_hex(16), "parent_id": None,
               "source": "bad-requests", "ts": time.time_ns() // 1000, "payload": payload}
    message.update(override)
    return json.dumps(message).encode()


def main():
    socket = zmq.Context().socket(zmq.DEALER)
    socket.setsockopt(zmq.LINGER, 0)
    socket.connect(sys.argv[1])
    bodies = [
        b"not json",
        b"[1, 2]",
        envelope("analyze", {"side": "buy"}),
        envelope("analyze", {"symbol": "BTC-USD", "side": "hold"}),
        envelope("analyze", {"symbol": "BTC-USD", "side": "buy"}, v=2),
        envelope("analyze", {"symbol": "BTC-USD", "side": "buy"}, trace_id="XYZ"),
        envelope("no.such.request", {}),
        envelope("ping", {}),
    ]
    replies = []
    for body in bodies:
        socket.send_multipart([b"", body])
        if not socket.poll(10_000):
            print(json.dumps({"error": f"no reply to {body[:60]!r}"}))
            return 1
        replies.append(json.loads(socket.recv_multipart()[-1]))
    codes = [reply["payload"].get("code") for reply in replies[:-1]]
    print(json.dumps({"codes": codes, "alive": replies[-1]["type"] == "ping.ok"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
