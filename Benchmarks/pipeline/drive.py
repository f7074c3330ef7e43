"""Load driver for scripts/bench-pipeline: publishes `signal` envelopes on a HedgeBus-shaped bus
and times the `decision` each one gets (docs/PROTOCOL.md). The same driver serves HedgeBus and
Benchmarks/pipeline/python_pipeline.py, which speak the same topics and payload fields.

    python3 drive.py --publish EP --subscribe EP --symbols A,B,... [--latency N] [--sustained 1,8] [--soak N ...]

Prints one JSON object on stdout with a section per measurement asked for; progress goes to stderr.

  --latency N     N signals one at a time (each after the previous decision), after --warmup
                  signals: p50/p99/max of signal → decision for the `filled` ones, and what the
                  others were. With --bracket CMD, CMD runs right before and right after, and the
                  JSON lines it prints are kept with the latency (the raw baselines next to it).
  --sustained K   for each K (number of symbols, signals round-robin over the first K): the
                  highest fixed rate at which every signal sent in a --window of seconds gets
                  exactly one decision, `filled` (the bench's topologies fill every signal, so a
                  signal rejected at a full queue or failed at its expiry was not kept up with),
                  the last within --tail of the last send. The search
                  doubles the rate from --start-rate (or from the latency measured before) and
                  then bisects, at most --steps trials in all.
  --soak N        N signals at --soak-rate per second (or --soak-fraction of the highest
                  sustained rate found for the most symbols) round-robin over every symbol, with
                  signal → decision p50/p90/p99 of the filled ones (the time they queued
                  included), VmRSS of each --pid NAME=PID read before and after, its CPU time per
                  decided signal, and its idle CPU use (no signals for 3 s) before and after.
  --latency-after-soak  with --latency and --soak: the latency measured again once the soak is
                  over (same signals, warm-up and --bracket), so a topology that has run N
                  signals is timed as the fresh one was.
"""
import argparse
import json
import math
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time

import zmq

HANDSHAKE_TIMEOUT_S = 30


def log(message):
    print(f"drive: {message}", file=sys.stderr, flush=True)


