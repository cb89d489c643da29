#!/usr/bin/env bash
# The server runs from its project folder (src/LiveChat.Server: wwwroot, rules files), as the browser tests run it.
# One measured run of issue 15's targets on this machine: a server, N browsing visitors and K watching consoles from
# the load harness, and a real Chromium console measured by bench.mjs once the ramp is over. Reports go to artifacts/.
#   dotnet build LiveChat.sln -c Release && (cd widget && npm ci)
#   VISITORS=2000 WATCHERS=5 load-tests/browser-bench/run.sh
#   SERVER_DLL=/path/to/other/LiveChat.Server.dll ...   # e.g. a build of main, for the baseline
#   WORKERS=2 ...        # visitors spread over worker processes (each ≤ 20,000 open files, its own 127.0.x.y addresses)
#   NODES=2 ...          # cluster mode: the harness starts redis-server and the nodes; the console opens on node 0.
#   NODES=2 WORKERS=2 VISITORS=20000 ...   # each worker spreads its visitors over both nodes (sticky: one node each)
# The harness's load lasts RAMP + DURATION; DURATION is raised when it would end before the console's BENCH seconds
# (which start 5 s after the ramp, after Chromium's start and sign-in: BENCH_MARGIN, default 45 s) are over.
set -euo pipefail
cd "$(dirname "$0")/../.."
VISITORS=${VISITORS:-2000}; WATCHERS=${WATCHERS:-5}; RAMP=${RAMP:-40}; DURATION=${DURATION:-60}; BENCH=${BENCH:-20}
WORKERS=${WORKERS:-1}; NODES=${NODES:-1}; BENCH_MARGIN=${BENCH_MARGIN:-45}
SERVER_DLL=$(realpath "${SERVER_DLL:-src/LiveChat.Server/bin/Release/net10.0/LiveChat.Server.dll}")
H=load-tests/LiveChat.LoadTests/bin/Release/net10.0/LiveChat.LoadTests.dll
OUT=$PWD/artifacts/browser-bench/$(date -u +%Y%m%d-%H%M%S)-v$VISITORS
free() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ulimit -n 20000 2>/dev/null || true

# One process may hold 20,000 open files, each connection one: ≤ 18,000 visitors per harness process and per node.
PER_PROCESS=$(( (VISITORS + WORKERS - 1) / WORKERS ))
PER_NODE=$(( (VISITORS + NODES - 1) / NODES + WATCHERS + 50 ))
if [ "$PER_PROCESS" -gt 18000 ]; then
  echo "VISITORS=$VISITORS over WORKERS=$WORKERS is $PER_PROCESS per process (at most 18,000): raise WORKERS"; exit 2
fi
if [ "$PER_NODE" -gt 19000 ]; then
  echo "VISITORS=$VISITORS over NODES=$NODES is about $PER_NODE connections per node (at most 19,000 under the 20,000 open files): raise NODES"; exit 2
fi
# A node refuses connections above LiveChat:Limits:MaxConnections (18,000): room for the visitors, watchers and console.
if [ "$PER_NODE" -gt 17900 ] && [ -z "${LiveChat__Limits__MaxConnections:-}" ]; then
  export LiveChat__Limits__MaxConnections=$((PER_NODE + 100))
  echo "LiveChat__Limits__MaxConnections=$LiveChat__Limits__MaxConnections (about $PER_NODE connections per node)"
fi
NEED=$((5 + BENCH_MARGIN + BENCH + 10))
if [ "$DURATION" -lt "$NEED" ]; then
  echo "DURATION=$DURATION is raised to $NEED: the console's $BENCH s (after Chromium's start, BENCH_MARGIN=$BENCH_MARGIN) must end while the visitors browse"
  DURATION=$NEED
fi
mkdir -p "$OUT"

