"""Turns the per-run results of scripts/bench-pipeline into the table it prints (and its JSON).

    python3 report.py RESULTS_DIR [--json FILE]

RESULTS_DIR holds run1/, run2/, … each with baselines.jsonl (Benchmarks/pipeline/baselines) and
hop-bracket.jsonl and hop-rounds.jsonl (the hop probe's rounds, each between two reqrep-ctx
timings), hop-one-cpu.jsonl (the same on one CPU),
hedgebus.json, python.json and raw.json (drive.py), optionally single.json (drive.py on all-agents, the
topology in one process), replicasN.json (drive.py on N replicas),
otlp.json (drive.py with OTLP push) with otlp/sink.json (the sink's counts), watched.json (drive.py
while hedgectl trace records) with watched-trace.json (the recording's trace events per signal), and extra.jsonl
(rows from --extra: {"name", "value", "unit", "baseline"}), plus meta.json (load, settings) and
host.json (Benchmarks/pipeline/host.py: CPUs, kernel, idle driver, libzmq). Every figure is the
median over runs; every ratio is figure / baseline computed within one run, then the median. A cycle
latency's baseline is the one drive.py measured right before and right after it (--bracket), where
there is one, and the hop's the raw round trip between two contexts timed right before and right
after each of the hop's rounds (the run's hop figure and its baseline are medians over its
rounds, and its ratio the median of the rounds' ratios): the machine's speed drifts over the
minutes between a run's sections.
"""
import argparse
import json
import statistics
import sys
from pathlib import Path

AGENTS = ["bus", "market-maker", "quant-analyst", "risk-manager", "execution-agent", "trading-director"]


def read_jsonl(path):
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def read_json(path):
    return json.loads(path.read_text()) if path.exists() else {}


def dig(data, *keys):
    for key in keys:
        if not isinstance(data, dict) or data.get(key) is None:
            return None
        data = data[key]
    return data


