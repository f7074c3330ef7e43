#!/usr/bin/env bash
# Start, stop and watch a HedgeBus topology: the bus and the five agents as separate processes
# (or, with --one-process, all of them in one).
#
#   ./topology/launch.sh up       [--topology FILE]   build if needed (release), start everything under a
#                                                     supervisor, wait until alive; on a partly running
#                                                     topology start just what is missing
#   ./topology/launch.sh down     [--topology FILE]   stop the supervisor, then SIGTERM everything (SIGKILL
#                                                     after a timeout); the ledger stays
#   ./topology/launch.sh status   [--topology FILE]   which processes are alive, their pids and restarts
#   ./topology/launch.sh logs AGENT                   follow one process's log (bus, market-maker, …, supervisor)
#   ./topology/launch.sh demo     [--topology FILE]   up, inject topology/signals.jsonl, show traces and inventory, down
#                                                     (--topology topology/secure.json: the same with CURVE on;
#                                                     keys are made in run/keys on first use)
#   --debug          up and demo build and run the debug build instead of the optimized (release) one
#   --run-dir DIR    pids, logs and state in DIR instead of run/ (or HEDGEBUS_RUN_DIR)
#   --no-build       up and demo use the executables already built, without running swift build
#   --bin-dir DIR    run the executables in DIR (implies --no-build; no swift command is run at all)
#   --only LIST      up, down and status handle only these processes (comma-separated: bus and agent
#                    names, an agent's broker and replicas included): one host of a topology spread
#                    over several; later commands on the same run folder keep to them
#   --one-process    up and demo run the bus and the five agents in one process (all-agents), their
#                    messages to each other passed in memory: the fastest layout on one host (not
#                    with CURVE, replicas or an agent's own command); later commands on the same
#                    run folder keep to it
#
# A supervisor (scripts/supervise) restarts a process that exits, after 0.5 s doubling to 30 s
# (back to 0.5 s once it has stayed up a minute), and logs each restart to run/supervisor.log.
# Pids, logs and the demo's trace recording live in run/ at the repository root (git-ignored).
# An agent whose topology entry names a `command` (topology/python-analyst.json) runs that instead.
# An agent with `replicas` above 1 runs as a broker (`bus broker --agent NAME`, supervised and
# tracked as NAME-broker) and NAME#1…NAME#N (`NAME --replica I`), each with its own pid and log.
set -euo pipefail
# Pids, logs, state and the supervisor's files are the owner's alone.
umask 077

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${HEDGEBUS_RUN_DIR:-$ROOT/run}"
TOPOLOGY="$ROOT/topology/default.json"
EXECUTABLES=(bus market-maker quant-analyst risk-manager execution-agent trading-director all-agents)
STOP_TIMEOUT="${HEDGEBUS_STOP_TIMEOUT:-10}"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }
say() { printf 'hedgebus: %s\n' "$*"; }
fail() { printf 'hedgebus: %s\n' "$*" >&2; exit 1; }
absolute() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }

command="${1:-}"; [ $# -gt 0 ] && shift
agent_arg=""
CONFIG=release
CONFIG_GIVEN=0
TOPOLOGY_GIVEN=0
NO_BUILD=0
BIN_GIVEN=""
ONLY=""
ONLY_GIVEN=0
LAYOUT=processes
LAYOUT_GIVEN=0
while [ $# -gt 0 ]; do
  case "$1" in
    --debug) CONFIG=debug; CONFIG_GIVEN=1; shift ;;
    --topology) [ $# -ge 2 ] || fail "--topology needs a file"; [ -f "$2" ] || fail "topology file '$2' not found"
                TOPOLOGY="$(absolute "$2")"; TOPOLOGY_GIVEN=1; shift 2 ;;
    --run-dir) [ $# -ge 2 ] || fail "--run-dir needs a folder"; mkdir -p "$2"; RUN_DIR="$(cd "$2" && pwd)"; shift 2 ;;
    --no-build) NO_BUILD=1; shift ;;
    --bin-dir) [ $# -ge 2 ] || fail "--bin-dir needs a folder"; [ -d "$2" ] || fail "--bin-dir: no folder '$2'"
               BIN_GIVEN="$(cd "$2" && pwd)"; NO_BUILD=1; shift 2 ;;
    --only) [ $# -ge 2 ] && [ -n "${2//,/}" ] || fail "--only needs a comma-separated list of processes (bus,market-maker,…)"
            for p in ${2//,/ }; do
              case " bus market-maker quant-analyst risk-manager execution-agent trading-director " in
                *" $p "*) ;; *) fail "--only: '$p' is neither the bus nor an agent (bus, market-maker, quant-analyst, risk-manager, execution-agent, trading-director)" ;;
              esac
            done
            ONLY="$2"; ONLY_GIVEN=1; shift 2 ;;
    --one-process) LAYOUT=one-process; LAYOUT_GIVEN=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) if [ "$command" = logs ] && [ -z "$agent_arg" ]; then agent_arg="$1"; shift; else fail "unknown argument '$1' (see --help)"; fi ;;
  esac
