# Graph client end to end against the fake Graph: paging over 25 pages,
# $batch mixing 200 / 429 / 503 / 404, Retry-After honoured (checked on
# the fake's own request times), backoff, caps, network faults, errors
# turned into ok / none / unknown / failed, the probe, --offline giving
# the same parsed result as the live run, the manifest, and no token
# anywhere.
. "$(dirname "$0")/graph_env.sh"

# ---- paging: 100 users, 4 per page = 25 pages ---------------------------------
fake paging --gen-users 100 --page-size 4
tokens
C=$T/case1
gg list25 --case "$C" --tenant contoso.onmicrosoft.com --stats list /v1.0/users --select id,displayName
check "list: exit 0" test "$RC" = 0
check "list: 100 users over 25 pages" grep -qP '^result\t/v1.0/users\tok\t100\t25\t' "$T/list25.out"
check "list: page-0001 … page-0025 saved" test -s "$C/graph/v1.0/users/page-0025.json" -a ! -e "$C/graph/v1.0/users/page-0026.json"
logok "list: 25 GETs reached the fake" 'sum(1 for e in L if e["path"].startswith("/v1.0/users")) == 25'
logok "list: one keep-alive connection" 'len({e["conn"] for e in L if e["path"].startswith("/v1.0/users")}) == 1'
logok "list: \$select kept on every page" 'all("select=id,displayName" in e["path"] for e in L if e["path"].startswith("/v1.0/users"))'
check "list: handshakes=1 in the stats" grep -q 'handshakes=1' "$T/list25.out"
check "list: progress on stderr" grep -q '/v1.0/users: 100 item(s), 25 page(s)' "$T/list25.err"
gg list25q --case "$C" -q list /v1.0/users --select id,displayName
check "list -q: nothing on stderr" test ! -s "$T/list25q.err"
# every client-request-id the fake received is in requests.jsonl, once
logq '"\n".join(sorted(e["headers"]["client-request-id"] for e in L if e["service"] == "graph"))' >"$T/crid.fake"
python3 -c 'import json,sys; print("\n".join(sorted(json.loads(l)["client_request_id"] for l in open(sys.argv[1]))))' \
	"$C/requests.jsonl" >"$T/crid.case"
check "client-request-id: the same 50 ids in requests.jsonl and at the fake" cmp -s "$T/crid.fake" "$T/crid.case"
check "client-request-id: all distinct UUID v4" test "$(sort -u "$T/crid.case" | grep -cE '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$')" = 50
check "requests.jsonl: skip tokens redacted" grep -q 'skiptoken=REDACTED' "$C/requests.jsonl"
check "requests.jsonl: sha256 of each saved page" python3 -c '
import hashlib, json, sys, os
for l in open(sys.argv[1]):
    d = json.loads(l)
    if d.get("path"):
        assert hashlib.sha256(open(os.path.join(sys.argv[2], d["path"]), "rb").read()).hexdigest() == d["sha256"]' \
	"$C/requests.jsonl" "$C"
gg filter --case "$C" list /v1.0/users --filter "userType eq 'Guest'" --select id,userType --top 2
check "\$filter/\$select/\$top: only guests, only the selected fields" python3 -c '
import json, sys
items = [json.loads(l.split("\t", 2)[2]) for l in open(sys.argv[1]) if l.startswith("item\t")]
assert items and all(i["userType"] == "Guest" and set(i) <= {"id", "userType"} for i in items), items' "$T/filter.out"
logok "\$filter sent percent-encoded, \$top on the first page" 'any("filter=userType%20eq%20\x27Guest\x27" in e["path"] and "top=2" in e["path"] for e in L)'
gg count --case "$C" list /v1.0/users --count --top 50 --print none
logok "\$count sends ConsistencyLevel: eventual" 'any(e["headers"].get("consistencylevel") == "eventual" and "count=true" in e["path"] for e in L)'

# ---- Retry-After on 429 and 503, backoff without it -----------------------------
fake throttle --gen-users 30 --page-size 10 \
	--fault 'kind=429,path=^/v1.0/groups,count=2,retry_after=1.5' \
	--fault 'kind=503,path=^/v1.0/domains,count=1,retry_after=none' \
	--fault 'kind=503,path=^/v1.0/applications,count=inf,retry_after=none'