def figures(run_dir):
    """One run's figures by row name: (value, unit, baseline row or number, note)."""
    base = {row["name"]: row for row in read_jsonl(run_dir / "baselines.jsonl")}
    hedgebus = read_json(run_dir / "hedgebus.json")
    python = read_json(run_dir / "python.json")
    rows = {}

    def add(name, value, unit, baseline=None, note="", ratio=None):
        # `ratio`, when given, is the run's ratio to its baseline as measured (a median of
        # rounds' ratios, each against its own baseline), rather than value / baseline.
        if value is not None:
            rows[name] = (float(value), unit, baseline, note, ratio)

    for pct in ("p50", "p99", "max"):
        add(f"raw req/rep round trip {pct}", dig(base, "reqrep", f"{pct}_us"), "µs")
    for pct in ("p50", "p99", "max"):
        add(f"raw req/rep round trip, two contexts {pct}", dig(base, "reqrep-ctx", f"{pct}_us"), "µs",
            note="client and server each with its own context and I/O thread, as two processes")
    for pct in ("p50", "p99", "max"):
        add(f"raw 5-hop chain {pct}", dig(base, "chain", f"{pct}_us"), "µs")
    for pct in ("p50", "p99", "max"):
        add(f"sqlite durable commit {pct}", dig(base, "sqlite", f"{pct}_us"), "µs")
    for pct in ("p50", "p99", "max"):
        chain, commit = dig(base, "chain", f"{pct}_us"), dig(base, "sqlite", f"{pct}_us")
        if chain is not None and commit is not None:
            add(f"raw 5-hop + commit {pct}", chain + commit, "µs", note="the cycle baseline")
    pubsub = base.get("pubsub", {})
    add("raw pub/sub msgs/s", pubsub.get("msgs_per_s"), "msgs/s",
        note=f"{pubsub.get('bytes')} B, lost {pubsub.get('lost')} of {pubsub.get('n')}" if pubsub else "")

    def adjacent_baseline(prefix, latency, with_commit, name=None):
        """Rows of the baseline measured right before and right after one latency measurement
        (drive.py --bracket), each the mean of the two, named `name` (by default the prefix's
        baseline); the name of its rows, or the run's own baseline when there is no bracket."""
        bracket = latency.get("bracket") or {}
        sides = [{row["name"]: row for row in bracket.get(side) or []} for side in ("before", "after")]
        what = "raw 5-hop + commit" if with_commit else "raw 5-hop chain"
        if not all(side.get("chain") and (side.get("sqlite") or not with_commit) for side in sides):
            return what
        for pct in ("p50", "p99", "max"):
            totals = [side["chain"][f"{pct}_us"] + (side["sqlite"][f"{pct}_us"] if with_commit else 0) for side in sides]
            add(f"{name or prefix + ' baseline'} {pct}", sum(totals) / 2, "µs",
                note=f"{what}, measured right before ({totals[0]:,.0f}) and after ({totals[1]:,.0f}) these cycles")
        return name or f"{prefix} baseline"

    def cycles_and_rates(prefix, driven, about=""):
        """The cycle latency and sustained-rate rows of one driven topology."""
        latency = driven.get("latency") or {}
        note = f"{about}filled {latency.get('filled')}/{latency.get('n')}" if latency else ""
        baseline = adjacent_baseline(prefix, latency, with_commit=True)
        for pct in ("p50", "p99", "max"):
            add(f"{prefix} cycle {pct}", latency.get(f"{pct}_us"), "µs", f"{baseline} {pct}", note)
        if prefix == "hedgebus":
            add("hedgebus director cycle p50", latency.get("director_p50_us"), "µs", f"{baseline} p50",
                "the decisions' latency_us: signal in → decision out inside the director")
        # The same cycles timed again once the soak is over: the topology has then run the soak's
        # signals (its stores' logs gone round, their oldest rows pruned), as a desk does that has
        # been up a while; against the baseline measured right around them.
        later = driven.get("latency_after_soak") or {}
        soaked = (driven.get("soak") or {}).get("n")
        if later and soaked:
            later_baseline = adjacent_baseline(prefix, later, with_commit=True, name=f"{prefix} baseline after {soaked} signals")
            for pct in ("p50", "p99"):
                add(f"{prefix} cycle {pct} after {soaked} signals", later.get(f"{pct}_us"), "µs", f"{later_baseline} {pct}",
                    f"{about}the same topology after its soak; filled {later.get('filled')}/{later.get('n')}; "
                    f"fresh: {latency.get(f'{pct}_us') or 0:,.0f} µs")
        for k, label in (("1", "1 symbol"), ("8", "8 symbols")):
            found = dig(driven, "sustained", k) or {}
            add(f"{prefix} sustained {label}", found.get("rate"), "signals/s", f"python sustained {label}",
                f"filled {found.get('filled')}, rejected {found.get('rejected')}, failed {found.get('failed')}" if found else "")

    cycles_and_rates("hedgebus", hedgebus)
    single = read_json(run_dir / "single.json")
    cycles_and_rates("hedgebus one process", single, "the bus and the five agents in one process (all-agents); ")
    soak = single.get("soak")
    if soak:
        rss = dig(soak, "rss_mb", "all-agents") or {}
        add(f"rss all-agents after {soak['n']} signals", rss.get("after"), "MB", rss.get("before"),
            f"before {rss.get('before') or 0:.1f} MB; the bus and five agents; soak at {soak['rate']:.0f}/s: decided "
            f"{soak['n'] - soak['missing']}, filled {soak.get('filled')}")
        idle = dig(soak, "idle_cpu_pct", "all-agents") or {}
        add("cpu all-agents per signal", dig(soak, "cpu_us_per_signal", "all-agents"), "µs",
            note=f"CPU over the soak / decided; idle CPU {idle.get('before')}% of a core before, {idle.get('after')}% after")

    for path in sorted(run_dir.glob("replicas*.json"), key=lambda p: int(p.stem[len("replicas"):])):
        count = int(path.stem[len("replicas"):])
        found = dig(read_json(path), "sustained", "8") or {}
        add(f"hedgebus sustained 8 symbols, {count} replicas", found.get("rate"), "signals/s", "hedgebus sustained 8 symbols",
            f"{count} quant-analysts and {count} execution-agents behind brokers; filled {found.get('filled')}, "
            f"rejected {found.get('rejected')}, failed {found.get('failed')}" if found else "")

    pushed = read_json(run_dir / "otlp.json").get("latency") or {}
    sink = read_json(run_dir / "otlp" / "sink.json")
    note = (f"filled {pushed.get('filled')}/{pushed.get('n')}; the sink took {sink.get('spans')} spans in "
            f"{sink.get('requests')} POSTs ({sink.get('bad')} bad)") if pushed else ""
    for pct in ("p50", "p99"):
        add(f"hedgebus cycle {pct} with OTLP push", pushed.get(f"{pct}_us"), "µs", f"hedgebus cycle {pct}", note)

    watched = read_json(run_dir / "watched.json").get("latency") or {}
    recorded = read_json(run_dir / "watched-trace.json")
    per_signal = recorded.get("trace_events_per_signal") or {}
    note = (f"filled {watched.get('filled')}/{watched.get('n')}; trace events per signal in the recording: "
            + (", ".join(f"{count} signals with {events}" for events, count in per_signal.items()) or "none")) if watched else ""
    for pct in ("p50", "p99"):
        add(f"hedgebus cycle {pct} watched", watched.get(f"{pct}_us"), "µs", f"hedgebus cycle {pct}", note)

    latency = python.get("latency") or {}
    note = f"filled {latency.get('filled')}/{latency.get('n')}" if latency else ""
    baseline = adjacent_baseline("python pipeline", latency, with_commit=False)
    for pct in ("p50", "p99", "max"):
        add(f"python pipeline cycle {pct}", latency.get(f"{pct}_us"), "µs", f"{baseline} {pct}", note)
    for k, label in (("1", "1 symbol"), ("8", "8 symbols")):
        found = dig(python, "sustained", k) or {}
        add(f"python sustained {label}", found.get("rate"), "signals/s",
            note=f"filled {found.get('filled')}, rejected {found.get('rejected')}" if found else "")

    # The raw pipeline: the same six roles and hops in C on libzmq with a group commit and no other
    # work. Its cycle against the raw 5-hop chain and commit measured around it, and HedgeBus's
    # six-process cycle and rates against it: what HedgeBus costs beyond the layout's own least.
    raw = read_json(run_dir / "raw.json")
    latency = raw.get("latency") or {}
    note = f"filled {latency.get('filled')}/{latency.get('n')}" if latency else ""
    baseline = adjacent_baseline("raw pipeline", latency, with_commit=True)
    for pct in ("p50", "p99", "max"):
        add(f"raw pipeline cycle {pct}", latency.get(f"{pct}_us"), "µs", f"{baseline} {pct}",
            "C on libzmq, the bench topology's six processes and hops, a group commit, no other work; " + note)
    for k, label in (("1", "1 symbol"), ("8", "8 symbols")):
        found = dig(raw, "sustained", k) or {}
        add(f"raw pipeline sustained {label}", found.get("rate"), "signals/s",
            note=f"filled {found.get('filled')}, rejected {found.get('rejected')}" if found else "")
    against_raw = "the same figure of HedgeBus's six processes, against the raw pipeline's of the same run"
    if raw:
        for pct in ("p50", "p99"):
            add(f"hedgebus cycle {pct} / raw pipeline", dig(hedgebus, "latency", f"{pct}_us"), "µs", f"raw pipeline cycle {pct}", against_raw)
        for k, label in (("1", "1 symbol"), ("8", "8 symbols")):
            add(f"hedgebus sustained {label} / raw pipeline", dig(hedgebus, "sustained", k, "rate"), "signals/s",
                f"raw pipeline sustained {label}", against_raw)

    soak = hedgebus.get("soak")
    if soak:
        for agent in AGENTS:
            rss = dig(soak, "rss_mb", agent) or {}
            add(f"rss {agent} after {soak['n']} signals", rss.get("after"), "MB", rss.get("before"),
                f"before {rss.get('before') or 0:.1f} MB; soak at {soak['rate']:.0f}/s: decided "
                f"{soak['n'] - soak['missing']}, filled {soak.get('filled')}")

        for agent in AGENTS:
            idle = dig(soak, "idle_cpu_pct", agent) or {}
            add(f"cpu {agent} per signal", dig(soak, "cpu_us_per_signal", agent), "µs",
                note=f"CPU over the soak / decided; idle CPU {idle.get('before')}% of a core before, {idle.get('after')}% after")

    # The hop against the raw round trip between two contexts: timed in rounds, each between two
    # timings of the raw round trip (hop-bracket.jsonl holds rounds + 1 rows, hop-rounds.jsonl
    # each round's hop rows); a round's baseline is the mean of the two beside it, and the run's
    # figures are the medians over its rounds, its ratio the median of the rounds' ratios.
    hop_baseline = hop_rows(run_dir, add)
    add_one_cpu_hop(run_dir, add)

    for extra in read_jsonl(run_dir / "extra.jsonl"):
        add(extra["name"], extra.get("value"), extra.get("unit", ""), hop_baseline.get(extra["name"], extra.get("baseline")),
            extra.get("note", ""))
    return rows