done
[ -f "$TOPOLOGY" ] || fail "topology file '$TOPOLOGY' not found"
[ "$LAYOUT" = processes ] || [ -z "$ONLY" ] || fail "--one-process runs everything in one process; --only is for a topology of separate processes"
SHOW_RUN="${RUN_DIR#$ROOT/}"

# The processes of the topology in start order: the bus, then per agent either the agent or, when
# it has replicas, its broker and each replica; with --one-process, all-agents alone.
topology_processes() {
  python3 - "$TOPOLOGY" "$LAYOUT" <<'PY'
import json, sys
agents = json.load(open(sys.argv[1]))["agents"]
if sys.argv[2] == "one-process":
    print("all-agents")
    sys.exit(0)
print("bus")
for name in ["market-maker", "quant-analyst", "risk-manager", "execution-agent", "trading-director"]:
    replicas = int((agents.get(name) or {}).get("replicas") or 1)
    if replicas > 1:
        print(name + "-broker")
        for index in range(1, replicas + 1): print(f"{name}#{index}")
    else:
        print(name)
PY
}
# With --only, the processes of the named bus and agents (a broker and replicas go with their agent).
load_processes() {
  mapfile -t PROCESSES < <(topology_processes) || true
  [ ${#PROCESSES[@]} -gt 0 ] || fail "cannot read the agents of $TOPOLOGY"
  [ -n "$ONLY" ] || return 0
  local p kept=() base
  for p in "${PROCESSES[@]}"; do
    base="${p%%#*}"; base="${base%-broker}"
    [[ ",$ONLY," == *",$base,"* ]] && kept+=("$p")
  done
  PROCESSES=("${kept[@]}")
}
# The --only list for hedgectl status, when there is one.
only_args() { [ -z "$ONLY" ] || printf '%s\n' --only "$ONLY"; }

bin_dir() {
  if [ -n "$BIN_GIVEN" ]; then echo "$BIN_GIVEN"; else (cd "$ROOT" && swift build -c "$CONFIG" --show-bin-path 2>/dev/null); fi
}

check_built() { for p in "${EXECUTABLES[@]}" hedgectl; do [ -x "$BIN/$p" ] || fail "$1 $BIN/$p"; done; }

build() {
  if [ "$NO_BUILD" = 1 ]; then
    BIN="$(bin_dir)"
    check_built "not built (--no-build/--bin-dir run no build):"
    return 0
  fi
  "$ROOT/scripts/ensure-deps"
  say "building the $CONFIG build (swift build -c $CONFIG; the first build takes a few minutes)…"
  if ! (cd "$ROOT" && swift build -c "$CONFIG" 2>&1 | sed -E '/prohibited flag|-isystem|use of .mktemp/d' | tail -n 5); then
    fail "swift build -c $CONFIG failed (the lines above say why)"
  fi
  BIN="$(bin_dir)"
  check_built "build did not produce"
}

# The executable a process runs: a broker runs the bus's, a replica its agent's.
executable_of() { case "$1" in *-broker) echo bus ;; *) echo "${1%%#*}" ;; esac; }

