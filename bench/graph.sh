# Graph client figures (issue 3 §8): against the fake Graph with 50 ms
# added per request and a 10,000-user tenant, the wall time, request count
# and peak RSS (a) to list every user with $top=999, (b) to fetch one
# per-user resource (authentication methods) for every user through
# $batch over 4 connections, against (c) a plain sequential client doing
# one GET per user. (c) runs on the first BENCH_SEQ_USERS users (default
# 500: 10,000 would take a quarter of an hour) and is scaled up linearly,
# which it is: one request after the other.
# Lower bound of (b): requests ÷ connections × latency. Target: (b)
# within 1.5× of it; peak RSS under 32 MB. (b) is also run with the case
# folder in memory, to tell the client's own cost from the disk's: every
# answer is an evidence file written whole (temp, fsync, rename, fsync of
# its folder) before the manifest lists it.
set -u
B=${TESTBIN:?}
TOP=$(cd "$(dirname "$0")/.." && pwd)
USERS=${BENCH_USERS:-10000} LAT=${BENCH_LATENCY_MS:-50} SEQ=${BENCH_SEQ_USERS:-500}
W=$(mktemp -d "${TMPDIR:-/tmp}/reflexe-bench-graph.XXXXXX")
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$W"' EXIT
BENCH=$B/bench/graph_bench
[ -x "$BENCH" ] || { echo "graph: $BENCH not built"; exit 1; }

sh "$TOP/tests/pki.sh" "$W/pki" >/dev/null 2>&1 || { echo "graph: pki.sh failed"; exit 1; }
export REFLEXE_CA_FILE=$W/pki/ca.pem
start() {  # start LATENCY: the fake, prewarmed, on a free port
	[ -n "$PID" ] && { kill $PID 2>/dev/null; wait $PID 2>/dev/null; }
	rm -f "$W/port"
	python3 "$TOP/tests/fake/msfake.py" --cert "$W/pki/rsa.chain.pem" --key "$W/pki/rsa.key" --port 0 \
		--port-file "$W/port" --gen-users "$USERS" --prewarm --latency-ms "$1" --device-scenario ok \
		--log "$W/fake-$1.jsonl" 2>"$W/fake.err" &
	PID=$!
	for _ in $(seq 600); do [ -s "$W/port" ] && break; sleep 0.1; done
	[ -s "$W/port" ] || { echo "graph: the fake did not start"; cat "$W/fake.err"; exit 1; }
	U=https://127.0.0.1:$(cat "$W/port")
	export AZURE_AUTHORITY_HOST=$U REFLEXE_GRAPH_URL=$U REFLEXE_EXO_URL=$U
	REFLEXE_TEST_TOKEN=$(python3 - "$U" "$REFLEXE_CA_FILE" <<'EOF'
import json, ssl, sys, urllib.parse, urllib.request
base, ca = sys.argv[1:]
ctx = ssl.create_default_context(cafile=ca)
def post(path, form):
    with urllib.request.urlopen(base + path, urllib.parse.urlencode(form).encode(), context=ctx) as r:
        return json.load(r)
cli = "14d82eec-204b-4c2f-b7e8-296a70dab67e"
dc = post("/organizations/oauth2/v2.0/devicecode", {"client_id": cli, "scope": "https://graph.microsoft.com/.default"})
print(post("/organizations/oauth2/v2.0/token", {"client_id": cli, "device_code": dc["device_code"],
      "grant_type": "urn:ietf:params:oauth:grant-type:device_code"})["access_token"])
EOF
)
	export REFLEXE_TEST_TOKEN
}
field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$2"; }

# The fake's own time per request with no latency added (its Python
# serving and TLS; the fake sets TCP_NODELAY, without which Nagle and the
# client's delayed ACK added ~40 ms to every answer) shows how much of
# each request is not the simulated network.
start 0
floor=$("$BENCH" --case "$W/floor" seq 200) || { echo "graph: $floor"; exit 1; }
floor_ms=$(( $(field wall_ms "$floor") / 200 ))

start "$LAT"
echo "fake Graph: $USERS users, ${LAT} ms added per request; the fake alone takes ~${floor_ms} ms per request"
a=$("$BENCH" --case "$W/a" list) || { echo "graph: $a"; exit 1; }
echo "(a) list all users, \$top=999: $(field wall_ms "$a") ms, $(field requests "$a") requests, peak RSS $(field peak_rss_kb "$a") KB"
b=$("$BENCH" --case "$W/b" batch 4) || { echo "graph: $b"; exit 1; }
bw=$(field wall_ms "$b") br=$(field requests "$b")
echo "(b) \$batch, 4 connections: $bw ms, $br requests ($(field subrequests "$b") sub-requests, $(field retries "$b") retries, $(field failed "$b") failed), peak RSS $(field peak_rss_kb "$b") KB"
echo "    case folder on $(df -P "$W" | awk 'NR == 2 { print $1 }'): $(field subrequests "$b") evidence files, each written whole (fsync) before it is listed"
# The same in memory: what the client costs without the disk's fsyncs.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	M=$(mktemp -d /dev/shm/reflexe-bench-graph.XXXXXX)
	bm=$("$BENCH" --case "$M/b" batch 4) || bm=
	rm -rf "$M"
	[ -n "$bm" ] && echo "(b) again, case folder in memory (/dev/shm): $(field wall_ms "$bm") ms"
fi
c=$("$BENCH" --case "$W/c" seq "$SEQ") || { echo "graph: $c"; exit 1; }
cw=$(field wall_ms "$c") cn=$(field users "$c")
cfull=$(( cw * USERS / cn ))
echo "(c) sequential, one GET per user: $cw ms for $cn users -> ~$cfull ms for $USERS ($((USERS)) requests), peak RSS $(field peak_rss_kb "$c") KB"
awk -v bw="$bw" -v br="$br" -v lat="$LAT" -v fl="$floor_ms" -v cf="$cfull" 'BEGIN {
	lb = br / 4 * lat
	printf "lower bound of (b): %d requests / 4 connections x %d ms = %d ms; (b) is %.2fx of it (target <= 1.5x)\n", br, lat, lb, bw / lb
	printf "with the fake'\''s own ~%d ms per request counted: %d ms; (b) is %.2fx of that\n", fl, br / 4 * (lat + fl), bw / (br / 4 * (lat + fl))
	printf "(b) is %.0fx faster than (c) on the whole tenant\n", cf / bw
}'
