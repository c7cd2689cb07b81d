#!/usr/bin/env bash
# Upload throughput and server memory for one large video (docs/benchmarks.md, "Media upload"):
# the release server with --demo on SQLite (media in a folder beside the database), a generated
# MP4 of SIZE_MB megabytes (an `mdat` of zeros before its `moov`, so the whole file streams past
# the probe before its size is known), uploaded RUNS times with curl to the gallery
# (`upload-multipart-files`). Prints per run the wall time and MB/s as curl saw them, the
# server's resident memory at rest, and its peak (VmHWM) after the uploads.
#
#   bench/media-upload.sh [SIZE_MB] [RUNS]
#   SIZE_MB default 100, RUNS default 3. The server from WINK_SERVER_BIN (default
#   target/release/wink-supplier: cargo build --release -p wink-supplier).
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb="${1:-100}"
runs="${2:-3}"
server_bin="${WINK_SERVER_BIN:-target/release/wink-supplier}"
work=$(mktemp -d)
server=""
cleanup() { if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT
port=$((18800 + RANDOM % 90))
RUST_LOG=warn "$server_bin" serve --demo --listen "127.0.0.1:$port" \
    --database-url "sqlite://$work/bench.db" >"$work/demo.env" 2>"$work/server.log" &
server=$!
for _ in $(seq 1 150); do curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break; sleep 0.2; done
set -a
# shellcheck disable=SC1091
. "$work/demo.env"
set +a
python3 - "$work/video.mp4" "$size_mb" <<'PY'
import struct, sys
path, mb = sys.argv[1], int(sys.argv[2])
def box(kind, body): return struct.pack(">I", len(body) + 8) + kind + body
tkhd = bytearray(84); tkhd[76:80] = struct.pack(">I", 1920 << 16); tkhd[80:84] = struct.pack(">I", 1080 << 16)
moov = box(b"moov", box(b"mvhd", bytes(100)) + box(b"trak", box(b"tkhd", bytes(tkhd))))
payload = mb * 1024 * 1024
with open(path, "wb") as f:
    f.write(box(b"ftyp", b"isom\0\0\x02\0isomiso2mp41"))
    f.write(struct.pack(">I", payload + 8) + b"mdat")
    chunk = bytes(1 << 20)
    for _ in range(mb): f.write(chunk)
    f.write(moov)
PY
token=$(curl -fsS -u "$WINK_CLIENT_ID:$WINK_CLIENT_SECRET" -d grant_type=client_credentials \
    "http://127.0.0.1:$port/oauth2/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
rss() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$server/status"; }
echo "server at rest: VmRSS $(rss VmRSS) KiB, VmHWM $(rss VmHWM) KiB"
bytes=$(stat -c %s "$work/video.mp4")
for run in $(seq 1 "$runs"); do
    out=$(curl -sS -o "$work/answer.json" -w '%{http_code} %{time_total}' \
        -H "Authorization: Bearer $token" -F "files=@$work/video.mp4;type=video/mp4" \
        "http://127.0.0.1:$port/api/managing-entity/$WINK_MANAGING_ENTITY/extranet/property/multimedia/upload")
    read -r code seconds <<<"$out"
    mbps=$(python3 -c "print(f'{$bytes / 1e6 / $seconds:.1f}')")
    echo "run $run: HTTP $code, $bytes bytes in ${seconds}s = $mbps MB/s; server VmRSS $(rss VmRSS) KiB, VmHWM $(rss VmHWM) KiB"
done
grep -o '"width":1920,"height":1080' "$work/answer.json" | head -1 || echo "the answer shows no 1920x1080 video"