# Whether PID is a running (not zombie) process called NAME, so a recycled pid never counts.
pid_is() {
  local name stat comm pid="$2"
  name="${1%%#*}"; [[ "$name" != *-broker ]] || name=bus   # a replica runs its agent's executable, a broker the bus's
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  if [ -d /proc/self ]; then
    read -r stat 2>/dev/null <"/proc/$pid/stat" || return 1
    stat="${stat##*) }"
    [ "${stat:0:1}" != Z ] || return 1
    if [ "$name" = supervisor ]; then
      grep -qa 'scripts/supervise' "/proc/$pid/cmdline" 2>/dev/null
    else
      read -r comm 2>/dev/null <"/proc/$pid/comm" || return 1
      [ "$comm" = "${name:0:15}" ]
    fi
  else
    kill -0 "$pid" 2>/dev/null
  fi
}
pid_of() { local f="$RUN_DIR/pids/$1.pid"; [ -f "$f" ] && cat "$f" || true; }
alive() { pid_is "$1" "$(pid_of "$1")"; }
any_alive() { for p in "${PROCESSES[@]}"; do alive "$p" && return 0; done; return 1; }
missing() { local p; for p in "${PROCESSES[@]}"; do alive "$p" || echo "$p"; done; }

# Every port the topology binds, as "name port" lines.
topology_ports() {
  python3 - "$TOPOLOGY" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
bus = t["bus"]
rows = [("bus.publish", bus.get("publish_bind") or bus["publish"]), ("bus.subscribe", bus.get("subscribe_bind") or bus["subscribe"])]
if bus.get("capture"): rows.append(("bus.capture", bus.get("capture_bind") or bus["capture"]))
for name, entry in t["agents"].items():
    # A replicated agent's endpoint and backend are the broker's.
    owner = name + "-broker" if int(entry.get("replicas") or 1) > 1 else name
    rows.append((owner, entry.get("bind") or entry["endpoint"]))
    if entry.get("backend"): rows.append((owner, entry.get("backend_bind") or entry["backend"]))
for name, endpoint in rows:
    if endpoint.startswith("tcp://"): print(name, endpoint.rsplit(":", 1)[1])
PY
}

# Without --topology, a topology still running from this run folder (a process or its supervisor
# alive) decides the processes; otherwise TOPOLOGY does. Without --only, so does the --only list
# it was started with.
settle_topology() {
  local recorded given="$TOPOLOGY"
  if [ "$LAYOUT_GIVEN" = 0 ] && [ "$(cat "$RUN_DIR/layout" 2>/dev/null || true)" = one-process ]; then
    LAYOUT=one-process; load_processes
    any_alive || pid_is supervisor "$(pid_of supervisor)" || LAYOUT=processes
  fi
  if [ "$ONLY_GIVEN" = 0 ] && [ -s "$RUN_DIR/only" ]; then
    ONLY="$(cat "$RUN_DIR/only")"; load_processes
    any_alive || pid_is supervisor "$(pid_of supervisor)" || ONLY=""
  fi
  recorded="$(cat "$RUN_DIR/topology" 2>/dev/null || true)"
  if [ "$TOPOLOGY_GIVEN" = 0 ] && [ -n "$recorded" ] && [ -f "$recorded" ] && [ "$recorded" != "$TOPOLOGY" ]; then
    TOPOLOGY="$recorded"; load_processes
    if any_alive || pid_is supervisor "$(pid_of supervisor)"; then return 0; fi
    TOPOLOGY="$given"
  fi
  load_processes
}

# The ports of the processes named in the arguments (all of them without arguments) must be free.
check_ports() {
  local busy="" only=" $* "
  command -v ss >/dev/null || return 0
  while read -r name port; do
    [ $# -eq 0 ] || [[ "$only" == *" ${name%%.*} "* ]] || continue
    if ss -ltnH "sport = :$port" 2>/dev/null | grep -q .; then busy="$busy"$'\n'"  port $port ($name) is already in use"; fi
  done < <(topology_ports)
  [ -z "$busy" ] || fail "cannot start:$busy"$'\n'"Stop whatever holds it (ss -ltnp 'sport = :PORT' shows the process) or change the port in $TOPOLOGY."
}

# The folder the supervisor starts processes from: the build's, or, when the topology names a
# `command` for an agent (e.g. the Python QuantAnalyst), RUN_DIR/agents-bin: links to the build's
# executables and, for each such agent, a script named after it that runs the command from the
# topology's folder (with --topology FILE appended, as for the others) and passes SIGTERM and
# SIGINT on. The script, not the command, is the supervised process: its name is the agent's
# from the first instant, which is how the supervisor and `status` recognise a live process.
supervised_bin() {
  local commands dir="$RUN_DIR/agents-bin" folder name command p
  commands="$(python3 - "$TOPOLOGY" <<'PY'
import json, shlex, sys
for name, entry in json.load(open(sys.argv[1]))["agents"].items():
    if entry.get("command"): print(name, shlex.join(entry["command"]))
PY
)" || fail "cannot read the agents of $TOPOLOGY"
  if [ -z "$commands" ]; then echo "$BIN"; return 0; fi
  folder="$(cd "$(dirname "$TOPOLOGY")" && pwd)"
  rm -rf "$dir" && mkdir -p "$dir"
  for p in "${EXECUTABLES[@]}"; do ln -s "$BIN/$p" "$dir/$p"; done
  while read -r name command; do
    rm -f "$dir/$name"
    {
      printf '#!/bin/bash\n# %s: the command its topology entry names, run from the topology folder.\n' "$name"
      printf 'cd %q || exit 1\n' "$folder"
      printf 'HEDGEBUS_EXIT_WITH_PARENT=1 %s "$@" &\n' "$command"
      printf 'child=$!\n'
      printf 'trap '"'"'kill -TERM "$child" 2>/dev/null'"'"' TERM INT\n'
      printf 'while :; do wait "$child"; status=$?; kill -0 "$child" 2>/dev/null || exit "$status"; done\n'
    } >"$dir/$name"
    chmod +x "$dir/$name"
  done <<<"$commands"
  echo "$dir"
}