def hop_rows(run_dir, add):
    """Adds the hop rows and their baseline rows of one run; returns each hop row's baseline row."""
    bracket = read_jsonl(run_dir / "hop-bracket.jsonl")
    rounds = {}
    for row in read_jsonl(run_dir / "hop-rounds.jsonl"):
        rounds.setdefault(row["name"], []).append(row)
    baseline_of = {}
    if len(bracket) < 2:
        return baseline_of
    polling = " (its client polling for the reply as the hop's loops do: busy_poll_us)" \
        if bracket[0].get("name") == "reqrep-ctx-spin" else ""
    for pct in ("p50", "p99"):
        sides = [row.get(f"{pct}_us") for row in bracket]
        if None in sides:
            continue
        beside = [(before + after) / 2 for before, after in zip(sides, sides[1:])]
        base_name = f"hedgebus hop baseline {pct}"
        add(base_name, statistics.median(beside), "µs",
            note=f"raw req/rep round trip, two contexts{polling}: the median over {len(beside)} round(s) of the mean of "
                 f"the timings right before and after each hop round ({', '.join(f'{v:,.1f}' for v in sides)})")
        for name in ("hedgebus req/rep hop", "hedgebus req/rep hop, handler in a task"):
            timed = rounds.get(f"{name} {pct}", [])
            if len(timed) != len(beside):
                continue
            values = [row["value"] for row in timed]
            ratios = [value / base for value, base in zip(values, beside)]
            listed = ", ".join(f"{ratio:.2f}" for ratio in ratios)
            note = timed[0].get("note", "") if pct == "p50" else ""
            add(f"{name} {pct}", statistics.median(values), "µs", base_name,
                "; ".join(part for part in (f"median of {len(values)} round(s); the ratio is the median of the rounds' ratios, "
                                             f"each to its own baseline: {listed}", note) if part),
                ratio=statistics.median(ratios))
            baseline_of[f"{name} {pct}"] = base_name
    return baseline_of


