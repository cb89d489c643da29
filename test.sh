#!/usr/bin/env bash
# The one test command. Installs what the tests need when it is missing (redis-server, chromium, node/npm,
# npm packages), builds everything, runs every suite and ends with one line: "N passed, N failed[, N skipped]".
# Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
OUT="$ROOT/artifacts/test-logs"
mkdir -p "$OUT"
PASSED=0 FAILED=0 SKIPPED=0

say() { printf '\n== %s\n' "$*"; }
count() { PASSED=$((PASSED + $1)); FAILED=$((FAILED + $2)); SKIPPED=$((SKIPPED + ${3:-0})); }

install_missing() {
  local pkgs=()
  command -v redis-server >/dev/null 2>&1 || pkgs+=(redis-server)
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || pkgs+=(nginx)
  command -v chromium >/dev/null 2>&1 || pkgs+=(chromium)
  command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
  command -v npm >/dev/null 2>&1 || pkgs+=(npm)
  /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || pkgs+=(python3-aiosmtpd)
  if ((${#pkgs[@]})); then
    say "installing ${pkgs[*]}"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${pkgs[@]}" >/dev/null
  fi
  # Also when the lock file is newer than what npm last installed (a pulled change added a package).
  if [ -f widget/package-lock.json ] && { [ ! -d widget/node_modules ] || [ widget/package-lock.json -nt widget/node_modules/.package-lock.json ]; }; then
    say "installing npm packages"
    (cd widget && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# A .NET test project (xunit v3 on Microsoft.Testing.Platform): reads its "total/failed/succeeded/skipped" summary.
dotnet_suite() {
  local project=$1 name log
  name=$(basename "$project")
  log="$OUT/$name.log"
  say "$name"
  dotnet test --project "$project" -c Release --no-build >"$log" 2>&1
  local rc=$? total failed ok skipped
  total=$(grep -Po '^\s*total: \K\d+' "$log" | tail -1); failed=$(grep -Po '^\s*failed: \K\d+' "$log" | tail -1)
  ok=$(grep -Po '^\s*succeeded: \K\d+' "$log" | tail -1); skipped=$(grep -Po '^\s*skipped: \K\d+' "$log" | tail -1)
  if [ -z "$total" ]; then echo "  no test summary (exit $rc); see $log"; tail -20 "$log"; count 0 1; return; fi
  # Each failed test with the first lines of its message (what CI shows is all there is to go on), not its stack trace.
  awk '/^\s*(failed|error) /{n=8; print; next} n>0 && /Stack Trace:|^\s*(passed|failed|skipped) /{n=0} n>0{print "    " $0; n--}' "$log" | head -60
  count "${ok:-0}" "${failed:-0}" "${skipped:-0}"
  [ "$rc" = 0 ] || [ "${failed:-0}" != 0 ] || { echo "  exit $rc without failed tests; see $log"; count 0 1; }
  echo "  $ok passed, $failed failed, $skipped skipped"
}

# A node --test suite: reads its TAP summary.
node_suite() {
  local name=$1; shift
  local log="$OUT/$name.log"
  say "$name"
  "$@" >"$log" 2>&1
  local rc=$? pass fail skip
  pass=$(grep -Po '^# pass \K\d+' "$log" | tail -1); fail=$(grep -Po '^# fail \K\d+' "$log" | tail -1); skip=$(grep -Po '^# skipped \K\d+' "$log" | tail -1)
  if [ -z "$pass" ]; then echo "  no test summary (exit $rc); see $log"; tail -20 "$log"; count 0 1; return; fi
  grep -E '^not ok' "$log" | head -20
  count "$pass" "${fail:-0}" "${skip:-0}"
  [ "$rc" = 0 ] || [ "${fail:-0}" != 0 ] || count 0 1
  echo "  $pass passed, ${fail:-0} failed"
}

# A single check that passes or fails as a whole.
check() {
  local name=$1; shift
  local log="$OUT/$name.log"
  say "$name"
  if "$@" >"$log" 2>&1; then count 1 0; echo "  passed"; else count 0 1; echo "  FAILED; see $log"; tail -30 "$log"; fi
}

install_missing

say "build"
if ! dotnet build LiveChat.sln -c Release >"$OUT/build.log" 2>&1; then
  grep -E 'error' "$OUT/build.log" | sort -u | head -30
  echo "0 passed, 1 failed"
  exit 1
fi

[ -f widget/build.mjs ] && check widget-bundle-up-to-date node widget/build.mjs --check
[ -f widget/package.json ] && grep -q '"test"' widget/package.json && node_suite widget-unit npm --prefix widget test --silent

# Server.Tests writes the wire samples (WireSampleTests) that the wire-types check below reads: never a stale copy.
rm -f artifacts/wire/samples.json
for project in tests/*.Tests; do
  [ -f "$project/$(basename "$project").csproj" ] && dotnet_suite "$project"
done

# The TS wire types (widget/src/shared/protocol.ts) against a sample of every push and hub result the server sent above.
[ -d widget/wire ] && node_suite wire-types node --test widget/wire/

[ -d tests/browser ] && ls tests/browser/*.test.mjs >/dev/null 2>&1 && node_suite browser node --test --test-concurrency=1 tests/browser/

# The load harness's one-minute smoke shape: an embedded server, visitors, chatters, agent bots; its thresholds decide.
[ -f load-tests/LiveChat.LoadTests/bin/Release/net10.0/LiveChat.LoadTests.dll ] \
  && check load-smoke dotnet load-tests/LiveChat.LoadTests/bin/Release/net10.0/LiveChat.LoadTests.dll --smoke --reports "$OUT/load-smoke"

echo
line="$PASSED passed, $FAILED failed"
[ "$SKIPPED" -gt 0 ] && line="$line, $SKIPPED skipped"
echo "$line"
[ "$FAILED" -eq 0 ]
