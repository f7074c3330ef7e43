"""The chaos run's topology: written on free ports, run under launch.sh (supervised), always stopped."""
import json
import os
import random
import socket
import subprocess

from chaoslib import ROOT, SYMBOLS


def free_ports(count):
    """`count` distinct loopback ports free right now, from 20000–23999: below the kernel's
    ephemeral range (a port free inside it can be taken by any outgoing connection's local port
    before the process meant to bind it gets there), and apart from the ports the test suite
    hands out (24000 up, Tests/HedgeBusTesting/FreePort.swift), since the suite runs beside this
    and could otherwise pick the same port in the same moment."""
    ports = []
    while len(ports) < count:
        port = random.randrange(20000, 24000)
        if port in ports:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        ports.append(port)
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
        "accounts": [{"name": "desk", "allow_short": True, "max_leverage": 5,
                      "balances": {"USD": 1e9 * len(SYMBOLS)}}],
        "analyst": {"fast_period": 5, "slow_period": 20, "ticks_per_bar": 5, "window": 500},
        "risk": {"preset": "aggressive", "min_confidence": 0.01, "stop_pct": 0.5, "take_profits": [],
                 "max_position_size_pct": 1e-6, "max_total_exposure_pct": 100, "max_portfolio_heat_pct": 100,
                 "max_concurrent_positions": 100000},
        "director": {"account": "desk", "step_timeout_ms": 1500, "contradiction_threshold": 1.01, "snapshot_ms": 1000},
    }
    with open(path, "w") as f:
        json.dump(topology, f, indent=2)
    return topology


class PortTaken(RuntimeError):
    """launch.sh up refused a port that was free when the topology was written."""


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
            printed = f"{done.stdout}{done.stderr}"
            # launch.sh checks every port before starting anything: a port taken since it was
            # picked (by another test's process) leaves nothing running and can be picked again.
            if "is already in use" in printed:
                raise PortTaken(printed)
            raise RuntimeError(f"launch.sh up failed:\n{printed}")

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
