"""Parts of scripts/chaos: the topology it runs, what it watches, and what it does to it."""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROCESSES = ["bus", "market-maker", "quant-analyst", "risk-manager", "execution-agent", "trading-director"]
AGENTS = PROCESSES[1:]
SYMBOLS = ["BTC-USD", "ETH-USD", "SOL-USD", "XRP-USD"]
MAX_MESSAGE = 1 << 20  # the agents' ZMQ_MAXMSGSIZE


def say(text):
    print(f"chaos: {text}", file=sys.stderr, flush=True)