tokens
C=$T/case2
gg ra --case "$C" --parallel 1 list /v1.0/groups
check "429 twice then 200: collected" grep -qP '^result\t/v1.0/groups\tok\t' "$T/ra.out"
check "429: throttling shown on stderr" grep -q 'throttled (HTTP 429), pausing 1.5 s (Retry-After asked)' "$T/ra.err"
# No request reached the fake before the Retry-After of a 429 was over.
logok "Retry-After 1.5 s honoured (fake's clock)" '
all(f["t"] >= e["t_done"] + float(e["retry_after"]) - 0.005
    for e in L if e["status"] == 429 for f in L if f["t"] > e["t_done"])'
logok "429: three requests in all" 'sum(1 for e in L if e["path"].startswith("/v1.0/groups")) == 3'
check "requests.jsonl keeps the 429s and their Retry-After" test "$(grep -c '"status":429.*"retry_after":"1.5"' "$C/requests.jsonl")" = 2
gg backoff --case "$C" list /v1.0/domains
check "503 without Retry-After: backoff then collected" grep -qP '^result\t/v1.0/domains\tok\t' "$T/backoff.out"
check "503 without Retry-After: said so" grep -q 'exponential backoff' "$T/backoff.err"
gg giveup --case "$C" --max-retries 3 list /v1.0/applications
check "503 for ever: exit 3" test "$RC" = 3
check "503 for ever: clear error" grep -q 'still HTTP 503 after 3 attempts: giving up' "$T/giveup.err"
logok "503 for ever: exactly 3 attempts" 'sum(1 for e in L if e["path"].startswith("/v1.0/applications")) == 3'

fake cap --fault 'kind=429,path=^/v1.0/users,count=inf,retry_after=2'
tokens
gg cap --case "$T/case3" --max-wait 3 list /v1.0/users
check "throttling cap: exit 3" test "$RC" = 3
check "throttling cap: clear error" grep -q 'the 3 s cap is reached, collection abandoned' "$T/cap.err"

# Throttled more times than the attempt limit, each 429 with its
# Retry-After: none of them uses up an attempt (a tenant with many
# admins meets the 10-per-minute signInActivity limit more than 6
# times); only the cap on total throttling wait bounds them. The same
# for $batch sub-requests. 5xx and 429 without a header keep the limit
# (the 503 for ever above).
U=/users/a1000000-0000-4000-8000-0000000000
fake many \
	--fault 'kind=429,path=^/v1.0/groups,count=10,retry_after=0.2' \
	--fault 'kind=503,path=^/v1.0/domains,count=10,retry_after=0.2' \
	--fault 'kind=429,path=^/v1.0/applications,count=inf,retry_after=0.3' \
	--fault 'kind=429,path=^/v1.0/servicePrincipals,count=10,retry_after=none' \
	--fault 'kind=429,in=batch,path=a1000000-0000-4000-8000-000000000002/authentication,count=10,retry_after=0.2' \
	--fault 'kind=429,in=batch,path=a1000000-0000-4000-8000-000000000003/authentication,count=inf,retry_after=0.3'
tokens
C=$T/case3b
gg many --case "$C" --max-retries 6 list /v1.0/groups
check "429 ten times with Retry-After (attempt limit 6): collected" grep -qP '^result\t/v1.0/groups\tok\t' "$T/many.out"
logok "429 ten times: eleven requests in all" 'sum(1 for e in L if e["path"].startswith("/v1.0/groups")) == 11'
logok "429 ten times: no request before its Retry-After was over (fake's clock)" '
all(f["t"] >= e["t_done"] + float(e["retry_after"]) - 0.005
    for e in L if e["status"] == 429 for f in L if f["t"] > e["t_done"])'
gg many503 --case "$C" --max-retries 6 list /v1.0/domains
check "503 ten times with Retry-After: collected" grep -qP '^result\t/v1.0/domains\tok\t' "$T/many503.out"
gg manycap --case "$C" --max-retries 6 --max-wait 2 list /v1.0/applications
check "429 with Retry-After past a 2 s cap: exit 3" test "$RC" = 3
check "429 with Retry-After past a 2 s cap: the cap's clear error, not the attempt limit" \
	grep -q 'the 2 s cap is reached, collection abandoned' "$T/manycap.err"
