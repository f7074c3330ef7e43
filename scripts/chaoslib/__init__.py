"""Parts of scripts/chaos and scripts/multihost: the topology they run, what they watch, what they do to it."""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROCESSES = ["bus", "market-maker", "quant-analyst", "risk-manager", "execution-agent", "trading-director"]
AGENTS = PROCESSES[1:]
SYMBOLS = ["BTC-USD", "ETH-USD", "SOL-USD", "XRP-USD"]
MAX_MESSAGE = 1 << 20  # the agents' ZMQ_MAXMSGSIZE


def say(text):
    print(f"chaos: {text}", file=sys.stderr, flush=True)