LOAD=; SERVER=
cleanup() {
  [ -n "$LOAD" ] && kill "$LOAD" 2>/dev/null || true
  if [ -n "$SERVER" ]; then
    # SIGTERM, and wait for it (the silo takes a few seconds to stop), so nothing is left when the script returns.
    kill "$SERVER" 2>/dev/null || true
    for _ in $(seq 40); do
      STATE=$(cut -d' ' -f3 "/proc/$SERVER/stat" 2>/dev/null || true)
      { [ -z "$STATE" ] || [ "$STATE" = Z ]; } && break
      sleep 0.5
    done
    kill -9 "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
  fi
}
trap cleanup EXIT
COMMON=(--workers "$WORKERS" --agents 1 --chatters 0 --echo-clients 0 --watchers "$WATCHERS"
  --visitors "$VISITORS" --ramp "${RAMP}s" --duration "${DURATION}s" --storm-share 0 --no-live --reports "$OUT/load")
if [ "$NODES" -gt 1 ]; then
  # The harness starts redis-server and the nodes (cluster mode refuses the demo password: its own admin signs in).
  AGENT=load-admin; PASSWORD=load-admin-password-9c1e
  dotnet "$H" --nodes "$NODES" --watcher-id "$AGENT" --watcher-password "$PASSWORD" "${COMMON[@]}" >"$OUT/load.log" 2>&1 &
  LOAD=$!
  LOGS="$OUT/load/*/node-*.log"
else
  AGENT=demo; PASSWORD=demo
  PORT=$(free); URL=http://127.0.0.1:$PORT
  LiveChat__Orleans__SiloPort=$(free) LiveChat__Orleans__GatewayPort=$(free) LiveChat__Orleans__ClusterId=bench-$PORT \
    Logging__LogLevel__Default=Warning bash -c 'cd "$(dirname "$1")/../../.." && exec dotnet "$1" --urls "$2"' _ "$SERVER_DLL" "$URL" >"$OUT/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 120); do curl -fs "$URL/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
  dotnet "$H" --url "$URL" --server-pid "$SERVER" --agent-ids demo --agent-password demo "${COMMON[@]}" >"$OUT/load.log" 2>&1 &
  LOAD=$!
  LOGS="$OUT/server.log"
fi

# The console is timed from the harness's "visitors start" line (the cluster's start-up and the agents come before it).
STARTED=
for _ in $(seq 600); do
  grep -q '\[load\] visitors start' "$OUT/load.log" && { STARTED=$(date +%s); break; }
  kill -0 "$LOAD" 2>/dev/null || break
  sleep 0.5
done
[ -n "$STARTED" ] || { echo "the harness did not start its visitors: $OUT/load.log"; tail -5 "$OUT/load.log"; exit 1; }
[ "$NODES" -gt 1 ] && URL=$(grep -oE 'nodes http://127\.0\.0\.1:[0-9]+' "$OUT/load.log" | head -1 | cut -d' ' -f2)
sleep $((RAMP + 5))
BENCH_FROM=$(( $(date +%s) - STARTED ))
node load-tests/browser-bench/bench.mjs --url "$URL" --seconds "$BENCH" --expect "$VISITORS" --out "$OUT/console.json" \
  --agent "$AGENT" --password "$PASSWORD" || true
BENCH_TO=$(( $(date +%s) - STARTED ))
echo "console: $URL, measured $BENCH_FROM–$BENCH_TO s after the visitors started; the visitors browse until $((RAMP + DURATION - 5)) s" | tee "$OUT/timing.txt"
if [ "$BENCH_TO" -gt $((RAMP + DURATION - 5)) ]; then
  echo "WARNING: the console was still measuring after the load's steady part: raise BENCH_MARGIN or DURATION" | tee -a "$OUT/timing.txt"
fi
wait "$LOAD" || true
LOAD=
grep -E "watchers \(issue 15\)|watcher|list pushes|dropped|load generator CPU|Aborting" "$OUT/load.log" | head -20 || true
# shellcheck disable=SC2086 # LOGS is a glob
echo "aborted agent connections in the server log(s): $(cat $LOGS 2>/dev/null | grep -c 'Aborting connection' || true)"
echo "reports: $OUT"