def percentile(sorted_values, p):
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return None
    rank = max(1, min(len(sorted_values), -(-len(sorted_values) * p // 100)))
    return sorted_values[int(rank) - 1]


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except FileNotFoundError:
        pass
    return None


def cpu_s(pid):
    """User + system CPU seconds a process has used so far."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except FileNotFoundError:
        return None


def wait_ms(seconds):
    """How long to wait for decisions until the next send is due: at least 1 ms, so the driver
    sleeps in poll rather than spinning on a zero timeout (it shares the CPUs with what it
    measures); a send that falls due meanwhile goes out at once after, and the schedule stays
    anchored at the start, so the rate over a window is kept."""
    return max(1, math.ceil(seconds * 1000))


def context_switches(threads):
    """Voluntary + involuntary context switches of every thread of a process so far, from its
    `thread_counters`: how often its threads went to sleep or were preempted, i.e. roughly its
    wake-ups. None when the process was gone."""
    return None if threads is None else sum(counts[0] + counts[1] for counts in threads.values())


def thread_counters(pid):
    """Per thread name of a process, summed over its threads of that name: voluntary and
    involuntary context switches, nanoseconds on a CPU and nanoseconds runnable but waiting
    for one (`schedstat`), so far. None when the process is gone. A thread that ends between
    two readings takes its counts with it."""
    threads = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return None
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as comm:
                name = comm.read().strip()
            counts = [0, 0, 0, 0]
            with open(f"/proc/{pid}/task/{tid}/status") as status:
                for line in status:
                    if line.startswith("voluntary_ctxt_switches:"):
                        counts[0] = int(line.split()[1])
                    elif line.startswith("nonvoluntary_ctxt_switches:"):
                        counts[1] = int(line.split()[1])
            with open(f"/proc/{pid}/task/{tid}/schedstat") as schedstat:
                on_cpu, waiting = schedstat.read().split()[:2]
                counts[2], counts[3] = int(on_cpu), int(waiting)
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
        total = threads.setdefault(name, [0, 0, 0, 0])
        for index, value in enumerate(counts):
            total[index] += value
    return threads


def threads_per_signal(before, after, decided):
    """What each thread (by name) of each process did per decided signal between two readings
    of `thread_counters`: switches, and µs on a CPU and waiting for one. Threads that did
    nothing are left out."""
    result = {}
    for name in after:
        rows = {}
        for thread, counts in (after[name] or {}).items():
            earlier = (before.get(name) or {}).get(thread, [0, 0, 0, 0])
            voluntary, involuntary, on_cpu, waiting = (now - then for now, then in zip(counts, earlier))
            if voluntary + involuntary == 0 and on_cpu == 0:
                continue
            rows[thread] = {"voluntary": round(voluntary / decided, 2), "involuntary": round(involuntary / decided, 2),
                            "cpu_us": round(on_cpu / 1e3 / decided, 1), "runqueue_us": round(waiting / 1e3 / decided, 1)}
        result[name] = rows
    return result


SIGNAL_ID = re.compile(rb'"signal_id":\s*"([0-9a-zA-Z_.:-]*)"')
FILLED = re.compile(rb'"outcome":\s*"filled"')
LATENCY_US = re.compile(rb'"latency_us":\s*(\d+)[,}]')


def decision_fields(body):
    """(signal id, payload) of a decision envelope. A filled decision (nearly every one the bench
    sees) is read for the three fields the tally uses; anything else, or a body those patterns do
    not fit, is parsed in full."""
    signal_id, filled = SIGNAL_ID.search(body), FILLED.search(body)
    if signal_id and filled and body.count(b'"signal_id"') == 1 and body.count(b'"outcome"') == 1:
        latency = LATENCY_US.search(body)
        return signal_id.group(1).decode(), {"outcome": "filled", "latency_us": int(latency.group(1)) if latency else None}
    payload = json.loads(body)["payload"]
    return payload.get("signal_id"), payload


class Bus:
    """The driver's two sockets on the bus, both past the handshakes of docs/PROTOCOL.md §1."""

    def __init__(self, publish, subscribe, director):
        self.context = zmq.Context()
        self.prefix = secrets.token_hex(4)
        self.count = 0
        self.sides = {}
        self.sub = self.context.socket(zmq.SUB)
        self.sub.setsockopt(zmq.LINGER, 0)
        self.sub.setsockopt(zmq.RCVHWM, 0)  # unbounded: a decision is never dropped on our side
        self.sub.connect(subscribe)
        self.sub.setsockopt(zmq.SUBSCRIBE, b"decision.")
        heartbeat = f"heartbeat.{director}".encode()
        self.sub.setsockopt(zmq.SUBSCRIBE, heartbeat)
        # The director's heartbeat proves its publisher has our subscriptions.
        self._wait(self.sub, lambda frames: frames[0] == heartbeat, f"a {director} heartbeat")
        self.sub.setsockopt(zmq.UNSUBSCRIBE, heartbeat)

        self.pub = self.context.socket(zmq.XPUB)
        self.pub.setsockopt(zmq.LINGER, 0)
        self.pub.setsockopt(zmq.SNDHWM, 0)
        self.pub.connect(publish)
        # Publish once a subscription covering signal.* has come upstream through the bus.
        self._wait(self.pub, lambda frames: frames[0][:1] == b"\x01" and b"signal.X".startswith(frames[0][1:]),
                   "a subscriber to signal.*")

    @staticmethod
    def _wait(socket, matches, what):
        deadline = time.monotonic() + HANDSHAKE_TIMEOUT_S
        while time.monotonic() < deadline:
            if socket.poll(200) and matches(socket.recv_multipart()):
                return
        raise SystemExit(f"drive: no {what} within {HANDSHAKE_TIMEOUT_S}s")

    # The signal envelope (compact JSON), made by formatting rather than json.dumps: the driver
    # shares the two CPUs with what it measures, so its own work per signal is kept small.
    SIGNAL = (b'{"v":1,"id":"%s","type":"signal","trace_id":"%s","parent_id":null,"source":"bench-driver",'
              b'"ts":%d,"payload":{"symbol":"%s","side":"%s","confidence":0.9}}')

    def send(self, symbol):
        """Publishes one signal; buys and sells alternate per symbol so positions stay small."""
        self.count += 1
        side = "buy" if self.sides.get(symbol) != "buy" else "sell"
        self.sides[symbol] = side
        signal_id = f"{self.prefix}{self.count:08x}"
        body = self.SIGNAL % (signal_id.encode(), os.urandom(16).hex().encode(), time.time_ns() // 1000,
                              symbol.encode(), side.encode())
        self.pub.send_multipart([b"signal." + symbol.encode(), body])
        return signal_id

    def decisions(self, timeout_ms):
        """Waits up to timeout_ms for decisions; returns every one queued as (signal_id, payload, t)."""
        received = []
        if not self.sub.poll(timeout_ms):
            return received
        while True:
            try:
                _, body = self.sub.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return received
            received.append((*decision_fields(body), time.perf_counter()))

    def close(self):
        self.context.destroy(linger=0)


class Tally:
    """Outcomes of the signals one measurement sent."""

    def __init__(self):
        self.sent = {}      # signal id -> send time
        self.decided = {}   # signal id -> outcome
        self.duplicates = 0
        self.reasons = {}   # first words of each non-filled reason -> count
        self.last_decision = None
        self.cycle_us = []  # the director's own latency_us of each filled decision
        self.filled_s = []  # signal sent → decision received of each filled signal (s)

    def sending(self, signal_id):
        self.sent[signal_id] = time.perf_counter()

    def take(self, decisions):
        """Books decisions; returns latencies (s) of the filled ones that are ours."""
        filled = []
        for signal_id, payload, at in decisions:
            if signal_id not in self.sent:
                continue  # an exit's decision, or a late one from an earlier measurement
            if signal_id in self.decided:
                self.duplicates += 1
                continue
            outcome = payload.get("outcome")
            self.decided[signal_id] = outcome
            self.last_decision = at
            if outcome == "filled":
                filled.append(at - self.sent[signal_id])
                self.filled_s.append(filled[-1])
                if payload.get("latency_us") is not None:
                    self.cycle_us.append(payload["latency_us"])
            else:
                reason = f"{outcome} at {payload.get('stage')}: {' '.join(str(payload.get('reason')).split()[:8])}"
                self.reasons[reason] = self.reasons.get(reason, 0) + 1
        return filled

    @property
    def missing(self):
        return len(self.sent) - len(self.decided)

    def outcomes(self):
        counts = {"filled": 0, "rejected": 0, "failed": 0}
        for outcome in self.decided.values():
            counts[outcome] = counts.get(outcome, 0) + 1
        return counts

    def top_reasons(self):
        return dict(sorted(self.reasons.items(), key=lambda item: -item[1])[:3])


def drain(bus, tally, seconds):
    """Collects decisions until every sent signal has one or `seconds` pass."""
    deadline = time.perf_counter() + seconds
    while tally.missing and time.perf_counter() < deadline:
        tally.take(bus.decisions(50))


def settle(bus, quiet_s=1.0, limit_s=30.0):
    """Discards decisions until none has come for quiet_s (a backlog from an overloaded trial)."""
    deadline = time.perf_counter() + limit_s
    quiet_since = time.perf_counter()
    while time.perf_counter() < deadline and time.perf_counter() - quiet_since < quiet_s:
        if bus.decisions(100):
            quiet_since = time.perf_counter()


def bracket(command):
    """The JSON lines a --bracket command prints (none without one); a failure ends the run."""
    if not command:
        return []
    log(f"bracket: {command}")
    done = subprocess.run(command, shell=True, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise SystemExit(f"drive: the --bracket command exited {done.returncode}: {command}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def measure_latency(bus, symbol, count, warmup, timeout_s, pids=None):
    warm, tally = Tally(), Tally()
    latencies = []
    threads_before = None
    for i in range(warmup + count):
        book = warm if i < warmup else tally
        if i == warmup and pids:
            threads_before = {name: thread_counters(pid) for name, pid in pids.items()}
        signal_id = bus.send(symbol)
        book.sending(signal_id)
        # Wait for this signal's decision only: an earlier lost one must not stall the rest.
        deadline = time.perf_counter() + timeout_s
        while signal_id not in book.decided and time.perf_counter() < deadline:
            filled = book.take(bus.decisions(50))
            if book is tally:
                latencies += filled
    latencies = sorted(round(x * 1e6, 1) for x in latencies)
    threads = {}
    if threads_before is not None:
        after = {name: thread_counters(pid) for name, pid in pids.items()}
        threads = {"threads_per_signal": threads_per_signal(threads_before, after, max(1, len(tally.decided)))}
    return {
        "n": count, "filled": len(latencies), "not_filled": count - len(latencies) - tally.missing,
        "missing": tally.missing, "duplicates": tally.duplicates,
        "p50_us": percentile(latencies, 50), "p99_us": percentile(latencies, 99),
        "max_us": latencies[-1] if latencies else None, "reasons": tally.top_reasons(),
        "director_p50_us": percentile(sorted(tally.cycle_us), 50), **threads,
    }


def trial(bus, rate, window_s, symbols, tail_s, drain_s):
    """Sends at `rate` for window_s; says whether every signal was filled, the last within tail_s."""
    tally = Tally()
    total = max(1, int(rate * window_s))
    start = time.perf_counter()
    sent = 0
    while sent < total:
        now = time.perf_counter()
        due = start + sent / rate
        if now >= due:
            signal_id = bus.send(symbols[sent % len(symbols)])
            tally.sending(signal_id)
            sent += 1
        else:
            tally.take(bus.decisions(wait_ms(due - now)))
    last_send = time.perf_counter()
    achieved = total / max(last_send - start, 1e-9) if total > 1 else rate
    drain(bus, tally, drain_s)
    tail = (tally.last_decision - last_send) if tally.last_decision else None
    outcomes = tally.outcomes()
    # The bench's topologies fill every signal: one rejected or failed (its symbol's queue full,
    # expired before its cycle could start) was not kept up with, though it got its decision.
    all_filled = outcomes["filled"] == total
    kept_up = tally.missing == 0 and tally.duplicates == 0 and all_filled and tail is not None and tail <= tail_s
    # A driver that could not send at the rate asked has not shown the pipeline keeps up with it.
    ok = kept_up and achieved >= 0.95 * rate
    result = {"rate": rate, "ok": ok, "sent": total, "achieved_rate": round(achieved, 1),
              "missing": tally.missing, "duplicates": tally.duplicates,
              "tail_ms": round(tail * 1000, 1) if tail is not None else None, **outcomes}
    if tally.reasons:
        result["reasons"] = tally.top_reasons()
    if tally.missing:
        settle(bus)
    return result


def measure_sustained(bus, symbols, start_rate, window_s, tail_s, drain_s, steps, max_rate):
    """Doubles the rate while trials pass, then bisects between the last pass and the first failure."""
    trials = []
    good, bad = None, None
    rate = start_rate
    for _ in range(steps):
        result = trial(bus, rate, window_s, symbols, tail_s, drain_s)
        trials.append(result)
        log(f"  {len(symbols)} symbol(s) at {rate:.0f}/s: {'ok' if result['ok'] else 'behind'} "
            f"(sent {result['sent']}, missing {result['missing']}, tail {result['tail_ms']} ms, "
            f"filled {result['filled']}, rejected {result['rejected']}, failed {result['failed']})")
        if result["ok"]:
            good = result
        else:
            bad = result
        if bad is None:
            if rate >= max_rate:
                break
            rate = min(rate * 2, max_rate)
        elif good is None:
            rate = rate / 2
        else:
            if bad["rate"] - good["rate"] <= 0.05 * good["rate"]:
                break
            rate = (good["rate"] + bad["rate"]) / 2
        rate = max(1.0, round(rate))
    best = good or {"rate": 0, "filled": 0, "rejected": 0, "failed": 0}
    return {"symbols": len(symbols), "rate": best["rate"], "filled": best["filled"], "rejected": best["rejected"],
            "failed": best["failed"], "window_s": window_s, "trials": trials}


def idle_cpu(bus, pids, seconds):
    """CPU share (% of one core) each process uses with no signals coming, over `seconds`."""
    before = {name: cpu_s(pid) for name, pid in pids.items()}
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        bus.decisions(100)
    return {name: round(100 * ((cpu_s(pid) or 0) - (before[name] or 0)) / seconds, 1) for name, pid in pids.items()}


class SyscallCount:
    """System calls of each process (all its threads), counted by `perf stat` while it runs."""

    def __init__(self, pids):
        self.files = {name: tempfile.NamedTemporaryFile("r", suffix=".perf", delete=False).name for name in pids}
        self.perfs = {name: subprocess.Popen(["perf", "stat", "-x", ",", "-e", "raw_syscalls:sys_enter", "-p", str(pid),
                                              "-o", self.files[name]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                      for name, pid in pids.items()}
        time.sleep(0.5)  # perf attaches to every thread before the first signal is sent

    def stop(self):
        """Each process's count (None when perf could not count it)."""
        counts = {}
        for name, perf in self.perfs.items():
            perf.send_signal(signal.SIGINT)
            try:
                perf.wait(timeout=10)
            except subprocess.TimeoutExpired:
                perf.kill()
                perf.wait()
            counts[name] = None
            with open(self.files[name]) as output:
                for line in output:
                    fields = line.split(",")
                    if len(fields) > 2 and fields[2].startswith("raw_syscalls:sys_enter") and fields[0].isdigit():
                        counts[name] = int(fields[0])
            os.unlink(self.files[name])
        return counts


def measure_soak(bus, symbols, count, rate, pids, drain_s, idle_s=3, syscalls=False):
    idle_before = idle_cpu(bus, pids, idle_s)
    rss_before = {name: rss_mb(pid) for name, pid in pids.items()}
    counting = SyscallCount(pids) if syscalls else None
    cpu_before = {name: cpu_s(pid) for name, pid in pids.items()}
    threads_before = {name: thread_counters(pid) for name, pid in pids.items()}
    switches_before = {name: context_switches(threads) for name, threads in threads_before.items()}
    log(f"soak: {count} signals at {rate:.0f}/s over {len(symbols)} symbol(s) (about {count / rate:.0f} s)")
    tally = Tally()
    start = time.perf_counter()
    sent = 0
    next_report = start + 30
    while sent < count:
        now = time.perf_counter()
        due = start + sent / rate
        if now >= due:
            tally.sending(bus.send(symbols[sent % len(symbols)]))
            sent += 1
        else:
            tally.take(bus.decisions(wait_ms(due - now)))
        if now >= next_report:
            rss = ", ".join(f"{name} {rss_mb(pid)}" for name, pid in pids.items())
            log(f"  soak: {sent} sent, {len(tally.decided)} decided; RSS MB: {rss}")
            next_report += 30
    sending = time.perf_counter() - start
    drain(bus, tally, drain_s)
    rss_after = {name: rss_mb(pid) for name, pid in pids.items()}
    cpu_after = {name: cpu_s(pid) for name, pid in pids.items()}
    threads_after = {name: thread_counters(pid) for name, pid in pids.items()}
    switches_after = {name: context_switches(threads) for name, threads in threads_after.items()}
    syscall_counts = counting.stop() if counting else {}
    idle_after = idle_cpu(bus, pids, idle_s)
    decided = max(1, len(tally.decided))

    def per_signal(name):
        """CPU time over the soak (its idle use included) per decided signal."""
        return round(((cpu_after[name] or 0) - (cpu_before[name] or 0)) * 1e6 / decided, 1)

    waits = sorted(tally.filled_s)

    def waited_us(p):
        value = percentile(waits, p)
        return None if value is None else round(value * 1e6, 1)

    return {"n": count, "rate": rate, "send_s": round(sending, 1), "missing": tally.missing,
            "latency_us": {"p50": waited_us(50), "p90": waited_us(90), "p99": waited_us(99)},
            "duplicates": tally.duplicates, **tally.outcomes(), "reasons": tally.top_reasons(),
            "rss_mb": {name: {"before": rss_before[name], "after": rss_after[name]} for name in pids},
            "cpu_us_per_signal": {name: per_signal(name) for name in pids},
            "context_switches_per_signal": {name: round(((switches_after[name] or 0) - (switches_before[name] or 0)) / decided, 1)
                                            for name in pids},
            "idle_cpu_pct": {name: {"before": idle_before[name], "after": idle_after[name]} for name in pids},
            "threads_per_signal": threads_per_signal(threads_before, threads_after, decided),
            **({"syscalls_per_signal": {name: None if syscall_counts[name] is None else round(syscall_counts[name] / decided, 1)
                                        for name in pids}} if counting else {})}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--publish", required=True, help="the bus's publish endpoint (its XSUB)")
    parser.add_argument("--subscribe", required=True, help="the bus's subscribe endpoint (its XPUB)")
    parser.add_argument("--symbols", required=True, help="comma-separated symbols the topology trades")
    parser.add_argument("--director", default="trading-director", help="whose heartbeat proves our subscriptions")
    parser.add_argument("--latency", type=int, default=0, metavar="N")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--bracket", default="", metavar="CMD",
                        help="a shell command run right before and right after the latency measurement, "
                             "whose JSON lines are kept with it (the raw baselines, measured as the cycles are)")
    parser.add_argument("--timeout", type=float, default=10, help="seconds to wait for one decision")
    parser.add_argument("--sustained", default="", metavar="K,K", help="symbol counts to find the sustained rate for")
    parser.add_argument("--start-rate", type=float, default=0, help="first rate tried (default: from the latency)")
    parser.add_argument("--max-rate", type=float, default=20000)
    parser.add_argument("--window", type=float, default=4, help="seconds of sending per trial")
    parser.add_argument("--tail", type=float, default=0, help="allowed lag of the last decision (default window/10, ≥ 0.2 s)")
    parser.add_argument("--drain", type=float, default=10, help="seconds to wait for outstanding decisions")
    parser.add_argument("--steps", type=int, default=8, help="most trials per symbol count")
    parser.add_argument("--soak", type=int, default=0, metavar="N")
    parser.add_argument("--soak-rate", type=float, default=0)
    parser.add_argument("--soak-fraction", type=float, default=0.5)
    parser.add_argument("--pid", action="append", default=[], metavar="NAME=PID", help="processes whose VmRSS to report")
    parser.add_argument("--syscalls", action="store_true", help="count each --pid's system calls over the soak (perf stat)")
    parser.add_argument("--latency-after-soak", action="store_true",
                        help="time --latency signals again once the soak is over (a topology that has run a while)")
    args = parser.parse_args()

    symbols = [s for s in args.symbols.split(",") if s]
    pids = dict(item.split("=", 1) for item in args.pid)
    tail = args.tail or max(0.2, args.window / 10)
    bus = Bus(args.publish, args.subscribe, args.director)
    result = {"driver_pid": os.getpid()}
    try:
        def timed(what, pids=None):
            before = bracket(args.bracket)
            log(f"latency{what}: {args.latency} signals one at a time on {symbols[0]} after {args.warmup} warm-up")
            latency = measure_latency(bus, symbols[0], args.latency, args.warmup, args.timeout, pids)
            if args.bracket:
                latency["bracket"] = {"before": before, "after": bracket(args.bracket)}
            return latency

        if args.latency:
            result["latency"] = timed("", pids)
        sustained = {}
        fewer = None  # the rate found for the last, smaller symbol count
        for k in sorted(int(k) for k in args.sustained.split(",") if k):
            start_rate = args.start_rate
            if not start_rate and fewer:
                # More symbols only add lanes: what fewer sustained should pass, and the search
                # keeps its trials for the last doublings and the bisection (eight trials from
                # the latency's start ended short of 5 % resolution at several thousand per second).
                start_rate = fewer
            elif not start_rate:
                p50 = (result.get("latency") or {}).get("p50_us")
                # Half of what one serial lane could do: a first trial that should pass.
                start_rate = max(10.0, round(0.5e6 / p50)) if p50 else 50.0
            log(f"sustained rate, {k} symbol(s), {args.window:.0f} s per trial, from {start_rate:.0f}/s")
            sustained[str(k)] = measure_sustained(bus, symbols[:k], start_rate, args.window, tail, args.drain,
                                                  args.steps, args.max_rate)
            fewer = sustained[str(k)]["rate"] or None
        if sustained:
            result["sustained"] = sustained
        if args.soak:
            rate = args.soak_rate
            if not rate and sustained:
                rate = args.soak_fraction * sustained[max(sustained, key=int)]["rate"]
            rate = max(rate, 10.0)
            result["soak"] = measure_soak(bus, symbols, args.soak, rate, pids, max(args.drain, 30), syscalls=args.syscalls)
            if args.latency and args.latency_after_soak:
                result["latency_after_soak"] = timed(f" after the soak of {args.soak}")
    finally:
        bus.close()
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
