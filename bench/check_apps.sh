# check-apps figures (issue 14): the whole applet, live, against the fake
# Graph with 50 ms added per request and a tenant of 5,000 service
# principals (14 % Microsoft's, 26 % the tenant's own with their
# applications, the rest third parties), 20,000 delegated grants, 10,000
# service principal sign-ins and 2,000 users: wall time, requests (the
# fake's own log), peak RSS, and the lower bound the issue compares with.
#
# Lower bound: the run can go neither faster than its latency on the
# critical path nor faster than the same run with no latency added.
#   latency path = (token + probe requests, one after the other)
#                + the longer of: the longest listing, its pages one after
#                  the other (20,000 grants at 999 a page: 21 pages); and
#                  the applications' then the service principals' pages,
#                  then the $batch requests of the per-object reads (20
#                  sub-requests each) over the 8 connections
#                  (collect/apps.c starts them once the objects are listed)
#                all × 50 ms;
#   no-latency floor = the same run's wall with the fake at 0 ms (the
#   fake's own work in Python, the evidence written and hashed);
#   lower bound = the larger of the two. Target: wall within 1.5× of it,
#   peak RSS under 32 MB. Prints figures, asserts nothing.
set -u
R=${REFLEXE:?}
TOP=$(cd "$(dirname "$0")/.." && pwd)
SPS=${BENCH_SPS:-5000} GRANTS=${BENCH_GRANTS:-20000} USERS=${BENCH_USERS:-2000} SPSI=${BENCH_SP_SIGNINS:-10000}
LAT=${BENCH_LATENCY_MS:-50}
W=$(mktemp -d "${TMPDIR:-/tmp}/reflexe-bench-apps.XXXXXX")
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; [ -n "${BENCH_KEEP:-}" ] || rm -rf "$W"' EXIT

sh "$TOP/tests/pki.sh" "$W/pki" >/dev/null 2>&1 || { echo "check_apps: pki.sh failed"; exit 1; }
export REFLEXE_CA_FILE=$W/pki/ca.pem
APP=3c9e2f1a-7b4d-4c8e-9f0a-1b2c3d4e5f6a SECRET=bench-$$
start() {  # start LATENCY LOG: a fresh fake
	[ -n "$PID" ] && { kill $PID 2>/dev/null; wait $PID 2>/dev/null; }
	rm -f "$W/port"
	python3 "$TOP/tests/fake/msfake.py" --cert "$W/pki/rsa.chain.pem" --key "$W/pki/rsa.key" --port 0 \
		--port-file "$W/port" --gen-users "$USERS" --gen-admins 10 --gen-signins 200 --gen-sps "$SPS" \
		--gen-grants "$GRANTS" --gen-sp-signins "$SPSI" --prewarm --latency-ms "$1" --client-id "$APP" \
		--client-secret "$SECRET" --log "$W/$2" 2>"$W/fake.err" &
	PID=$!
	for _ in $(seq 1800); do [ -s "$W/port" ] && break; sleep 0.1; done
	[ -s "$W/port" ] || { echo "check_apps: the fake did not start"; cat "$W/fake.err"; exit 1; }
	U=https://127.0.0.1:$(cat "$W/port")
	export AZURE_AUTHORITY_HOST=$U REFLEXE_GRAPH_URL=$U REFLEXE_EXO_URL=$U
}
export AZURE_TENANT_ID=contoso.onmicrosoft.com AZURE_CLIENT_ID=$APP AZURE_CLIENT_SECRET=$SECRET
export REFLEXE_KEYRING=off REFLEXE_WHO=bench
unset AZURE_CLIENT_CERTIFICATE_PATH https_proxy HTTPS_PROXY
# A warm-up pass first on each fake (its filters and pages cached, as
# check_admins.sh does): the fake's Python, not the client, would
# otherwise be timed.
timed() {  # timed CASE TIMEFILE OUT
	"$R" check-apps --case "$W/$1.cold" --format json -q >/dev/null 2>&1
	T0=$(date +%s.%N)
	/usr/bin/time -f '%e %M' -o "$W/$2" "$R" check-apps --case "$W/$1" --format json -q >"$3" 2>"$W/$1.err"
}
start 0 fake0.jsonl
timed case0 time0 /dev/null
read -r wall0 rss0 < <(tail -1 "$W/time0")
start "$LAT" fake.jsonl
echo "fake Graph: $SPS service principals, $GRANTS delegated grants, $SPSI service principal sign-ins, $USERS users, ${LAT} ms per request"
timed case time "$W/out.json"
rc=$?
read -r wall rss < <(tail -1 "$W/time")
python3 - "$W/fake.jsonl" "$W/out.json" "$wall" "$rss" "$LAT" "$rc" "$wall0" "$T0" <<'EOF'
import json, math, sys
log, out, wall, rss, lat, rc, wall0, t0 = sys.argv[1:]
lat = int(lat) / 1000.0
L = sorted((e for e in (json.loads(l) for l in open(log) if l.strip()) if e["wall"] >= float(t0)), key=lambda e: e["t"])
batches = [e for e in L if e["path"].endswith("$batch")]
subs = sum(len(e.get("batch", [])) for e in batches)
listings = {}
for e in L:
    if e["method"] == "GET" and ("/v1.0/" in e["path"] or "/beta/" in e["path"]) and "organization" not in e["path"] \
            and "subscribedSkus" not in e["path"]:
        key = e["path"].split("?")[0] + ("@roles" if "appRoles" in e["path"] else "")
        listings[key] = listings.get(key, 0) + 1
