#!/usr/bin/env python3
"""Two settings of one running topology, compared on single-signal latency by alternating them
every few signals, so both see the same phases of the machine.

    python3 alternate.py --topology FILE --a CMD --b CMD [--blocks 20] [--per-block 100] [--symbol S]

Runs CMD A, sends --per-block signals one at a time (each after the previous one's decision),
then CMD B and as many signals, and so on for --blocks blocks (A first). The first few signals of
each block are sent but not timed (--settle), so each setting's figures hold only signals that
ran wholly under it. Prints, for A and for B, the p50 / p90 / p99 of the signal → `filled`
decision time, and their ratio B / A, as one JSON line.

The commands change something of the running topology that takes effect at once: the
scheduling policy or CPUs of its threads (`chrt -p`, `taskset -a -p`), for example. On this
project's 2-core VM, runs of a few hundred signals made one after another drift by 10-20 %, more
than the effects measured so (docs/PERFORMANCE.md, change 158's round).
"""
import argparse
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import drive  # noqa: E402  (the driver's bus handshakes and decision parsing)


def one_signal(bus, symbol, timeout_s):
    """Sends a signal and returns its signal → decision time in µs, or None when it is not
    filled or not decided within timeout_s."""
    signal_id = bus.send(symbol)
    sent = time.perf_counter()
    while time.perf_counter() - sent < timeout_s:
        for decided_id, payload, at in bus.decisions(50):
            if decided_id == signal_id:
                return (at - sent) * 1e6 if payload.get("outcome") == "filled" else None
    return None


def summary(values):
    values = sorted(values)
    if not values:
        return {"n": 0}
    return {"n": len(values), **{f"p{p}_us": round(drive.percentile(values, p), 1) for p in (50, 90, 99)}}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--topology", required=True, help="the running topology's file (its bus endpoints)")
    parser.add_argument("--a", required=True, metavar="CMD", help="shell command that sets setting A")
    parser.add_argument("--b", required=True, metavar="CMD", help="shell command that sets setting B")
    parser.add_argument("--blocks", type=int, default=20, help="blocks in all, A and B alternating (default 20)")
    parser.add_argument("--per-block", type=int, default=100, help="signals per block (default 100)")
    parser.add_argument("--settle", type=int, default=5, help="signals of each block sent but not timed (default 5)")
    parser.add_argument("--warmup", type=int, default=20, help="signals sent before the first block (default 20)")
    parser.add_argument("--symbol", default=None, help="the symbol to trade (default: the topology's first)")
    parser.add_argument("--timeout", type=float, default=5, help="seconds to wait for one decision")
    args = parser.parse_args()
    if args.blocks < 2 or args.per_block <= args.settle:
        parser.error("--blocks must be 2 or more and --per-block more than --settle")

    with open(args.topology) as file:
        topology = json.load(file)
    symbol = args.symbol or topology["market"]["symbols"][0]["symbol"]
    bus = drive.Bus(topology["bus"]["publish"], topology["bus"]["subscribe"], "trading-director")
    timed = {"a": [], "b": []}
    missed = {"a": 0, "b": 0}
    try:
        for _ in range(args.warmup):
            one_signal(bus, symbol, args.timeout)
        for block in range(args.blocks):
            side = "a" if block % 2 == 0 else "b"
            command = args.a if side == "a" else args.b
            if subprocess.run(command, shell=True).returncode != 0:
                raise SystemExit(f"alternate: the command for {side.upper()} failed: {command}")
            for index in range(args.per_block):
                latency = one_signal(bus, symbol, args.timeout)
                if index < args.settle:
                    continue
                if latency is None:
                    missed[side] += 1
                else:
                    timed[side].append(latency)
    finally:
        bus.close()
    a, b = summary(timed["a"]), summary(timed["b"])
    ratios = {f"b_over_a_p{p}": round(b[f"p{p}_us"] / a[f"p{p}_us"], 3) for p in (50, 90, 99)} if a["n"] and b["n"] else {}
    print(json.dumps({"a": {**a, "not_filled": missed["a"], "command": args.a},
                      "b": {**b, "not_filled": missed["b"], "command": args.b}, **ratios}))


if __name__ == "__main__":
    main()
