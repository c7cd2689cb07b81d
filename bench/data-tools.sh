#!/usr/bin/env bash
# Times `backup`, `restore` and `copy` (docs/benchmarks.md, "Backup, restore and the move to
# PostgreSQL") at the benchmarks' volume: the release server with --demo on SQLite, then
# `wink-bench seed-bookings` writes WINK_BENCH_BOOKINGS (default 100000) bookings, then a backup
# while the server runs, a restore with it stopped, and the copy into a fresh PostgreSQL
# database (WINK_BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres).
#
#   bench/data-tools.sh
set -euo pipefail
cd "$(dirname "$0")/.."
pg_admin="${WINK_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
bookings="${WINK_BENCH_BOOKINGS:-100000}"

# WINK_BENCH_NO_BUILD=1: time the release binaries already built.
[ -n "${WINK_BENCH_NO_BUILD:-}" ] || cargo build --release -q -p wink-supplier -p wink-bench
bin=./target/release/wink-supplier
work=$(mktemp -d)
db="sqlite://$work/wink.db"
port=$((20000 + RANDOM % 20000))
pgdb="wink_bench_copy_$(date +%s)"
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null || true
    psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
seconds() { local s; s=$(date +%s.%N); "$@" >/dev/null; echo "$(date +%s.%N) - $s" | bc; }

echo "machine: $(nproc) cores, $(uname -sr); $(date -u +%Y-%m-%dT%H:%MZ)"
RUST_LOG=warn "$bin" serve --demo --listen "127.0.0.1:$port" --database-url "$db" >"$work/demo.env" 2>"$work/server.log" &
server=$!
for _ in $(seq 1 150); do curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break; sleep 0.2; done
set -a; . "$work/demo.env"; set +a
./target/release/wink-bench seed-bookings --database-url "$db" --property "$WINK_MANAGING_ENTITY" --count "$bookings" 2>&1 | tail -1
echo "database: $(du -h "$work/wink.db" | cut -f1) ($(sqlite3 "$work/wink.db" 'SELECT COUNT(*) FROM bookings' 2>/dev/null || echo '?') bookings)"

echo "backup while the server runs: $(seconds "$bin" --database-url "$db" backup "$work/backup.db") s, $(du -h "$work/backup.db" | cut -f1)"
kill "$server"; wait "$server" 2>/dev/null || true; server=""
echo "restore (server stopped): $(seconds "$bin" --database-url "$db" restore "$work/backup.db") s"

psql "$pg_admin" -qc "CREATE DATABASE $pgdb" >/dev/null
target="${pg_admin%/*}/$pgdb"
start=$(date +%s.%N)
"$bin" copy --from "$db" --to "$target" >"$work/copy.txt"
echo "copy to PostgreSQL (migrations included): $(echo "$(date +%s.%N) - $start" | bc) s"
tail -1 "$work/copy.txt"
sort -t$'\t' -k2 -n -r "$work/copy.txt" | grep -P '\t[0-9]+$' | head -8
