# check-mail figures (issue 10, Speed): the whole applet, live, against
# the fake Exchange admin API with 50 ms added per request and 1,000
# mailboxes: wall time, the Exchange calls (from the fake's own log), the
# per-mailbox ones (Get-InboxRule and Get-MailboxPermission: 2 a
# mailbox), and the ratio the issue compares with:
#   wall ÷ (calls ÷ connections × latency), connections = 4 in flight,
# target ≤ 1.5; peak RSS, target < 32 MB. Then the same case again
# (every mailbox already read: resumed, nothing asked per mailbox) and
# --offline. Prints figures, asserts nothing.
set -u
R=${REFLEXE:?}
TOP=$(cd "$(dirname "$0")/.." && pwd)
USERS=${BENCH_MAILBOXES:-1000}
LAT=${BENCH_LATENCY_MS:-50}
W=$(mktemp -d "${TMPDIR:-/tmp}/reflexe-bench-mail.XXXXXX")
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; [ -n "${BENCH_KEEP:-}" ] || rm -rf "$W"' EXIT

sh "$TOP/tests/pki.sh" "$W/pki" >/dev/null 2>&1 || { echo "check_mail: pki.sh failed"; exit 1; }
export REFLEXE_CA_FILE=$W/pki/ca.pem
APP=3c9e2f1a-7b4d-4c8e-9f0a-1b2c3d4e5f6a SECRET=bench-$$
python3 "$TOP/tests/fake/msfake.py" --cert "$W/pki/rsa.chain.pem" --key "$W/pki/rsa.key" --port 0 \
	--port-file "$W/port" --gen-users "$USERS" --gen-guests 0 --prewarm --latency-ms "$LAT" \
	--client-id "$APP" --client-secret "$SECRET" --log "$W/fake.jsonl" 2>"$W/fake.err" &
PID=$!
for _ in $(seq 1200); do [ -s "$W/port" ] && break; sleep 0.1; done
[ -s "$W/port" ] || { echo "check_mail: the fake did not start"; cat "$W/fake.err"; exit 1; }
U=https://127.0.0.1:$(cat "$W/port")
export AZURE_AUTHORITY_HOST=$U REFLEXE_GRAPH_URL=$U REFLEXE_EXO_URL=$U
export AZURE_TENANT_ID=contoso.onmicrosoft.com AZURE_CLIENT_ID=$APP AZURE_CLIENT_SECRET=$SECRET
export REFLEXE_KEYRING=off REFLEXE_WHO=bench

T0=$(date +%s.%N)
/usr/bin/time -f '%e %M' -o "$W/time" "$R" check-mail --case "$W/case" --format json -q >"$W/out.json" 2>"$W/err"
rc=$?
T1=$(date +%s.%N)
/usr/bin/time -f '%e %M' -o "$W/time2" "$R" check-mail --case "$W/case" --format json -q >/dev/null 2>&1
/usr/bin/time -f '%e %M' -o "$W/time3" "$R" check-mail --offline --case "$W/case" --format json -q >/dev/null 2>&1
python3 - "$W/fake.jsonl" "$W/time" "$LAT" "$rc" "$T0" "$T1" "$W/time2" "$W/time3" <<'EOF'
import json, sys
log, tf, lat, rc, t0, t1, tf2, tf3 = sys.argv[1:]
wall, rss = map(float, open(tf).read().split()[-2:])
L = [e for e in (json.loads(l) for l in open(log) if l.strip()) if float(t0) <= e["wall"] < float(t1)]
exo = [e for e in L if e["service"] == "exo"]
per = [e for e in exo if e.get("exo", {}).get("cmdlet") in ("Get-InboxRule", "Get-MailboxPermission")]
floor = len(exo) / 4 * int(lat) / 1000.0
print("check-mail live: %d mailboxes, %.2f s wall, %d Exchange calls (%d per mailbox, %d requests in all), "
      "peak RSS %.1f MB, exit %s" % (len(per) // 2, wall, len(exo), len(per), len(L), rss / 1024, rc))
print("  calls / 4 connections x %s ms = %.2f s; ratio %.2f (target <= 1.5); RSS target < 32 MB"
      % (lat, floor, wall / floor if floor else 0))
w2, r2 = map(float, open(tf2).read().split()[-2:])
w3, r3 = map(float, open(tf3).read().split()[-2:])
print("  again, resumed (no mailbox asked): %.2f s, peak RSS %.1f MB; --offline: %.2f s, peak RSS %.1f MB"
      % (w2, r2 / 1024, w3, r3 / 1024))
EOF
