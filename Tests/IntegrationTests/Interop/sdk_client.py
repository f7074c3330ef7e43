"""Drives the hedgebus SDK's RequestClient against a running topology (pyzmq only).

usage: sdk_client.py MARKET_MAKER_ENDPOINT UNUSED_ENDPOINT

Asks the market-maker for its inventory, then an endpoint nobody binds (two attempts of 300 ms),
and prints one JSON line with what happened, including the hops the client reported.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "python"))
import zmq  # noqa: E402

from hedgebus import ProtocolError, RequestClient  # noqa: E402


def main():
    market_maker, nowhere = sys.argv[1:3]
    context, hops = zmq.Context(), []
    record = lambda envelope, hop: hops.append(hop)  # noqa: E731
    venue = RequestClient(context, "market-maker", market_maker, "sdk-client", timeout_ms=5000, attempts=2, on_hop=record)
    rows = venue.request("inventory.get", {"symbol": "BTC-USD"})["positions"]
    try:
        venue.request("order.cancel", {"account": "desk", "order_id": "no-such-order"})
        cancel = "answered"
    except ProtocolError as error:
        cancel = error.code
    absent = RequestClient(context, "absent", nowhere, "sdk-client", timeout_ms=300, attempts=2, on_hop=record)
    started = time.monotonic()
    try:
        absent.request("ping", {})
        silent = "answered"
    except ProtocolError as error:
        silent = error.code
    waited_ms = int((time.monotonic() - started) * 1000)
    print(json.dumps({"accounts": sorted({row["account"] for row in rows}), "cancel": cancel, "silent": silent,
                      "waited_ms": waited_ms, "hops": [[h["request_type"], h["outcome"], h["attempts"]] for h in hops]}))
    for client in (venue, absent):
        client.close()
    context.term()
    return 0


if __name__ == "__main__":
    sys.exit(main())