# Starts the supervisor, which starts every process of PROCESSES not already running (and adopts
# the others), and waits until it has recorded a pid for each.
start_supervisor() {
  rm -f "$RUN_DIR/pids/supervisor.pid"
  local launcher=() bin
  bin="$(supervised_bin)"
  command -v setsid >/dev/null && launcher=(setsid --wait)   # its own session: a terminal's Ctrl-C or hang-up does not reach it; --wait keeps $! alive as long as the supervisor if setsid has to fork
  "${launcher[@]}" "$ROOT/scripts/supervise" "$RUN_DIR" "$bin" "$TOPOLOGY" "${PROCESSES[@]}" \
    </dev/null >>"$RUN_DIR/logs/supervisor.out" 2>&1 &
  # Waits as long as the supervisor is alive and still starting processes (a loaded machine can
  # take many seconds for a large topology), up to HEDGEBUS_SUPERVISOR_START_S; a supervisor that
  # exits fails at once.
  local started=$! deadline=$((SECONDS + ${HEDGEBUS_SUPERVISOR_START_S:-60})) p
  local logs="see $SHOW_RUN/logs/supervisor.out and $SHOW_RUN/supervisor.log"
  while :; do
    local ready=1
    pid_is supervisor "$(pid_of supervisor)" || ready=0
    for p in "${PROCESSES[@]}"; do [ -f "$RUN_DIR/pids/$p.pid" ] || ready=0; done
    [ "$ready" = 0 ] || break
    kill -0 "$started" 2>/dev/null || fail "the supervisor exited before starting every process ($logs)"
    [ $SECONDS -lt $deadline ] || fail "the supervisor did not start every process within ${HEDGEBUS_SUPERVISOR_START_S:-60} s ($logs)"
    sleep 0.1
  done
}

# A topology with security.curve on needs a keypair per identity it names: make the missing ones
# (hedgectl keys keeps existing keys; files 0600 in a folder 0700).
ensure_keys() {
  grep -Eq '"curve"[[:space:]]*:[[:space:]]*true' "$TOPOLOGY" || return 0
  local made
  made="$("$BIN/hedgectl" keys --topology "$TOPOLOGY")" || fail "cannot make the CURVE keys the topology needs (hedgectl keys --topology $TOPOLOGY)"
  if grep -q $'\tnew$' <<<"$made"; then
    say "CURVE on: made keys for $(grep $'\tnew$' <<<"$made" | cut -f1 | tr '\n' ' ')in $(tail -n 1 <<<"$made" | sed 's/^keys in //')"
  else
    say "CURVE on: keys in $(tail -n 1 <<<"$made" | sed 's/^keys in //')"
  fi
}

