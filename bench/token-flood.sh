#!/usr/bin/env bash
# The token endpoint under a flood of wrong secrets (docs/benchmarks.md, "Token endpoint under a
# flood"): the release server with --demo on SQLite, a second application as the flood's victim,
# then `wink-bench run --scenarios token-flood`: CLIENTS good clients (the demo client, from
# 127.0.0.1) ask for tokens while 2 x CLIENTS others send wrong secrets for the victim from
# 127.0.0.2, 127.0.0.3, ...
#
#   bench/token-flood.sh [CLIENTS] [SECONDS] [CONFIG]
#   CLIENTS default 8, SECONDS default 20; CONFIG a wink-supplier config file (e.g. an
#   [auth_limits] table; none by default). WINK_FLOOD_UNKNOWN=1 floods random unknown client ids
#   instead of the victim. Binaries from WINK_BIN_DIR (default target/release: cargo build
#   --release -p wink-supplier -p wink-bench); the server from WINK_SERVER_BIN if set (e.g. an
#   older build, to compare).
set -euo pipefail
cd "$(dirname "$0")/.."
clients="${1:-8}"
seconds="${2:-20}"
config="${3:-}"
bin="${WINK_BIN_DIR:-target/release}"
server_bin="${WINK_SERVER_BIN:-$bin/wink-supplier}"
work=$(mktemp -d)
server=""
cleanup() { if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT
port=$((18900 + RANDOM % 90))
url="sqlite://$work/flood.db"
RUST_LOG=warn "$server_bin" serve --demo --listen "127.0.0.1:$port" --database-url "$url" \
    ${config:+--config "$config"} >"$work/demo.env" 2>"$work/server.log" &
server=$!
for _ in $(seq 1 150); do curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break; sleep 0.2; done
set -a; . "$work/demo.env"; set +a
account=$("$server_bin" app list --database-url "$url" | awk -v id="$WINK_CLIENT_ID" '$1 == id {print $2}')
victim=$("$server_bin" app create --database-url "$url" --account "$account" --name victim \
    | sed -n 's/^WINK_CLIENT_ID=//p')
if [ "${WINK_FLOOD_UNKNOWN:-0}" = 1 ]; then victim=""; fi
echo "machine: $(nproc) cores, load $(cut -d" " -f1 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ); server $server_bin; config: ${config:-defaults}"
WINK_FLOOD_CLIENT_ID="$victim" "$bin/wink-bench" run --base-url "http://127.0.0.1:$port" \
    --clients "$clients" --seconds "$seconds" --scenarios token
WINK_FLOOD_CLIENT_ID="$victim" "$bin/wink-bench" run --base-url "http://127.0.0.1:$port" \
    --clients "$clients" --seconds "$seconds" --scenarios token-flood