def add_one_cpu_hop(run_dir, add):
    """The hop and its raw bracket with every thread on one CPU (hop-one-cpu.jsonl: raw, the hop's
    rows, raw), where no wake-up crosses CPUs: what is left between them is each side's work."""
    rows = read_jsonl(run_dir / "hop-one-cpu.jsonl")
    raws = [row for row in rows if row.get("name", "").startswith("reqrep-ctx")]
    hops = {row["name"]: row for row in rows if row.get("name", "").startswith("hedgebus req/rep hop")}
    if len(raws) != 2:
        return
    for pct in ("p50", "p99"):
        sides = [row.get(f"{pct}_us") for row in raws]
        hop = hops.get(f"hedgebus req/rep hop {pct}")
        if None in sides or hop is None:
            continue
        base_name = f"hedgebus hop baseline, one CPU {pct}"
        add(base_name, sum(sides) / 2, "µs",
            note=f"the hop baseline with every thread on one CPU (taskset), right before ({sides[0]:,.1f}) and after ({sides[1]:,.1f}) the hop")
        add(f"hedgebus req/rep hop, one CPU {pct}", hop["value"], "µs", base_name,
            "the hop (answered as read) with every thread on one CPU: no wake-up crosses CPUs, so the ratio is the two sides' own work")