# Waits until every process answers; on failure shows why, stops everything and fails.
await_up() {
  if ! "$BIN/hedgectl" status --topology "$TOPOLOGY" --wait 30 --quiet $(only_args); then
    for p in "${PROCESSES[@]}"; do
      alive "$p" || { say "$p is not running; the end of $SHOW_RUN/logs/$p.log:"; tail -n 5 "$RUN_DIR/logs/$p.log" | sed 's/^/    /'; }
    done
    say "the end of $SHOW_RUN/supervisor.log:"; tail -n 8 "$RUN_DIR/supervisor.log" 2>/dev/null | sed 's/^/    /'
    down >/dev/null
    fail "the topology did not come up (logs in $SHOW_RUN/logs)"
  fi
}

up() {
  local supervised=0 absent
  pid_is supervisor "$(pid_of supervisor)" && supervised=1
  absent="$(missing | tr '\n' ' ')"; absent="${absent% }"
  if any_alive || [ "$supervised" = 1 ]; then
    # Part of a topology (or all of it) is running from this run folder: keep it, start what is missing.
    if [ "$supervised" = 1 ] && [ -z "$absent" ]; then
      say "the topology is already running and supervised ($SHOW_RUN/pids); nothing changed."
      status || true
      return 0
    fi
    local recorded; recorded="$(cat "$RUN_DIR/topology" 2>/dev/null || true)"
    if [ -n "$recorded" ] && [ "$recorded" != "$TOPOLOGY" ]; then
      [ "$TOPOLOGY_GIVEN" = 0 ] || fail "$SHOW_RUN holds a running topology from $recorded, not $TOPOLOGY: stop it first with ./topology/launch.sh down"
      TOPOLOGY="$recorded"
    fi
    # The missing processes run the build the others were started from.
    [ -f "$RUN_DIR/build" ] && [ "$CONFIG_GIVEN" = 0 ] && CONFIG="$(cat "$RUN_DIR/build")"
    BIN="$(cat "$RUN_DIR/bin" 2>/dev/null || true)"
    [ -n "$BIN_GIVEN" ] && BIN="$BIN_GIVEN"
    [ -n "$BIN" ] || BIN="$(bin_dir)"
    check_built "cannot start the missing processes: no"
    ensure_keys
    if [ "$supervised" = 1 ]; then
      # Its supervisor is waiting out a back-off: start them now.
      say "starting ${absent} now (the supervisor, pid $(pid_of supervisor), was waiting out its back-off)"
      kill -USR1 "$(pid_of supervisor)"
    else
      [ -z "$absent" ] || check_ports $absent
      say "a topology is partly running in $SHOW_RUN; starting ${absent:-no process (all are running)} and a supervisor"
      start_supervisor
    fi
    await_up
    say "topology up ($(basename "$TOPOLOGY")); logs in $SHOW_RUN/logs"
    status || true
    return 0
  fi
  build
  check_ports $([ -z "$ONLY" ] || echo "${PROCESSES[@]}")
  ensure_keys
  mkdir -p "$RUN_DIR/pids" "$RUN_DIR/logs"
  # A fresh start: no pid, restart count or log from an earlier run.
  rm -f "$RUN_DIR"/pids/*.pid "$RUN_DIR"/supervisor/* "$RUN_DIR/supervisor.log" "$RUN_DIR/logs/supervisor.out"
  for p in "${PROCESSES[@]}"; do : >"$RUN_DIR/logs/$p.log"; done
  echo "$TOPOLOGY" > "$RUN_DIR/topology"
  if [ -n "$ONLY" ]; then echo "$ONLY" > "$RUN_DIR/only"; else rm -f "$RUN_DIR/only"; fi
  echo "$LAYOUT" > "$RUN_DIR/layout"
  echo "$CONFIG" > "$RUN_DIR/build"
  echo "$BIN" > "$RUN_DIR/bin"
  start_supervisor
  await_up
  say "topology up ($(basename "$TOPOLOGY")), supervised by pid $(pid_of supervisor); logs in $SHOW_RUN/logs"
  "$BIN/hedgectl" status --topology "$TOPOLOGY" $(only_args) || true
}

# Stops the supervisor (by its recorded pid) so that nothing is restarted from here on.
stop_supervisor() {
  local pid; pid="$(pid_of supervisor)"
  if pid_is supervisor "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 5))
    while pid_is supervisor "$pid" && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    if pid_is supervisor "$pid"; then
      say "the supervisor (pid $pid) ignored SIGTERM for 5s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    STOPPED_SUPERVISOR=1
  fi
  rm -f "$RUN_DIR/pids/supervisor.pid"
}

down() {
  STOPPED_SUPERVISOR=0
  stop_supervisor
  local pids=() names=()
  for p in "${PROCESSES[@]}"; do
    if alive "$p"; then pids+=("$(pid_of "$p")"); names+=("$p"); fi
  done
  [ -f "$RUN_DIR/pids/recorder.pid" ] && kill -TERM "$(cat "$RUN_DIR/pids/recorder.pid")" 2>/dev/null || true
  if [ ${#pids[@]} -eq 0 ]; then
    if [ "$STOPPED_SUPERVISOR" = 1 ]; then say "stopped the supervisor; no process was running"; else say "nothing is running"; fi
    rm -f "$RUN_DIR"/pids/*.pid; return 0
  fi
  # Agents first, the bus last, so their final messages can still leave.
  for i in $(seq $((${#pids[@]} - 1)) -1 0); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  local deadline=$((SECONDS + STOP_TIMEOUT))
  for i in "${!pids[@]}"; do
    while pid_is "${names[$i]}" "${pids[$i]}" && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    if pid_is "${names[$i]}" "${pids[$i]}"; then
      say "${names[$i]} (pid ${pids[$i]}) ignored SIGTERM for ${STOP_TIMEOUT}s; sending SIGKILL"
      kill -KILL "${pids[$i]}" 2>/dev/null || true
    fi
  done
  rm -f "$RUN_DIR"/pids/*.pid
  say "stopped ${names[*]}$([ "$STOPPED_SUPERVISOR" = 1 ] && echo " and their supervisor")"
}

# Per process: alive, pid, restarts, the last restart and why (from the supervisor's files).
supervision() {
  local spid now_ms; spid="$(pid_of supervisor)"
  now_ms="${EPOCHREALTIME//[.,]/}"; now_ms=$((10#$now_ms / 1000))
  if pid_is supervisor "$spid"; then
    say "supervisor: pid $spid — restarts a process that exits (log: $SHOW_RUN/supervisor.log)"
  else
    say "supervisor: not running — nothing restarts a process that exits (./topology/launch.sh up starts one)"
  fi
  printf '%-22s %-6s %-8s %-9s %-25s %s\n' SUPERVISED ALIVE PID RESTARTS "LAST RESTART" REASON
  local p pid state restarts backoff cap due last why
  for p in "${PROCESSES[@]}"; do
    pid="$(pid_of "$p")"; state=no
    pid_is "$p" "$pid" && state=yes || pid=""
    restarts=0 backoff=0 cap=0 due=- last=- why=-
    [ -f "$RUN_DIR/supervisor/$p" ] && IFS=$'\t' read -r restarts backoff cap due last why <"$RUN_DIR/supervisor/$p"
    if [ "$state" = no ] && [[ "$due" =~ ^[0-9]+$ ]]; then
      local wait_ms=$(( due - now_ms )); [ $wait_ms -ge 0 ] || wait_ms=0
      why="$why; restart #$((restarts + 1)) in $((wait_ms / 1000)).$((wait_ms % 1000 / 100)) s"
    fi
    if [ "$cap" -gt 0 ] && [ "$backoff" -ge "$cap" ]; then why="$why; crashing repeatedly: retried every $((cap / 1000)) s"; fi
    printf '%-22s %-6s %-8s %-9s %-25s %s\n' "$p" "$state" "${pid:--}" "$restarts" "$last" "$why"
  done
}

status() {
  # The hedgectl of the build the topology was started with.
  [ -f "$RUN_DIR/build" ] && [ "$CONFIG_GIVEN" = 0 ] && CONFIG="$(cat "$RUN_DIR/build")"
  local rc=0 recorded
  if [ -n "$BIN_GIVEN" ]; then BIN="$BIN_GIVEN"; else BIN="$(cat "$RUN_DIR/bin" 2>/dev/null || true)"; fi
  [ -n "$BIN" ] || BIN="$(bin_dir)"
  recorded="$(cat "$RUN_DIR/topology" 2>/dev/null || true)"
  [ "$TOPOLOGY_GIVEN" = 1 ] || [ -z "$recorded" ] || [ ! -f "$recorded" ] || TOPOLOGY="$recorded"
  if [ -x "$BIN/hedgectl" ]; then
    "$BIN/hedgectl" status --topology "$TOPOLOGY" $(only_args) || rc=$?
  else
    say "not built yet: run ./topology/launch.sh up"; rc=1
  fi
  echo
  supervision
  return $rc
}

logs() {
  [ -n "$agent_arg" ] || fail "which log? one of: ${PROCESSES[*]} supervisor"
  local f="$RUN_DIR/logs/$agent_arg.log"
  if [ "$agent_arg" = supervisor ]; then
    f="$RUN_DIR/supervisor.log"; [ -f "$f" ] || fail "no supervisor log in $SHOW_RUN"
    if pid_is supervisor "$(pid_of supervisor)"; then exec tail -n 50 -f "$f"; else exec cat "$f"; fi
  fi
  [ -f "$f" ] || fail "no log for '$agent_arg' in ${RUN_DIR#$ROOT/}/logs (one of: ${PROCESSES[*]})"
  if alive "$agent_arg"; then exec tail -n 50 -f "$f"; else cat "$f"; fi
}

demo() {
  [ -z "$ONLY" ] || fail "demo runs the whole topology on this host; --only is for up, down and status"
  if any_alive || pid_is supervisor "$(pid_of supervisor)"; then fail "a topology is already running; stop it first with ./topology/launch.sh down"; fi
  # The demo starts from the topology's balances, not from an earlier run's ledger.
  rm -f "$RUN_DIR"/ledger.sqlite "$RUN_DIR"/ledger.sqlite-wal "$RUN_DIR"/ledger.sqlite-shm
  rm -f "$RUN_DIR"/analytics.sqlite "$RUN_DIR"/analytics.sqlite-wal "$RUN_DIR"/analytics.sqlite-shm
  rm -f "$RUN_DIR"/director.sqlite "$RUN_DIR"/director.sqlite-wal "$RUN_DIR"/director.sqlite-shm
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
  "$BIN/hedgectl" report --from "$recording" --html "$RUN_DIR/report.html" --topology "$TOPOLOGY" >/dev/null
  say "analytics of the run (the full report with charts is ${RUN_DIR#$ROOT/}/report.html):"
  "$BIN/hedgectl" report --from "$recording" --topology "$TOPOLOGY"
  echo
  say "closed trades and portfolio snapshots the TradingDirector recorded (${RUN_DIR#$ROOT/}/analytics.sqlite):"
  "$BIN/hedgectl" report --db "$RUN_DIR/analytics.sqlite" --topology "$TOPOLOGY" || true
  echo
  say "final inventory at the MarketMaker:"
  "$BIN/hedgectl" inventory --topology "$TOPOLOGY"
  echo
  down
  local rel="${recording#$ROOT/}" first
  first="$(grep -m1 '"type":"signal"' "$recording" | sed -E 's/.*"trace_id":"([0-9a-f]{8}).*/\1/')"
  cat <<SUMMARY

What happened: the bus and five agents started as $([ "$LAYOUT" = one-process ] && echo "one process (all-agents)" || echo "separate processes"); every signal went
TradingDirector → QuantAnalyst (analyze; a signal that followed another of its symbol within a
tick took that one's report instead) → RiskManager (assess, on the MarketMaker's account events,
asking it when they lag) → ExecutionAgent (execute) → MarketMaker (order.submit), and ended in
one decision.
  ${outcome}
Everything that crossed the bus, including each req/rep hop, is recorded in ${rel}. Look again with:
  .build/$CONFIG/hedgectl trace --from ${rel}                       # the timeline
  .build/$CONFIG/hedgectl trace show ${first} --from ${rel} --mermaid   # one cycle as a sequence diagram
  .build/$CONFIG/hedgectl trace stats --from ${rel}                 # latency table
  .build/$CONFIG/hedgectl report --from ${rel} --html report.html   # charts, fills, rejections, analytics
The HTML report of this run: ${RUN_DIR#$ROOT/}/report.html (self-contained; open it in any browser).
Run it live: ./topology/launch.sh up, then hedgectl trace in one terminal and hedgectl inject in another
(up --one-process runs the same topology as one process: on one host, cycles about half as long).
SUMMARY
  trap - EXIT
}

case "$command" in
  up|down|status|logs|demo) settle_topology ;;
esac
case "$command" in
  up) up ;;
  down) down ;;
  status) status ;;
  logs) logs ;;
  demo) demo ;;
  ""|-h|--help|help) usage ;;
  *) fail "unknown command '$command' (up, down, status, logs AGENT, demo)" ;;
esac