logok "429 with Retry-After past a 2 s cap: more requests than the attempt limit" \
	'sum(1 for e in L if e["path"].startswith("/v1.0/applications")) > 6'
LANG=fr_FR.UTF-8 gg manycapfr --case "$C" --max-retries 6 --max-wait 1 list /v1.0/applications
check "plafond d'attente : message en français" grep -q 'plafond de 1 s atteint, collecte abandonnée' "$T/manycapfr.err"
gg manynora --case "$C" --max-retries 3 list /v1.0/servicePrincipals
check "429 without Retry-After: still the attempt limit" grep -q 'still HTTP 429 after 3 attempts: giving up' "$T/manynora.err"
logok "429 without Retry-After: exactly 3 attempts" 'sum(1 for e in L if e["path"].startswith("/v1.0/servicePrincipals")) == 3'
gg manybatch --case "$C" --max-retries 6 batch v1.0 "${U}01/authentication/methods" "${U}02/authentication/methods"
check "batch: sub-request 429 ten times with Retry-After: collected" test "$(result manybatch "${U}02/authentication/methods")" = ok
logok "batch: that sub-request sent eleven times" 'sum(1 for e in L for s in e.get("batch", []) if "000000000002/auth" in s["url"]) == 11'
logok "batch: no \$batch before a sub-request Retry-After was over" '
all(f["t"] >= e["t_done"] + float(s["retry_after"]) - 0.005
    for e in L for s in e.get("batch", []) if s["status"] == 429 for f in L if f["t"] > e["t_done"])'
gg manybatchcap --case "$C" --max-retries 6 --max-wait 2 batch v1.0 "${U}03/authentication/methods"
check "batch: sub-request 429 with Retry-After past a 2 s cap: exit 3" test "$RC" = 3
check "batch: past the cap, the cap's clear error" grep -q 'the 2 s cap is reached, collection abandoned' "$T/manybatchcap.err"

# ---- network faults: retried, never saved ------------------------------------------
fake faults --page-size 3 \
	--fault 'kind=reset,path=^/v1.0/users,skip=1,count=1' \
	--fault 'kind=truncate,path=^/v1.0/groups,count=1' \
	--fault 'kind=malformed,path=^/v1.0/domains,count=1'
tokens
C=$T/case4
for p in users groups domains; do
	gg "fault-$p" --case "$C" list "/v1.0/$p"
	check "fault on /v1.0/$p: retried and collected" grep -qP "^result\t/v1.0/$p\tok\t" "$T/fault-$p.out"
done
check "faults: manifest checks" manifest_ok "$C"
check "faults: every saved page is JSON" python3 -c '
import glob, json, sys
for f in glob.glob(sys.argv[1] + "/graph/**/page-*.json", recursive=True):
    json.load(open(f))' "$C"

# The other wire faults the fake models: a body that stalls past the read
# timeout, a connection closed without an answer, a chunked body cut short,
# a proxy's HTML 502, a slow answer within the timeout, an expired token.
fake faults2 --page-size 3 \
	--fault 'kind=stall,path=^/v1.0/users,count=1,delay=3' \
	--fault 'kind=close,path=^/v1.0/groups,count=1' \
	--fault 'kind=chunked_truncate,path=^/v1.0/domains,count=1' \
	--fault 'kind=html,path=^/v1.0/applications,count=1' \
	--fault 'kind=slow,path=^/v1.0/servicePrincipals,count=1,delay=0.5' \
	--fault 'kind=401,path=^/v1.0/organization,count=1'
tokens
C=$T/case4b
for p in users groups domains applications servicePrincipals organization; do
	gg "fault2-$p" --case "$C" --idle-ms 1000 list "/v1.0/$p"
	check "fault on /v1.0/$p: retried and collected" grep -qP "^result\t/v1.0/$p\tok\t" "$T/fault2-$p.out"
done
# The fake logs a request once its answer is sent: the stalled one, 3 s
# after it began, may come after the client is done (this raced).
for _ in $(seq 50); do grep -q '"fault":"stall"' "$LOG" && break; sleep 0.1; done
logok "stall past the read timeout: the request was sent again" \
	'sum(1 for e in L if e["path"].startswith("/v1.0/users")) >= 2 and any(e.get("fault") == "stall" for e in L)'
