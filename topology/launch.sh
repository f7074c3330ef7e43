#!/usr/bin/env bash
# Start, stop and watch a HedgeBus topology: the bus and the five agents as separate processes.
#
#   ./topology/launch.sh up       [--topology FILE]   build if needed (release), start everything, wait until alive
#   ./topology/launch.sh down     [--topology FILE]   SIGTERM everything (SIGKILL after a timeout); the ledger stays
#   ./topology/launch.sh status   [--topology FILE]   which processes are alive
#   ./topology/launch.sh logs AGENT                   follow one process's log (bus, market-maker, …)
#   ./topology/launch.sh demo     [--topology FILE]   up, inject topology/signals.jsonl, show traces and inventory, down
#   --debug   up and demo build and run the debug build instead of the optimized (release) one
#
# Pids, logs and the demo's trace recording live in run/ at the repository root (git-ignored).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${HEDGEBUS_RUN_DIR:-$ROOT/run}"
TOPOLOGY="$ROOT/topology/default.json"
PROCESSES=(bus market-maker quant-analyst risk-manager execution-agent trading-director)
STOP_TIMEOUT="${HEDGEBUS_STOP_TIMEOUT:-10}"

usage() { sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
say() { printf 'hedgebus: %s\n' "$*"; }
fail() { printf 'hedgebus: %s\n' "$*" >&2; exit 1; }

command="${1:-}"; [ $# -gt 0 ] && shift
agent_arg=""
CONFIG=release
while [ $# -gt 0 ]; do
  case "$1" in
    --debug) CONFIG=debug; shift ;;
    --topology) [ $# -ge 2 ] || fail "--topology needs a file"; TOPOLOGY="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) if [ "$command" = logs ] && [ -z "$agent_arg" ]; then agent_arg="$1"; shift; else fail "unknown argument '$1' (see --help)"; fi ;;
  esac
done
[ -f "$TOPOLOGY" ] || fail "topology file '$TOPOLOGY' not found"

bin_dir() { (cd "$ROOT" && swift build -c "$CONFIG" --show-bin-path 2>/dev/null); }

build() {
  "$ROOT/scripts/ensure-deps"
  say "building the $CONFIG build (swift build -c $CONFIG; the first build takes a few minutes)…"
  if ! (cd "$ROOT" && swift build -c "$CONFIG" 2>&1 | sed -E '/prohibited flag|-isystem/d' | tail -n 5); then
    fail "swift build -c $CONFIG failed (the lines above say why)"
  fi
  BIN="$(bin_dir)"
  for p in "${PROCESSES[@]}" hedgectl; do [ -x "$BIN/$p" ] || fail "build did not produce $BIN/$p"; done
}

pid_of() { local f="$RUN_DIR/pids/$1.pid"; [ -f "$f" ] && cat "$f" || true; }
alive() { local pid; pid="$(pid_of "$1")"; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }
any_alive() { for p in "${PROCESSES[@]}"; do alive "$p" && return 0; done; return 1; }

# Every port the topology binds, as "name port" lines.
topology_ports() {
  python3 - "$TOPOLOGY" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
rows = [("bus.publish", t["bus"]["publish"]), ("bus.subscribe", t["bus"]["subscribe"])]
if t["bus"].get("capture"): rows.append(("bus.capture", t["bus"]["capture"]))
for name, entry in t["agents"].items(): rows.append((name, entry.get("bind") or entry["endpoint"]))
for name, endpoint in rows:
    if endpoint.startswith("tcp://"): print(name, endpoint.rsplit(":", 1)[1])
PY
}

check_ports() {
  local busy=""
  while read -r name port; do
    command -v ss >/dev/null || return 0
    if ss -ltnH "sport = :$port" 2>/dev/null | grep -q .; then busy="$busy"$'\n'"  port $port ($name) is already in use"; fi
  done < <(topology_ports)
  [ -z "$busy" ] || fail "cannot start:$busy"$'\n'"Stop whatever holds it (ss -ltnp 'sport = :PORT' shows the process) or change the port in $TOPOLOGY."
}

up() {
  if any_alive; then
    say "a topology is already running (run/pids); nothing changed."
    status
    return 0
  fi
  build
  check_ports
  mkdir -p "$RUN_DIR/pids" "$RUN_DIR/logs"
  echo "$TOPOLOGY" > "$RUN_DIR/topology"
  echo "$CONFIG" > "$RUN_DIR/build"
  for p in "${PROCESSES[@]}"; do
    extra=()
    # The MarketMaker's ledger lives in the run folder: a later `up` restores its state.
    [ "$p" = market-maker ] && extra=(--ledger "$RUN_DIR/ledger.sqlite")
    # The director's closed trades and portfolio snapshots, read by `hedgectl report`.
    [ "$p" = trading-director ] && extra=(--analytics "$RUN_DIR/analytics.sqlite")
    "$BIN/$p" --topology "$TOPOLOGY" "${extra[@]}" >"$RUN_DIR/logs/$p.log" 2>&1 &
    echo $! > "$RUN_DIR/pids/$p.pid"
  done
  if ! "$BIN/hedgectl" status --topology "$TOPOLOGY" --wait 30 --quiet; then
    for p in "${PROCESSES[@]}"; do
      alive "$p" || { say "$p exited; the end of run/logs/$p.log:"; tail -n 5 "$RUN_DIR/logs/$p.log" | sed 's/^/    /'; }
    done
    down >/dev/null
    fail "the topology did not come up (logs in $RUN_DIR/logs)"
  fi
  say "topology up ($(basename "$TOPOLOGY")); logs in ${RUN_DIR#$ROOT/}/logs"
  "$BIN/hedgectl" status --topology "$TOPOLOGY" || true
}

down() {
  local pids=() names=()
  for p in "${PROCESSES[@]}"; do
    if alive "$p"; then pids+=("$(pid_of "$p")"); names+=("$p"); fi
  done
  [ -f "$RUN_DIR/pids/recorder.pid" ] && kill -TERM "$(cat "$RUN_DIR/pids/recorder.pid")" 2>/dev/null || true
  if [ ${#pids[@]} -eq 0 ]; then say "nothing is running"; rm -f "$RUN_DIR"/pids/*.pid; return 0; fi
  # Agents first, the bus last, so their final messages can still leave.
  for i in $(seq $((${#pids[@]} - 1)) -1 0); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  local deadline=$((SECONDS + STOP_TIMEOUT))
  for i in "${!pids[@]}"; do
    while kill -0 "${pids[$i]}" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    if kill -0 "${pids[$i]}" 2>/dev/null; then
      say "${names[$i]} (pid ${pids[$i]}) ignored SIGTERM for ${STOP_TIMEOUT}s; sending SIGKILL"
      kill -KILL "${pids[$i]}" 2>/dev/null || true
    fi
  done
  rm -f "$RUN_DIR"/pids/*.pid
  say "stopped ${names[*]}"
}

status() {
  # The hedgectl of the build the topology was started with.
  [ -f "$RUN_DIR/build" ] && CONFIG="$(cat "$RUN_DIR/build")"
  BIN="$(bin_dir)"
  [ -x "$BIN/hedgectl" ] || fail "not built yet: run ./topology/launch.sh up"
  "$BIN/hedgectl" status --topology "$TOPOLOGY"
}

logs() {
  [ -n "$agent_arg" ] || fail "which log? one of: ${PROCESSES[*]}"
  local f="$RUN_DIR/logs/$agent_arg.log"
  [ -f "$f" ] || fail "no log for '$agent_arg' in ${RUN_DIR#$ROOT/}/logs (one of: ${PROCESSES[*]})"
  if alive "$agent_arg"; then exec tail -n 50 -f "$f"; else cat "$f"; fi
}

demo() {
  if any_alive; then fail "a topology is already running; stop it first with ./topology/launch.sh down"; fi
  # The demo starts from the topology's balances, not from an earlier run's ledger.
  rm -f "$RUN_DIR"/ledger.sqlite "$RUN_DIR"/ledger.sqlite-wal "$RUN_DIR"/ledger.sqlite-shm
  rm -f "$RUN_DIR"/analytics.sqlite "$RUN_DIR"/analytics.sqlite-wal "$RUN_DIR"/analytics.sqlite-shm
  up
  trap 'down >/dev/null 2>&1 || true' EXIT
  local recording="$RUN_DIR/trace.jsonl" ready="$RUN_DIR/recorder.ready"
  rm -f "$recording" "$ready"
  "$BIN/hedgectl" trace --topology "$TOPOLOGY" --record "$recording" --quiet --ready-file "$ready" 2>"$RUN_DIR/logs/recorder.log" &
  echo $! > "$RUN_DIR/pids/recorder.pid"
  local waited=0
  while [ ! -f "$ready" ]; do
    kill -0 "$(cat "$RUN_DIR/pids/recorder.pid")" 2>/dev/null || fail "the trace recorder exited: $(cat "$RUN_DIR/logs/recorder.log")"
    [ $waited -lt 100 ] || fail "the trace recorder saw no heartbeats from every process within 10s"
    sleep 0.1; waited=$((waited + 1))
  done
  echo
  say "the QuantAnalyst's reading once it has enough ticks for every indicator (the RiskManager's stops need the ATR):"
  "$BIN/hedgectl" analyze --topology "$TOPOLOGY" BTC-USD ETH-USD --until-ready 30 || say "the ATR is not ready yet: stops fall back to the topology's assumed percentage"
  echo
  say "injecting $(grep -vc '^\s*\(#\|$\)' "$ROOT/topology/signals.jsonl") signals from topology/signals.jsonl; each decision prints as it arrives:"
  "$BIN/hedgectl" inject --topology "$TOPOLOGY" --file "$ROOT/topology/signals.jsonl" --rate 4 | tee "$RUN_DIR/decisions.txt" || say "some signals got no decision"
  local outcome
  outcome="$(tail -n 1 "$RUN_DIR/decisions.txt")"
  echo
  say "positions the TradingDirector opened and now watches (stop, take-profit targets, time stop):"
  "$BIN/hedgectl" positions --topology "$TOPOLOGY" || true
  say "waiting for their exits (at most 40 s; the topology's time stop closes whatever is left)…"
  if "$BIN/hedgectl" positions --topology "$TOPOLOGY" --until-flat 40 >/dev/null; then
    say "every position is closed; the exits:"
  else
    say "some positions are still open after 40 s; the exits so far:"
  fi
  # On SIGTERM the recorder keeps reading until every process has sent a later heartbeat, so
  # the hop events that trail the last decisions are in the recording too.
  kill -TERM "$(cat "$RUN_DIR/pids/recorder.pid")" 2>/dev/null || true
  wait "$(cat "$RUN_DIR/pids/recorder.pid")" 2>/dev/null || true
  rm -f "$RUN_DIR/pids/recorder.pid"
  "$BIN/hedgectl" trace --from "$recording" --type exit --type decision | grep -E '▶ exit|at exit:' || true
  echo
  say "each signal's cycle as a tree (time since the signal, every req/rep hop with its duration):"
  echo
  "$BIN/hedgectl" trace show --from "$recording"
  say "latency per hop type and end to end ($CONFIG build of the agents):"
  "$BIN/hedgectl" trace stats --from "$recording"
  echo
  "$BIN/hedgectl" report --from "$recording" --html "$RUN_DIR/report.html" >/dev/null
  say "analytics of the run (the full report with charts is ${RUN_DIR#$ROOT/}/report.html):"
  "$BIN/hedgectl" report --from "$recording"
  echo
  say "closed trades and portfolio snapshots the TradingDirector recorded (${RUN_DIR#$ROOT/}/analytics.sqlite):"
  "$BIN/hedgectl" report --db "$RUN_DIR/analytics.sqlite" || true
  echo
  say "final inventory at the MarketMaker:"
  "$BIN/hedgectl" inventory --topology "$TOPOLOGY"
  echo
  down
  local rel="${recording#$ROOT/}" first
  first="$(grep -m1 '"type":"signal"' "$recording" | sed -E 's/.*"trace_id":"([0-9a-f]{8}).*/\1/')"
  cat <<SUMMARY

What happened: the bus and five agents started as separate processes; every signal went
TradingDirector → QuantAnalyst (analyze) → RiskManager (assess, asking the MarketMaker for
inventory) → ExecutionAgent (execute) → MarketMaker (order.submit), and ended in one decision.
  ${outcome}
Everything that crossed the bus, including each req/rep hop, is recorded in ${rel}. Look again with:
  .build/$CONFIG/hedgectl trace --from ${rel}                       # the timeline
  .build/$CONFIG/hedgectl trace show ${first} --from ${rel} --mermaid   # one cycle as a sequence diagram
  .build/$CONFIG/hedgectl trace stats --from ${rel}                 # latency table
  .build/$CONFIG/hedgectl report --from ${rel} --html report.html   # charts, fills, rejections, analytics
The HTML report of this run: ${RUN_DIR#$ROOT/}/report.html (self-contained; open it in any browser).
Run it live: ./topology/launch.sh up, then hedgectl trace in one terminal and hedgectl inject in another.
SUMMARY
  trap - EXIT
}

case "$command" in
  up) up ;;
  down) down ;;
  status) status ;;
  logs) logs ;;
  demo) demo ;;
  ""|-h|--help|help) usage ;;
  *) fail "unknown command '$command' (up, down, status, logs AGENT, demo)" ;;
esac
