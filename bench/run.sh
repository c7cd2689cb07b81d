#!/usr/bin/env bash
# Runs the benchmarks of docs/benchmarks.md on this machine: the release server with --demo on
# SQLite and on PostgreSQL, the load generator (wink-bench) against each, and a minimal axum
# handler as the ceiling, and bare SQLite commits per second on the disk of the server's database
# as the second ceiling (in the SQLite table). Prints Markdown tables.
#
#   bench/run.sh [SCENARIOS] [CLIENTS] [SECONDS]
#   SCENARIOS: comma-separated (default: all of `wink-bench run --help`); CLIENTS default 16;
#   SECONDS per scenario default 10. PostgreSQL from WINK_BENCH_POSTGRES_URL
#   (default postgres://postgres@127.0.0.1:5432/postgres); a fresh database is created per run.
#   The volume scenarios (`*-100k`) run last, after `wink-bench seed-bookings` has written
#   WINK_BENCH_BOOKINGS (default 100000) bookings; the server's VmHWM (peak resident memory) and
#   VmRSS are printed before and after each.
#   WINK_BENCH_SERVER names another server binary to measure (e.g. one built from an earlier
#   commit, for a before/after comparison with the same load generator); this checkout's by default.
set -euo pipefail
cd "$(dirname "$0")/.."
scenarios="${1:-}"
clients="${2:-16}"
seconds="${3:-10}"
pg_admin="${WINK_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
bookings="${WINK_BENCH_BOOKINGS:-100000}"
server_bin="${WINK_BENCH_SERVER:-./target/release/wink-supplier}"
# In this order: the report first, so the peak memory read after it is its own.
all_volume="report-csv-100k,booking-grid-100k"
# The volume scenarios asked for (all of them when no list is given), and the rest.
volume=""
plain="$scenarios"
if [ -z "$scenarios" ]; then
    volume="$all_volume"
else
    plain=""
    for s in ${scenarios//,/ }; do
        case ",$all_volume," in
            *",$s,"*) volume="${volume:+$volume,}$s" ;;
            *) plain="${plain:+$plain,}$s" ;;
        esac
    done
fi
server_bin="${WINK_BENCH_SERVER:-./target/release/wink-supplier}"
memory() { awk '/^VmHWM|^VmRSS/ {printf "%s %.0f MB  ", $1, $2 / 1024}' "/proc/$1/status"; }

cargo build --release -q -p wink-supplier -p wink-bench
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_for() { for _ in $(seq 1 150); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "no answer from $1" >&2; return 1; }

ceiling_port=18090
./target/release/wink-bench ceiling --listen "127.0.0.1:$ceiling_port" 2>/dev/null &
pids+=($!)
wait_for "http://127.0.0.1:$ceiling_port/ping"

echo "machine: $(nproc) cores, $(uname -sr); $(date -u +%Y-%m-%dT%H:%MZ)"
first=1
for engine in sqlite postgres; do
    port=$((18100 + RANDOM % 800))
    if [ "$engine" = sqlite ]; then
        url="sqlite://$work/bench.db"
    else
        db="wink_bench_$(date +%s)"
        psql "$pg_admin" -qc "CREATE DATABASE $db" >/dev/null
        url="${pg_admin%/*}/$db"
    fi
    RUST_LOG=warn "$server_bin" serve --demo --listen "127.0.0.1:$port" --database-url "$url" >"$work/$engine.env" 2>"$work/$engine.log" &
    server=$!
    pids+=($server)
    wait_for "http://127.0.0.1:$port/ready"
    set -a; . "$work/$engine.env"; set +a
    extra=()
    # Both ceilings in the first engine's table: the bare handler, and bare SQLite commits on the
    # disk of the server's database.
    if [ $first = 1 ]; then extra=(--ceiling-url "http://127.0.0.1:$ceiling_port" --commit-ceiling-dir "$work"); first=0; fi
    echo
    echo "### $engine"
    if [ -z "$scenarios" ] || [ -n "$plain" ]; then
        ./target/release/wink-bench run --base-url "http://127.0.0.1:$port" --clients "$clients" --seconds "$seconds" \
            --label "$engine" ${plain:+--scenarios "$plain"} --except "$all_volume" "${extra[@]}"
    fi
    if [ -n "$volume" ]; then
        started=$(date +%s)
        ./target/release/wink-bench seed-bookings --database-url "$url" --property "$WINK_MANAGING_ENTITY" --count "$bookings" 2>&1 | tail -1
        echo "seeded $bookings bookings in $(( $(date +%s) - started )) s"
        for s in ${all_volume//,/ }; do
            case ",$volume," in *",$s,"*) ;; *) continue ;; esac
            echo "server before $s: $(memory "$server")"
            ./target/release/wink-bench run --base-url "http://127.0.0.1:$port" --clients "$clients" --seconds "$seconds" \
                --label "$engine" --scenarios "$s"
            echo "server after $s: $(memory "$server")"
        done
    fi
    kill "$server"; wait "$server" 2>/dev/null || true
    if [ "$engine" = postgres ]; then psql "$pg_admin" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null; fi
done