logok "HTML 502 from a proxy: sent again" 'sum(1 for e in L if e["path"].startswith("/v1.0/applications")) == 2'
logok "slow answer within the timeout: asked once" 'sum(1 for e in L if e["path"].startswith("/v1.0/servicePrincipals")) == 1'
logok "401 (expired token): asked once more, with a token" \
	'[e["auth"]["present"] for e in L if e["path"].startswith("/v1.0/organization")] == [True, True]'
check "wire faults: nothing half-received was saved (manifest checks, JSON pages)" bash -c "
	(cd '$C' && sha256sum -c --quiet --strict manifest.sha256) && python3 -c '
import glob, json, sys
for f in glob.glob(sys.argv[1] + \"/graph/**/page-*.json\", recursive=True):
    json.load(open(f))' '$C'"
# requests.jsonl: the fields DESIGN.md names, and no Authorization
check "requests.jsonl: time, method, url, status, request-id, client-request-id, bytes, sha256 of saved pages" python3 -c '
import json, sys
n = 0
for l in open(sys.argv[1]):
    d = json.loads(l)
    for k in ("time", "method", "url", "status", "client_request_id", "bytes"):
        assert k in d, (k, d)
    if d["status"] == 200:
        assert d.get("request_id") and len(d.get("sha256", "")) == 64 and d.get("path"), d
        n += 1
    assert "uthorization" not in l and "Bearer" not in l, d
assert n >= 6, n' "$C/requests.jsonl"

# ---- $batch: 200, 429 (own Retry-After), 503, 404 (failed), 404 (none) ---------------
fake batch \
	--fault 'kind=429,in=batch,path=a1000000-0000-4000-8000-000000000002/authentication,count=2,retry_after=1' \
	--fault 'kind=503,in=batch,path=a1000000-0000-4000-8000-000000000003/authentication,count=1,retry_after=none' \
	--fault 'kind=500,in=batch,path=a1000000-0000-4000-8000-000000000004/authentication,count=1'
tokens
C=$T/case5
U=/users/a1000000-0000-4000-8000-0000000000
gg batch --case "$C" --parallel 4 --stats batch v1.0 "${U}01/authentication/methods" \
	"${U}02/authentication/methods" "${U}03/authentication/methods" "${U}04/authentication/methods" \
	/users/00000000-0000-4000-8000-00000000dead/authentication/methods \
	none:/domains/contoso.com/federationConfiguration
check "batch: exit 0" test "$RC" = 0
check "batch: 200 collected" test "$(result batch "${U}01/authentication/methods")" = ok
check "batch: 429 twice, retried on its own, collected" test "$(result batch "${U}02/authentication/methods")" = ok
check "batch: 503 retried, collected" test "$(result batch "${U}03/authentication/methods")" = ok
check "batch: 500 retried after a backoff, collected" test "$(result batch "${U}04/authentication/methods")" = ok
logok "batch: the 500 sub-request waited its backoff (>= 250 ms)" '
[f["t"] for f in L for s in f.get("batch", []) if "000000000004/auth" in s["url"]][1] >=
[e["t_done"] for e in L for s in e.get("batch", []) if "000000000004/auth" in s["url"]][0] + 0.25 - 0.005'
check "batch: 404 of a missing user = failed" test "$(result batch /users/00000000-0000-4000-8000-00000000dead/authentication/methods)" = failed
check "batch: 404 where none is an answer = none" test "$(result batch /domains/contoso.com/federationConfiguration)" = none
logok "batch: the 429 sub-request sent 3 times in all" 'sum(1 for e in L for s in e.get("batch", []) if "000000000002/auth" in s["url"]) == 3'
logok "batch: only the throttled and failed sub-requests were sent again" '
all(("000000000002/auth" in s["url"] or "000000000003/auth" in s["url"] or "000000000004/auth" in s["url"])
    for e in [x for x in L if x.get("batch")][1:] for s in e["batch"])'
logok "batch: answers were shuffled" 'any(e["batch_order"] != [s["id"] for s in e["batch"]] for e in L if len(e.get("batch", [])) > 1)'
logok "batch: sub-request Retry-After honoured by every connection" '
all(f["t"] >= e["t_done"] + 1 - 0.005
    for e in L if any(s["status"] == 429 for s in e.get("batch", [])) for f in L if f["t"] > e["t_done"])'
# matched by id although shuffled: each page is its own user's
check "batch: each answer saved under its own sub-request" python3 -c '
import json, sys
for n in ("01", "02", "03"):
    u = "a1000000-0000-4000-8000-0000000000" + n
    d = json.load(open(sys.argv[1] + "/graph/v1.0/users/%s/authentication/methods/page-0001.json" % u))
    assert u in d["@odata.context"], (u, d["@odata.context"])' "$C"
check "batch: sub-requests logged with their \$batch" test "$(grep -c '"batch":' "$C/requests.jsonl")" -ge 7
check "batch: manifest checks" manifest_ok "$C"

# A sub-request's 429 while other batches are in flight on other
# connections: once its answer is back, no connection sends before its
# Retry-After is over. Requests the fake received within 20 ms of that
# answer were already on their way (sent before it arrived).
fake batch-ra --gen-users 200 --latency-ms 50 \
	--fault 'kind=429,in=batch,path=/users/[^/]*/memberOf,skip=30,count=1,retry_after=1'
tokens
gg batch-ra --case "$T/case5c" --parallel 4 --print none batch v1.0 --ids-from /v1.0/users --template '/users/{id}/memberOf'
check "429 amid parallel batches: 200 results ok" test "$(grep -cP '^result\t/users/.*/memberOf\tok\t' "$T/batch-ra.out")" = 200
logok "429 amid parallel batches: no connection sent inside the Retry-After" '
[f["t"] for e in L if any(s["status"] == 429 for s in e.get("batch", []))
        for f in L if e["t_done"] + 0.02 < f["t"] < e["t_done"] + 1 - 0.005] == []'
# On the connection that carried the 429 the next request can only follow
# it: no tolerance there (the connection went back to the pool, and to a
# waiting worker, before the hold was set: fixed).
logok "429 amid parallel batches: its own connection waited the Retry-After too" '
[f["t"] for e in L if any(s["status"] == 429 for s in e.get("batch", []))
        for f in L if f["conn"] == e["conn"] and e["t_done"] < f["t"] < e["t_done"] + 1 - 0.005] == []'

# A 429 that comes back while other connections are still being opened:
# each new connection's handshake takes 300 ms at the fake, so the
# workers on them passed the hold before the 429 existed and are still
# connecting when it arrives on the one connection already open. They
# must wait its Retry-After once connected, before sending (the hold is
# checked again right before the bytes leave). The only requests allowed
# inside it are those already on their way, within the fake's own timing
# jitter (5 ms); none is here, the other connections being still in
# their handshakes.
fake batch-hs --gen-users 200 --handshake-delay-ms 300 \
	--fault 'kind=429,in=batch,path=/users/[^/]*/memberOf,count=1,retry_after=1'
tokens
gg batch-hs --case "$T/case5d" --parallel 4 --print none batch v1.0 --ids-from /v1.0/users --template '/users/{id}/memberOf'
check "429 while connections open: 200 results ok" test "$(grep -cP '^result\t/users/.*/memberOf\tok\t' "$T/batch-hs.out")" = 200
logok "429 while connections open: they were opened (several connections)" 'len({e["conn"] for e in L if e.get("batch")}) >= 2'
logok "429 while connections open: none sent inside the Retry-After once connected" '
[f["t"] for e in L if any(s["status"] == 429 for s in e.get("batch", []))
        for f in L if e["t_done"] + 0.020 < f["t"] < e["t_done"] + 1 - 0.005] == []'

# 60 users: 3 batches of 20 over 3 connections, one result each
fake batch60 --gen-users 60
tokens
gg batch60 --case "$C" --parallel 4 --stats --print none batch v1.0 --ids-from /v1.0/users --template '/users/{id}/memberOf'
check "batch of 60: 60 results ok" test "$(grep -cP '^result\t/users/.*/memberOf\tok\t' "$T/batch60.out")" = 60
logok "batch of 60: no \$batch over 20 requests" 'max(len(e.get("batch", [])) for e in L) == 20'
logok "batch of 60: several connections at once" 'len({e["conn"] for e in L if e.get("batch") and len(e["batch"]) == 20}) >= 2'

# A sub-response without a usable status is asked again like a missing
# one, within the same cap (it must not loop for ever).
fake badsub --fault 'kind=status,status=0,in=batch,path=a1000000-0000-4000-8000-000000000005/authentication,count=inf'
tokens
timeout 60 "$GG" --case "$T/case5b" --max-retries 3 batch v1.0 "${U}05/authentication/methods" \
	"${U}01/authentication/methods" >"$T/badsub.out" 2>"$T/badsub.err"
check "sub-response without a status: gives up after the cap" test "$(result badsub "${U}05/authentication/methods")" = failed
check "sub-response without a status: the others are collected" test "$(result badsub "${U}01/authentication/methods")" = ok
logok "sub-response without a status: sent exactly 3 times" 'sum(1 for e in L for s in e.get("batch", []) if "000000000005/auth" in s["url"]) == 3'

# --parallel: the default is 4 connections, and N caps them
fake par --gen-users 200 --latency-ms 20
tokens
gg par-default --case "$T/case-par" -q --print none batch v1.0 --ids-from /v1.0/users --template '/users/{id}/memberOf'
logok "default: \$batch over 4 connections" 'len({e["conn"] for e in L if e.get("batch")}) == 4'
: >"$LOG"
gg par-2 --case "$T/case-par" -q --print none --parallel 2 batch v1.0 --ids-from /v1.0/users --template '/users/{id}/memberOf'
check "--parallel 2: 200 results ok" test "$(grep -cP '^result\t/users/.*/memberOf\tok\t' "$T/par-2.out")" = 200
logok "--parallel 2: \$batch over 2 connections, no more" 'len({e["conn"] for e in L if e.get("batch")}) == 2'

# ---- errors a responder can act on ------------------------------------------------
fake nolicence --tenant-file "$TOP/tests/fake/tenants/nolicence.json" --scopes User.Read,Directory.Read.All
tokens
C=$T/case6
gg p1 --case "$C" list /v1.0/auditLogs/signIns
check "no P1: exit 0 (unknown is an answer)" test "$RC" = 0
check "no P1: unknown — needs Entra ID P1" grep -qP '^result\t/v1.0/auditLogs/signIns\tunknown\t.*Authentication_RequestFromNonPremiumTenantOrB2CTenant\tunknown — needs an Entra ID P1' "$T/p1.out"
gg scope --case "$C" list /v1.0/auditLogs/directoryAudits
check "missing scope: unknown — needs AuditLog.Read.All" grep -qP '^result\t/v1.0/auditLogs/directoryAudits\tunknown\t.*needs permission AuditLog.Read.All' "$T/scope.out"
gg probe --case "$C" probe
check "probe: exit 0" test "$RC" = 0
check "probe: no P1, no P2 in this tenant" grep -qP '\tp1=0\tp2=0\t' "$T/probe.out"
check "probe: the granted scopes" grep -qP '^probe\tscopes=.*Directory.Read.All' "$T/probe.out"
check "probe: probe.json saved and listed" grep -q '  probe.json$' "$C/manifest.sha256"

fake licensed
tokens
C=$T/case7
gg probe2 --case "$C" probe
check "probe: P1 and P2 and Exchange" grep -qP '\tp1=1\tp2=1\texo=1\tapp=0\t' "$T/probe2.out"
check "probe: signed-in user's directory roles" grep -q '^probe	roles=.*Global Administrator' "$T/probe2.out"
check "probe: tenant id and domains written to case.ini" grep -q "^tenant_id = $TENANT" "$C/case.ini"
check "probe.json: tenant id, verified domains, licences, scopes, directory roles" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["tenant_id"] == sys.argv[2] and set(d["domains"]) >= {"contoso.com", "contoso.onmicrosoft.com"}, d
assert d["licences"] == {"entra_id_p1": True, "entra_id_p2": True, "exchange_online": True}, d
assert "Directory.Read.All" in d["scopes"] and "Global Administrator" in d["directory_roles"], d' "$C/probe.json" "$TENANT"
LANG=fr_FR.UTF-8 gg fr --case "$C" list /v1.0/nowhere
check "errors in French" grep -q 'échec' "$T/fr.out"

# ---- --offline: same parsed result as the live run ----------------------------------
fake offline --gen-users 45 --page-size 7
tokens
C=$T/case8
gg live-list --case "$C" -q list /v1.0/users --top 7
gg live-batch --case "$C" -q batch v1.0 --ids-from /v1.0/users --template '/users/{id}/authentication/methods'
t_stop "$FAKE_PID"; FAKE_PID=
gg off-list --case "$C" --offline -q list /v1.0/users --top 7
gg off-batch --case "$C" --offline -q batch v1.0 --ids-from /v1.0/users --template '/users/{id}/authentication/methods'
check "offline list: exit 0 with the fake stopped" test "$RC" = 0
check "offline list: same items, same evidence paths" cmp -s <(grep -v '^result' "$T/live-list.out") <(grep -v '^result' "$T/off-list.out")
check "offline list: 45 items" test "$(grep -c '^item' "$T/off-list.out")" = 45
check "offline batch: same items as live" cmp -s <(grep '^item' "$T/live-batch.out" | sort) <(grep '^item' "$T/off-batch.out" | sort)
check "offline batch: 45 results ok" test "$(grep -cP '^result\t/users/.*\tok\t' "$T/off-batch.out")" = 45
# a collection cut in the middle live is not whole offline either
fake cut --gen-users 20 --page-size 4 --fault 'kind=500,path=skiptoken,skip=1,count=inf'
tokens
gg cut-live --case "$C" --max-retries 2 list /v1.0/users --top 4 --save-as graph/cut/users
check "cut live: failed" grep -qP '^result\t/v1.0/users\tfailed\t' "$T/cut-live.out"
t_stop "$FAKE_PID"; FAKE_PID=
gg cut-off --case "$C" --offline list /v1.0/users --top 4 --save-as graph/cut/users
check "cut live, offline: not presented as whole (exit 3)" test "$RC" = 3
check "cut live, offline: says the collection is incomplete" grep -q 'incomplete collection in the case folder: graph/cut/users' "$T/cut-off.err"
gg off-absent --case "$C" --offline list /v1.0/groups
check "offline: what was not collected is absent" grep -qP '^result\t/v1.0/groups\tabsent\t' "$T/off-absent.out"
# the manifest: passes, then fails after one byte changes; offline refuses
check "manifest: sha256sum -c passes" manifest_ok "$C"
f=$C/graph/v1.0/users/page-0003.json
python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[40]^=1; open(p,"wb").write(b)' "$f"
check "manifest: sha256sum -c fails after a byte changed" not manifest_ok "$C"
gg off-tamper --case "$C" --offline list /v1.0/users --top 7
check "offline: altered evidence refused (exit 3)" test "$RC" = 3
check "offline: says which file was altered" grep -q 'evidence altered since it was collected.*graph/v1.0/users/page-0003.json' "$T/off-tamper.err"
python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[40]^=1; open(p,"wb").write(b)' "$f"
check "manifest: the byte changed back, sha256sum -c passes again" manifest_ok "$C"
mv "$C/graph/v1.0/users/page-0004.json" "$T/page-0004.json"
gg off-gone --case "$C" --offline list /v1.0/users --top 7
check "offline: a listed page gone from the folder is refused (exit 3)" test "$RC" = 3
check "offline: says which listed page is missing" grep -q 'listed in the manifest (manifest.sha256) but missing from the folder: graph/v1.0/users/page-0004.json' "$T/off-gone.err"


# ---- memory: pages are handled one at a time ------------------------------------------
case "$TESTBIN" in
*asan*) ;;
*)
	fake big --gen-users 10000 --prewarm
	tokens
	/usr/bin/time -f %M -o "$T/rss" "$GG" --case "$T/case9" -q --print none list /v1.0/users --top 999 >"$T/big.out" 2>"$T/big.err"
	check "10,000 users: collected" grep -qP '^result\t/v1.0/users\tok\t10000\t11\t' "$T/big.out"
	check "10,000 users in under 32 MB of memory ($(cat "$T/rss") KB)" test "$(cat "$T/rss")" -lt 32768
	;;
esac

# ---- no token, no secret anywhere ------------------------------------------------------
check "no token in any case folder, stdout or stderr" no_secret "$T"/case* "$T"/*.out "$T"/*.err
