#!/usr/bin/env bash
# The API reference page as a new user sees it on a machine without internet access: headless
# Chromium opens BASE_URL/ (which must lead to the page) with every host but the server's made
# unresolvable, and the check fails unless
#   - the page asked no other host for anything: every request the page initiated, read from
#     Chromium's network log, went to BASE_URL's origin (this also catches an IP-address URL,
#     which the resolver rule cannot block);
#   - the rendered page lists the API: every tag of /openapi.json, several operation summaries,
#     this server as the server to call and the client-credentials scheme with its token URL.
#
# Usage: tools/check-reference-page.sh BASE_URL      e.g. http://127.0.0.1:8080
# Needs chromium (Debian: apt-get install -y chromium; CHROMIUM=/path overrides), curl, python3.
set -euo pipefail

base="${1:?usage: $0 BASE_URL (e.g. http://127.0.0.1:8080)}"
base="${base%/}"
origin=$(printf '%s' "$base" | grep -oE '^https?://[^/]+')
host=$(printf '%s' "$origin" | sed -E 's#^https?://##; s#:[0-9]+$##; s#^\[(.*)\]$#\1#')

browser="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}"
if [ -z "$browser" ]; then
    echo "check-reference-page: no chromium found (apt-get install -y chromium)" >&2
    exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

curl -fsS "$base/openapi.json" >"$work/openapi.json"

# The virtual time budget lets the page fetch the document and render before the DOM is dumped.
"$browser" --headless --no-sandbox --disable-gpu --no-first-run --no-default-browser-check \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-extensions --disable-default-apps \
    --user-data-dir="$work/profile" \
    --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE $host" \
    --log-net-log="$work/net.json" \
    --virtual-time-budget="${VIRTUAL_TIME_MS:-30000}" \
    --dump-dom "$base/" >"$work/dom.html" 2>"$work/browser.log" || {
    cat "$work/browser.log" >&2
    echo "check-reference-page: FAIL: chromium did not run" >&2
    exit 1
}

python3 - "$origin" "$work" <<'PY'
import html, json, re, sys

origin, work = sys.argv[1], sys.argv[2]
failures = []

# Requests the page made carry its origin as initiator; Chromium's own background traffic
# (update checks, account lookups) has none and is not the page's doing.
log = json.load(open(f"{work}/net.json"))
start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
asked = []
for event in log["events"]:
    params = event.get("params") or {}
    if event["type"] != start_job or "url" not in params:
        continue
    if str(params.get("initiator", "")).startswith(("http://", "https://")):
        asked.append(params["url"])
print(f"requests the page made: {len(asked)}")
for url in dict.fromkeys(asked):
    where = re.match(r"^[a-z][a-z0-9+.-]*://[^/]+", url)
    local = where is not None and where.group(0) == origin
    print(f"  {'' if local else 'ELSEWHERE '}{url[:100]}")
    if not local:
        failures.append(f"the page asked {url[:100]} (only {origin} may be asked)")
if not any(u.startswith(origin + "/openapi.json") for u in asked):
    failures.append("the page never fetched /openapi.json (its script did not run)")

dom = open(f"{work}/dom.html", encoding="utf-8").read()
text = re.sub(r"<script\b.*?</script>|<style\b.*?</style>", " ", dom, flags=re.S)
text = html.unescape(re.sub(r"<[^>]+>", " ", text))
text = re.sub(r"\s+", " ", text)
print(f"rendered text: {len(text)} characters (DOM {len(dom)} bytes)")


def expect(what, found):
    print(f"  {'found' if found else 'MISSING'}: {what}")
    if not found:
        failures.append(f"the rendered page lacks {what}")


doc = json.load(open(f"{work}/openapi.json"))
operations = [op for item in doc["paths"].values() for op in item.values()]
tags = sorted({t for op in operations for t in op.get("tags", [])})
missing = [t for t in tags if t not in text]
expect(f"all {len(tags)} tags of /openapi.json", not missing)
if missing:
    print(f"    missing tags: {missing}")
# Scalar renders the operations of the first group and the others on demand.
words = lambda s: re.sub(r"\W+", "", s)
flat = words(text)
shown = [op["summary"] for op in operations if op.get("summary") and words(op["summary"]) in flat]
expect(f"operation summaries (at least 3; shown: {shown[:3]})", len(shown) >= 3)
expect(f"{origin} as the server to call", re.search(rf"Server: {re.escape(origin)}\b", text))
expect("the client-credentials scheme selected", "Selected Auth Type: oauth2ClientCredentials" in text)
expect(f"the token URL {origin}/oauth2/token", re.search(rf"Token URL : {re.escape(origin)}/oauth2/token", text))

if failures:
    for f in failures:
        print(f"check-reference-page: FAIL: {f}", file=sys.stderr)
    sys.exit(1)
print(f"check-reference-page: OK: {origin}/ renders the API reference and asks nothing of any other host")
PY
