"""The chaos run's topology: written on free ports, run under launch.sh (supervised), always stopped."""
import json
import os
import socket
import subprocess

from chaoslib import ROOT, SYMBOLS


def free_ports(count):
    sockets, ports = [], []
    for _ in range(count):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
        ports.append(s.getsockname()[1])
    for s in sockets:
        s.close()
    return ports


def write_topology(path):
    """Every signal can fill (aggressive preset, tiny positions, far limits), no exit fires."""
    ports = free_ports(7)
    ep = lambda port: f"tcp://127.0.0.1:{port}"
    topology = {
        "bus": {"publish": ep(ports[0]), "subscribe": ep(ports[1])},
        "agents": {name: {"endpoint": ep(port)} for name, port in zip(
            ["quant-analyst", "risk-manager", "execution-agent", "market-maker", "trading-director"], ports[2:])},
        "heartbeat_ms": 250, "request_timeout_ms": 500, "request_attempts": 3, "log_level": "info",
        "market": {"seed": 7, "tick_ms": 100, "taker_fee_bps": 10, "maker_fee_bps": 5, "slippage_bps": 1,
                   "symbols": [{"symbol": s, "start_price": 100, "drift": 0, "volatility": 0.01, "tick_size": 0.01,
                                "spread_bps": 2} for s in SYMBOLS]},
        "accounts": [{"name": "desk", "allow_short": True,
                      "balances": {s: {"base": 0, "quote": 1e9} for s in SYMBOLS}}],
        "analyst": {"fast_period": 5, "slow_period": 20, "ticks_per_bar": 5, "window": 500},
        "risk": {"preset": "aggressive", "min_confidence": 0.01, "stop_pct": 0.5, "take_profits": [],
                 "max_position_size_pct": 1e-6, "max_total_exposure_pct": 100, "max_portfolio_heat_pct": 100,
                 "max_concurrent_positions": 100000},
        "director": {"account": "desk", "step_timeout_ms": 1500, "contradiction_threshold": 1.01, "snapshot_ms": 1000},
    }
    with open(path, "w") as f:
        json.dump(topology, f, indent=2)
    return topology


class Topology:
    """The topology under launch.sh: started supervised, always stopped."""

    def __init__(self, topology_path, run_dir, bin_dir):
        self.args = ["--topology", topology_path, "--run-dir", run_dir]
        self.bin_args = ["--bin-dir", bin_dir]
        self.run_dir = run_dir

    def launch(self, command, *extra, timeout=120):
        # Should this script be killed outright, the supervisor stops the topology itself.
        environment = dict(os.environ, HEDGEBUS_STOP_WITH_PID=str(os.getpid()))
        environment.pop("HEDGEBUS_RUN_DIR", None)
        return subprocess.run([os.path.join(ROOT, "topology", "launch.sh"), command, *self.args, *extra],
                              capture_output=True, text=True, timeout=timeout, env=environment)

    def up(self):
        done = self.launch("up", *self.bin_args)
        if done.returncode != 0:
            raise RuntimeError(f"launch.sh up failed:\n{done.stdout}{done.stderr}")

    def down(self):
        self.launch("down")

    def pid(self, name):
        try:
            with open(os.path.join(self.run_dir, "pids", f"{name}.pid")) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def restarts(self, name):
        try:
            with open(os.path.join(self.run_dir, "supervisor", name)) as f:
                return int(f.read().split("\t")[0])
        except (OSError, ValueError, IndexError):
            return 0
