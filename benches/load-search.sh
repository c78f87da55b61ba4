#!/usr/bin/env bash
# Load test of GET /api/v1/search/roles on loopback with wrk: requests/s and latency percentiles.
#
#   benches/load-search.sh [--scale N] [--duration 20s] [--connections 32] [--threads 4]
#
# Starts `hubmatch serve --demo [--scale N]` on 127.0.0.1 in a fresh data folder
# (embedded SQLite + tantivy), waits until the demo's roles are searchable, then
# runs wrk with a rotation of typical queries (words, typos, prefixes, synonyms,
# filters, sorts). Uses $HUBMATCH_BIN, else target/release/hubmatch (built if
# missing). Needs wrk (apt-get install -y wrk).
set -euo pipefail

scale=1
duration=20s
connections=32
threads=4
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

if ! command -v wrk >/dev/null; then
  echo "wrk is not installed: apt-get install -y wrk (Debian/Ubuntu), then run this again" >&2
  exit 1
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
bin="${HUBMATCH_BIN:-$target/release/hubmatch}"
if [ ! -x "$bin" ]; then
  (cd "$root" && cargo build --release --bin hubmatch)
fi

port="${PORT:-$((20000 + RANDOM % 20000))}"
data="$(mktemp -d "${TMPDIR:-/tmp}/hubmatch-load-XXXX")"
log="$data/serve.log"
"$bin" serve --demo --scale "$scale" --bind "127.0.0.1:$port" --data-dir "$data" >"$log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT

base="http://127.0.0.1:$port"
for _ in $(seq 1 600); do
  # Refused until the server listens: keep waiting rather than stop the script.
  total="$( (curl -fsS "$base/api/v1/search/roles?per_page=1" 2>/dev/null || true) | sed -n 's/.*"total":\([0-9]*\).*/\1/p')"
  if [ -n "${total:-}" ] && [ "$total" -gt 0 ]; then break; fi
  sleep 0.5
done
if [ -z "${total:-}" ] || [ "$total" -eq 0 ]; then
  echo "the server did not become searchable; its log:" >&2
  tail -40 "$log" >&2
  exit 1
fi
echo "searching $total open roles (demo, scale $scale) at $base"

lua="$data/queries.lua"
cat >"$lua" <<'LUA'
local paths = {
  "/api/v1/search/roles?q=gardening",
  "/api/v1/search/roles?q=befreinding",
  "/api/v1/search/roles?q=food%20bank",
  "/api/v1/search/roles?q=elderly&remote=yes",
  "/api/v1/search/roles?q=digi",
  "/api/v1/search/roles?cause=food-poverty&sort=closing",
  "/api/v1/search/roles?q=cook&sort=distance&near=E05011110",
  "/api/v1/search/roles?q=volunteer&page=2",
  "/api/v1/search/roles",
  "/api/v1/search/roles?q=caf%C3%A9",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA
wrk --latency -t"$threads" -c"$connections" -d"$duration" -s "$lua" "$base" | tee "$data/wrk.txt"
rps="$(sed -n 's/^Requests\/sec:[[:space:]]*//p' "$data/wrk.txt")"
p99="$(awk '$1=="99%"{print $2}' "$data/wrk.txt")"
p50="$(awk '$1=="50%"{print $2}' "$data/wrk.txt")"
echo "GET /api/v1/search/roles: $rps requests/s, p50 $p50, p99 $p99 ($connections connections, $duration)"