def baseline_value(rows, baseline):
    if isinstance(baseline, (int, float)):
        return float(baseline)
    if isinstance(baseline, str) and baseline in rows:
        return rows[baseline][0]
    return None


def summarise(results):
    runs = sorted((p for p in results.iterdir() if p.is_dir() and p.name.startswith("run")),
                  key=lambda p: int(p.name[3:]))
    per_run = [figures(run) for run in runs]
    names = []
    for rows in per_run:
        names += [name for name in rows if name not in names]
    table = []
    for name in names:
        values, ratios, baselines = [], [], []
        unit, baseline_name, note = "", None, ""
        for rows in per_run:
            if name not in rows:
                continue
            value, unit, baseline, note, own_ratio = rows[name]
            values.append(value)
            base = baseline_value(rows, baseline)
            if isinstance(baseline, str):
                baseline_name = baseline
            if base:
                baselines.append(base)
                ratios.append(own_ratio if own_ratio is not None else value / base)
        table.append({
            "name": name, "unit": unit, "value": statistics.median(values), "min": min(values), "max": max(values),
            "runs": len(values), "per_run": values, "baseline_name": baseline_name,
            "baseline": statistics.median(baselines) if baselines else None,
            "ratio": statistics.median(ratios) if ratios else None, "note": note,
        })
    return runs, table


def number(value, unit):
    if value is None:
        return "-"
    if unit in ("msgs/s", "signals/s") or abs(value) >= 10_000:
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def print_table(table, runs):
    print(f"\nPipeline benchmark: median of {len(runs)} run(s); ratio = figure / baseline within a run, median over runs\n")
    print(f"{'figure':<42} {'value':>12} {'unit':<9} {'min..max over runs':>22} {'ratio':>8}  baseline; note")
    for row in table:
        spread = f"{number(row['min'], row['unit'])}..{number(row['max'], row['unit'])}" if row["runs"] > 1 else ""
        ratio = f"{row['ratio']:.2f}" if row["ratio"] is not None else ""
        about = row["baseline_name"] or ("before" if row["name"].startswith("rss ") else "")
        if row["baseline"] is not None and about and not row["name"].startswith("rss "):
            about = f"{about} ({number(row['baseline'], row['unit'])})"
        tail = "; ".join(part for part in (about, row["note"]) if part)
        print(f"{row['name']:<42} {number(row['value'], row['unit']):>12} {row['unit']:<9} {spread:>22} {ratio:>8}  {tail}")
    print("\nLatencies: lower is better, ratio = how many times the baseline. Rates: higher is better.")
    print("RSS ratio = after / before the soak.")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("--json")
    args = parser.parse_args()
    results = Path(args.results)
    runs, table = summarise(results)
    if not table:
        sys.exit("report: no results")
    print_table(table, runs)
    if args.json:
        meta = {**read_json(results / "meta.json"), "host": read_json(results / "host.json")}
        detail = {run.name: {"hedgebus": read_json(run / "hedgebus.json"), "single": read_json(run / "single.json"),
                             "python": read_json(run / "python.json"), "raw": read_json(run / "raw.json"),
                             "baselines": read_jsonl(run / "baselines.jsonl"),
                             "hop_bracket": read_jsonl(run / "hop-bracket.jsonl"),
                             "hop_rounds": read_jsonl(run / "hop-rounds.jsonl"),
                             "hop_one_cpu": read_jsonl(run / "hop-one-cpu.jsonl"),
                             "replicas": {p.stem: read_json(p) for p in sorted(run.glob("replicas*.json"))},
                             "otlp": {**read_json(run / "otlp.json"), "sink": read_json(run / "otlp" / "sink.json")},
                             "watched": {**read_json(run / "watched.json"), "recording": read_json(run / "watched-trace.json")}}
                  for run in runs}
        Path(args.json).write_text(json.dumps({**meta, "rows": table, "runs_detail": detail}, indent=2) + "\n")


if __name__ == "__main__":
    main()
