"""A HedgeBus client written only from docs/PROTOCOL.md: pyzmq and the standard library.

Injects one signal, waits for its decision, asks the MarketMaker for inventory, and sends a
malformed request. Prints one JSON line with what it saw; exits non-zero on any deviation.
"""
import json
import os
import secrets
import sys
import time

import zmq

TIMEOUT_MS = 20_000


def envelope(kind, payload, trace_id=None, parent_id=None):
    return {
        "v": 1,
        "id": secrets.token_hex(8),
        "type": kind,
        "trace_id": trace_id or secrets.token_hex(16),
        "parent_id": parent_id,
        "source": "python-client",
        "ts": time.time_ns() // 1000,
        "payload": payload,
    }


def fail(message):
    print(json.dumps({"ok": False, "error": message}))
    sys.exit(1)


def receive(socket, what):
    if not socket.poll(TIMEOUT_MS):
        fail(f"timed out waiting for {what}")
    return socket.recv_multipart()


def request(context, endpoint, body):
    req = context.socket(zmq.REQ)
    req.setsockopt(zmq.LINGER, 0)
    req.connect(endpoint)
    req.send(body)
    reply = json.loads(receive(req, "a reply")[-1])
    req.close()
    return reply


def main():
    bus_publish, bus_subscribe, market_maker, symbol = sys.argv[1:5]
    context = zmq.Context()

    sub = context.socket(zmq.SUB)
    sub.connect(bus_subscribe)
    sub.setsockopt(zmq.SUBSCRIBE, b"decision.")
    sub.setsockopt(zmq.SUBSCRIBE, b"heartbeat.trading-director")
    # A director heartbeat proves its publisher has our subscriptions.
    while True:
        topic, _ = receive(sub, "a trading-director heartbeat")
        if topic == b"heartbeat.trading-director":
            break

    pub = context.socket(zmq.XPUB)
    pub.connect(bus_publish)
    topic = f"signal.{symbol}".encode()
    while True:
        frame = receive(pub, "a subscriber to signal.*")[0]
        if frame[:1] == b"\x01" and topic.startswith(frame[1:]):
            break

    signal = envelope("signal", {"symbol": symbol, "side": "buy", "confidence": 0.9, "note": "from python"})
    pub.send_multipart([topic, json.dumps(signal).encode()])

    while True:
        topic_frame, body = receive(sub, "the decision")
        if not topic_frame.startswith(b"decision."):
            continue
        decision = json.loads(body)
        if decision["parent_id"] == signal["id"]:
            break
    if decision["trace_id"] != signal["trace_id"] or decision["type"] != "decision":
        fail(f"decision not on the signal's trace: {decision}")

    query = envelope("inventory.get", {"symbol": symbol})
    reply = request(context, market_maker, json.dumps(query).encode())
    if reply["type"] != "inventory.get.ok" or reply["parent_id"] != query["id"] or reply["trace_id"] != query["trace_id"]:
        fail(f"unexpected inventory reply: {reply}")

    broken = request(context, market_maker, b'{"v": 1, "id": "py-bad"')
    if broken["type"] != "error" or broken["payload"]["code"] != "malformed_json":
        fail(f"unexpected reply to malformed JSON: {broken}")

    print(json.dumps({
        "ok": True,
        "outcome": decision["payload"]["outcome"],
        "positions": len(reply["payload"]["positions"]),
        "error_code": broken["payload"]["code"],
        "libzmq": zmq.zmq_version(),
    }))
    context.destroy(linger=0)


if __name__ == "__main__":
    main()
