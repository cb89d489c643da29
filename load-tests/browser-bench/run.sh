#!/usr/bin/env bash
# The server runs from its project folder (src/LiveChat.Server: wwwroot, rules files), as the browser tests run it.
# One measured run of issue 15's targets on this machine: a server, N browsing visitors and K watching consoles from
# the load harness, and a real Chromium console measured by bench.mjs once the ramp is over. Reports go to artifacts/.
#   dotnet build LiveChat.sln -c Release && (cd widget && npm ci)
#   VISITORS=2000 WATCHERS=5 load-tests/browser-bench/run.sh
#   SERVER_DLL=/path/to/other/LiveChat.Server.dll ...   # e.g. a build of main, for the baseline
#   WORKERS=2 ...        # visitors spread over worker processes (each ≤ 20,000 open files, its own 127.0.x.y addresses)
#   NODES=2 ...          # cluster mode: the harness starts redis-server and the nodes; the console opens on node 0.
#                          Its clients stay in one process (the harness's --nodes takes no --workers): ≤ 18,000 visitors.
set -euo pipefail
cd "$(dirname "$0")/../.."
VISITORS=${VISITORS:-2000}; WATCHERS=${WATCHERS:-5}; RAMP=${RAMP:-40}; DURATION=${DURATION:-60}; BENCH=${BENCH:-20}
WORKERS=${WORKERS:-1}; NODES=${NODES:-1}
SERVER_DLL=$(realpath "${SERVER_DLL:-src/LiveChat.Server/bin/Release/net10.0/LiveChat.Server.dll}")
H=load-tests/LiveChat.LoadTests/bin/Release/net10.0/LiveChat.LoadTests.dll
OUT=$PWD/artifacts/browser-bench/$(date -u +%Y%m%d-%H%M%S)-v$VISITORS
mkdir -p "$OUT"
free() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ulimit -n 20000 2>/dev/null || true
if [ "$NODES" -gt 1 ]; then
  if [ "$VISITORS" -gt 18000 ] || [ "$WORKERS" -gt 1 ]; then
    echo "NODES=$NODES: the harness's cluster shape runs every client in one process (at most 20,000 open files):"
    echo "use VISITORS <= 18000 and no WORKERS; 20,000 over two nodes needs clients spread over processes (not scripted)"
    exit 2
  fi
  # The harness starts redis-server and the nodes (cluster mode refuses the demo password: its own admin signs in).
  dotnet "$H" --nodes "$NODES" --agents 1 --chatters 0 --echo-clients 0 \
    --watchers "$WATCHERS" --watcher-id load-admin --watcher-password load-admin-password-9c1e \
    --visitors "$VISITORS" --ramp "${RAMP}s" --duration "${DURATION}s" --storm-share 0 --no-live \
    --reports "$OUT/load" >"$OUT/load.log" 2>&1 &
  LOAD=$!
  trap '[ -n "${LOAD:-}" ] && kill $LOAD 2>/dev/null || true' EXIT
  URL=
  for _ in $(seq 240); do
    URL=$(grep -oE 'nodes http://127\.0\.0\.1:[0-9]+' "$OUT/load.log" | head -1 | cut -d' ' -f2 || true)
    [ -n "$URL" ] && break; sleep 0.5
  done
  [ -n "$URL" ] || { echo "the cluster did not start: $OUT/load.log"; exit 1; }
  sleep $((RAMP + 10))
  node load-tests/browser-bench/bench.mjs --url "$URL" --seconds "$BENCH" --expect "$VISITORS" --out "$OUT/console.json" \
    --agent load-admin --password load-admin-password-9c1e || true
  wait $LOAD || true
  LOAD=
  grep -E "watchers \(issue 15\)|watcher|list pushes|dropped|Aborting" "$OUT/load.log" | head -20 || true
  echo "aborted agent connections in the node logs: $(find "$OUT" -name 'node-*.log' -exec cat {} + 2>/dev/null | grep -c 'Aborting connection' || true)"
  echo "reports: $OUT"
  exit 0
fi
PORT=$(free); URL=http://127.0.0.1:$PORT
LiveChat__Orleans__SiloPort=$(free) LiveChat__Orleans__GatewayPort=$(free) LiveChat__Orleans__ClusterId=bench-$PORT \
  Logging__LogLevel__Default=Warning bash -c 'cd "$(dirname "$1")/../../.." && exec dotnet "$1" --urls "$2"' _ "$SERVER_DLL" "$URL" >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; [ -n "${LOAD:-}" ] && kill $LOAD 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -fs "$URL/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
dotnet "$H" --url "$URL" --server-pid "$SERVER" --workers "$WORKERS" --agent-ids demo --agent-password demo --agents 1 --chatters 0 --echo-clients 0 \
  --watchers "$WATCHERS" --visitors "$VISITORS" --ramp "${RAMP}s" --duration "${DURATION}s" --storm-share 0 --no-live \
  --reports "$OUT/load" >"$OUT/load.log" 2>&1 &
LOAD=$!
sleep $((RAMP + 10))
node load-tests/browser-bench/bench.mjs --url "$URL" --seconds "$BENCH" --expect "$VISITORS" --out "$OUT/console.json" || true
wait $LOAD || true
LOAD=
grep -E "watchers \(issue 15\)|watcher|list pushes|dropped|Aborting" "$OUT/load.log" | head -20 || true
echo "aborted agent connections in the server log: $(grep -c 'Aborting connection' "$OUT/server.log" || true)"
echo "reports: $OUT"