setup = sum(1 for e in L if "/oauth2/" in e["path"] or "organization" in e["path"] or "subscribedSkus" in e["path"])
objs = sum(n for k, n in listings.items() if k.endswith(("/v1.0/applications", "/v1.0/servicePrincipals")))
longest = max((n for k, n in listings.items() if not k.endswith(("/v1.0/applications", "/v1.0/servicePrincipals"))),
              default=0)
par = 8   # collect/collect.h COLLECT_PARALLEL
wave2 = math.ceil(len(batches) / par)
wave1 = max(longest, objs + wave2)
path = (setup + wave1) * lat
bound = max(path, float(wall0))
d = json.load(open(out))
print("check-apps live: %.2f s wall, %d requests (%d \$batch carrying %d sub-requests), peak RSS %d KB, exit %s"
      % (float(wall), len(L), len(batches), subs, int(rss), rc))
print("latency path: %d set-up + max(%d pages of the longest listing, %d pages of objects + %d rounds of \$batch over "
      "%d connections) = %.2f s" % (setup, longest, objs, wave2, par, path))
print("no-latency floor (the same run, fake at 0 ms): %.2f s" % float(wall0))
print("lower bound = max of the two = %.2f s; wall is %.2fx of it (target <= 1.5x); peak RSS < 32 MB: %s"
      % (bound, float(wall) / bound, int(rss) < 32 * 1024))
print("verdict %s, %d findings, %d unknown" % (d["verdict"]["answer"], len(d["findings"]), len(d["unknown"])))
EOF
n=$(find "$W/case/graph" -name 'page-*.json' | wc -l)
echo "case folder: $n pages, $(du -sk "$W/case" | cut -f1) KB"
/usr/bin/time -f '%e %M' -o "$W/time2" "$R" check-apps --offline --case "$W/case" --format json >/dev/null 2>&1
read -r wall2 rss2 < <(tail -1 "$W/time2")
echo "check-apps --offline on that case: ${wall2} s, peak RSS ${rss2} KB"
/usr/bin/time -f '%e %M' -o "$W/time3" "$R" check-apps --offline --case "$W/case" --format csv >"$W/c.csv" 2>/dev/null
read -r wall3 rss3 < <(tail -1 "$W/time3")
echo "the consent file (--format csv): $(($(wc -l <"$W/c.csv") - 1)) rows in ${wall3} s, peak RSS ${rss3} KB"
