#!/usr/bin/env bash
# Self-test of the fake Microsoft servers (tests/fake/msfake.py), driven with
# curl --cacert over a throwaway CA.  Prints "PASS name" / "FAIL name" lines,
# then "N passed, M failed"; exits 1 on any failure.  Needs python3, openssl,
# curl.  About 15 s.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
FAKE="$HERE/msfake.py"
W=$(mktemp -d "${TMPDIR:-/tmp}/msfake-selftest.XXXXXX")
NPASS=0 NFAIL=0
PIDS=()
cleanup() {
	for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	[ "${KEEP:-}" ] || rm -rf "$W"
}
trap cleanup EXIT
pass() { echo "PASS fake-selftest: $*"; NPASS=$((NPASS + 1)); }
fail() { echo "FAIL fake-selftest: $*"; NFAIL=$((NFAIL + 1)); }
check() { local _name=$1; shift; if "$@"; then pass "$_name"; else fail "$_name"; fi; }
# ok NAME 'shell condition' (may use && and ||)
ok() { local _name=$1; shift; if eval "$*"; then pass "$_name"; else fail "$_name"; fi; }
# py 'expression over d' FILE: evaluates a Python expression with d = the JSON in FILE
py() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); r=($1); print(r if not isinstance(r,bool) else int(r))" "$2" 2>/dev/null; }
pyt() { [ "$(py "$1" "$2")" = 1 ]; }

# ---- throwaway PKI: CA, server leaf (localhost, 127.0.0.1), app certificate ----
cd "$W" || exit 1
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=msfake selftest CA" \
	-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr -subj "/CN=localhost" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >ext.cnf
openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem -days 2 -extfile ext.cnf 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout app.key -out app.pem -days 2 -subj "/CN=reflexe-app" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem -days 2 -subj "/CN=other" 2>/dev/null
[ -s leaf.pem ] && [ -s app.pem ] || { echo "FAIL fake-selftest: openssl could not make the test PKI"; echo "0 passed, 1 failed"; exit 1; }

CID=11111111-2222-3333-4444-555555555555
SECRET="s3cr3t-$(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')"
TID=6b1f9a3e-2c4d-4e5f-8a9b-0c1d2e3f4a5b
GCLI=14d82eec-204b-4c2f-b7e8-296a70dab67e

# start NAME ARGS...: starts a fake, waits for its port file, sets B (base URL) and LOG
start() {
	local name=$1; shift
	MSFAKE_CLIENT_SECRET="$SECRET" python3 "$FAKE" --cert leaf.pem --key leaf.key --port 0 \
		--port-file "$name.port" --log "$name.jsonl" "$@" 2>"$name.err" &
	PIDS+=($!)
	eval "PID_$name=$!"
	local i=0
	while [ ! -s "$name.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$name.port" ] || { cat "$name.err"; return 1; }
	B="https://127.0.0.1:$(cat "$name.port")"
	LOG="$W/$name.jsonl"
}
# -q: no ~/.curlrc; --noproxy: a caller's https_proxy must not carry
# requests to the loopback fake elsewhere.
C() { curl -q --noproxy '*' -sS --cacert "$W/ca.pem" --max-time 20 "$@"; }
b64u() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
# assertion ALG KEY CERT AUD [exp offset]
assertion() {
	local alg=$1 key=$2 cert=$3 aud=$4 expoff=${5:-600} now x5t hdr pl sig
	now=$(date +%s)
	x5t=$(openssl x509 -in "$cert" -outform DER | openssl dgst -sha256 -binary | b64u)
	hdr=$(printf '{"alg":"%s","typ":"JWT","x5t#S256":"%s"}' "$alg" "$x5t" | b64u)
	pl=$(printf '{"aud":"%s","iss":"%s","sub":"%s","jti":"%s","nbf":%d,"exp":%d}' "$aud" "$CID" "$CID" \
		"$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')" "$now" $((now + expoff)) | b64u)
	if [ "$alg" = PS256 ]; then
		sig=$(printf '%s.%s' "$hdr" "$pl" | openssl dgst -sha256 -sign "$key" -sigopt rsa_padding_mode:pss \
			-sigopt rsa_pss_saltlen:32 | b64u)
	else
		sig=$(printf '%s.%s' "$hdr" "$pl" | openssl dgst -sha256 -sign "$key" | b64u)
	fi
	printf '%s.%s.%s' "$hdr" "$pl" "$sig"
}
token_cc() {  # token_cc RESOURCE -> access token with the client secret
	C -d client_id=$CID -d grant_type=client_credentials --data-urlencode "client_secret=$SECRET" \
		--data-urlencode "scope=$1/.default" "$B/contoso.com/oauth2/v2.0/token" -o tok.json
	py 'd["access_token"]' tok.json
}

# ================= main instance: clean tenant, small pages, faults =================
start main --device-interval 1 --device-scenario pending:2 --page-size 3 \
	--client-id $CID --client-cert app.pem \
	--fault 'kind=429,path=^/v1.0/domains$,count=1,retry_after=1.5' \
	--fault 'kind=429,in=batch,path=/users/admin2,retry_after=2' \
	--fault 'kind=truncate,path=^/v1.0/groups$' \
	--fault 'kind=reset,path=^/v1.0/subscribedSkus$' \
	--fault 'kind=chunked_truncate,path=^/v1.0/organization$' \
	--fault 'kind=malformed,path=^/v1.0/applications$' \
	--fault 'kind=503,path=^/v1.0/directoryRoles$,retry_after=1' \
	--fault 'kind=429,path=/InvokeCommand,count=1,retry_after=1' ||
	{ fail "server starts"; echo "$NPASS passed, $NFAIL failed"; exit 1; }
pass "server starts and writes its port file"
check "TLS verifies against the test CA (SAN 127.0.0.1)" C -o /dev/null "$B/common/v2.0/.well-known/openid-configuration"

# ---- client credentials: secret ----
AT=$(token_cc https://graph.microsoft.com)
check "client credentials with the right secret" [ -n "$AT" ]
code=$(C -d client_id=$CID -d grant_type=client_credentials -d client_secret=wrong-secret \
	--data-urlencode "scope=https://graph.microsoft.com/.default" "$B/$TID/oauth2/v2.0/token" -o bad.json -w '%{http_code}')
check "client credentials with a wrong secret -> 401 invalid_client 7000215" \
	pyt 'd["error"]=="invalid_client" and d["error_codes"]==[7000215] and "trace_id" in d' bad.json
[ "$code" = 401 ] || fail "wrong secret status $code"

# ---- client credentials: JWT assertion RS256 / PS256, and refusals ----
AUD="$B/$TID/oauth2/v2.0/token"
cc_assert() {  # cc_assert ASSERTION OUTFILE -> status
	C -d client_id=$CID -d grant_type=client_credentials \
		-d client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer \
		--data-urlencode "client_assertion=$1" --data-urlencode "scope=https://graph.microsoft.com/.default" \
		"$AUD" -o "$2" -w '%{http_code}'
}
for alg in RS256 PS256; do
	A=$(assertion $alg app.key app.pem "$AUD"); echo "$A" >>assertions.txt
	[ "$(cc_assert "$A" ok.json)" = 200 ] && pyt '"access_token" in d' ok.json && pass "assertion $alg accepted" || fail "assertion $alg accepted"
	A=$(assertion $alg other.key app.pem "$AUD"); echo "$A" >>assertions.txt
	[ "$(cc_assert "$A" ko.json)" = 401 ] && pyt 'd["error"]=="invalid_client" and d["error_codes"]==[700027]' ko.json &&
		pass "assertion $alg signed by another key -> 401 700027" || fail "assertion $alg signed by another key"
done
A=$(assertion RS256 app.key app.pem "https://login.microsoftonline.com/$TID/oauth2/v2.0/token")
[ "$(cc_assert "$A" ko.json)" = 401 ] && pass "assertion with a wrong aud refused" || fail "assertion with a wrong aud refused"
A=$(assertion RS256 app.key app.pem "$AUD" -900)
[ "$(cc_assert "$A" ko.json)" = 401 ] && pyt 'd["error_codes"]==[700024]' ko.json &&
	pass "expired assertion -> 700024" || fail "expired assertion -> 700024"
A=$(assertion RS256 app.key other.pem "$AUD")
[ "$(cc_assert "$A" ko.json)" = 401 ] && pass "assertion naming another certificate (x5t#S256) refused" ||
	fail "assertion naming another certificate refused"

# ---- device code: pending, pending, success (interval 1 s) ----
C -d client_id=$GCLI --data-urlencode "scope=https://graph.microsoft.com/.default offline_access" \
	"$B/organizations/oauth2/v2.0/devicecode" -o dc.json
check "devicecode answers user_code, device_code, verification_uri, interval" \
	pyt 'all(k in d for k in ("user_code","device_code","verification_uri","expires_in","interval","message")) and d["interval"]==1' dc.json
DC=$(py 'd["device_code"]' dc.json)
res=""
for i in 1 2 3 4; do
	sleep 1.05
	C -d client_id=$GCLI -d grant_type=urn:ietf:params:oauth:grant-type:device_code --data-urlencode "device_code=$DC" \
		"$B/organizations/oauth2/v2.0/token" -o poll$i.json
	r=$(py 'd.get("error","ok")' poll$i.json); res="$res $r"
	[ "$r" = ok ] && break
done
check "device code: pending, pending, then tokens ($res)" [ "$res" = " authorization_pending authorization_pending ok" ]
check "delegated token: Bearer, scope, expires_in, access/refresh/id tokens" \
	pyt 'd["token_type"]=="Bearer" and all(k in d for k in ("scope","expires_in","ext_expires_in","access_token","refresh_token","id_token"))' poll3.json
check "access token is JWT-shaped with tid, upn, scp, aud, exp, oid" python3 - poll3.json <<'EOF'
import base64, json, sys
t = json.load(open(sys.argv[1]))["access_token"].split(".")
p = t[1] + "=" * (-len(t[1]) % 4)
c = json.loads(base64.urlsafe_b64decode(p))
sys.exit(0 if len(t) == 3 and all(k in c for k in ("tid", "upn", "scp", "aud", "exp", "oid")) and "Directory.Read.All" in c["scp"] else 1)
EOF
check "device polls logged with their spacing (none early)" python3 - "$LOG" <<'EOF'
import json, sys
polls = [json.loads(l)["login"] for l in open(sys.argv[1]) if '"poll"' in l]
sys.exit(0 if len(polls) == 3 and not any(p["early"] for p in polls) and all(p["since_prev"] >= 1 for p in polls) else 1)
EOF
UT=$(py 'd["access_token"]' poll3.json)
RT=$(py 'd["refresh_token"]' poll3.json)
C -d client_id=$GCLI -d grant_type=refresh_token --data-urlencode "refresh_token=$RT" \
	--data-urlencode "scope=https://outlook.office365.com/.default offline_access" "$B/$TID/oauth2/v2.0/token" -o exo.json
XT=$(py 'd["access_token"]' exo.json)
check "refresh token -> Exchange token (audience outlook)" pyt 'd["scope"].startswith("https://outlook.office365.com/")' exo.json
C -H "Authorization: Bearer $UT" "$B/v1.0/me?\$select=userPrincipalName" -o me.json
check "/me with the delegated token" pyt 'd["userPrincipalName"]=="admin1@contoso.com"' me.json

# ---- Graph: paging to the end, $select, $filter ----
url="$B/v1.0/users?\$select=id,userPrincipalName"
n=0 pages=0 badsel=0
while [ -n "$url" ] && [ $pages -lt 50 ]; do
	C -H "Authorization: Bearer $AT" "$url" -o page.json
	n=$((n + $(py 'len(d["value"])' page.json)))
	pages=$((pages + 1))
	pyt 'all(set(u)=={"id","userPrincipalName"} for u in d["value"])' page.json || badsel=1
	url=$(py 'd.get("@odata.nextLink","")' page.json)
done
ok "paging to the end: 10 users in 4 pages of 3 (got $n in $pages)" '[ "$n" = 10 ] && [ "$pages" = 4 ]'
check "\$select returns only the selected properties + id" [ $badsel = 0 ]
C -H "Authorization: Bearer $AT" "$B/v1.0/users?\$filter=userType%20eq%20'Guest'&\$select=id,userType" -o f.json
check "\$filter eq" pyt 'len(d["value"])==1 and d["value"][0]["userType"]=="Guest"' f.json
code=$(C -H "Authorization: Bearer $AT" "$B/v1.0/users?\$filter=contains(displayName,'a')" -o f.json -w '%{http_code}')
check "unsupported \$filter -> 400, never ignored" [ "$code" = 400 ]
code=$(C -H "Authorization: Bearer $AT" "$B/v1.0/domains/contoso.com/federationConfiguration" -o f.json -w '%{http_code}')
check "federationConfiguration of a managed domain -> 404" [ "$code" = 404 ]
code=$(C "$B/v1.0/users" -o f.json -w '%{http_code}')
check "no token -> 401 InvalidAuthenticationToken" pyt 'd["error"]["code"]=="InvalidAuthenticationToken"' f.json
code=$(C -H "Authorization: Bearer $XT" "$B/v1.0/users" -o f.json -w '%{http_code}')
check "Exchange token on Graph -> 401" [ "$code" = 401 ]
code=$(C -H "Authorization: Bearer $AT" -X PATCH -H 'Content-Type: application/json' -d '{}' "$B/v1.0/users/admin1@contoso.com" -o f.json -w '%{http_code}')
ok "PATCH refused (405) and flagged in the log" '[ "$code" = 405 ] && grep -q '\''"write_attempt":true'\'' "$LOG"'

# ---- 429 with Retry-After, honoured; the log proves it ----
code=$(C -H "Authorization: Bearer $AT" -H "client-request-id: ra-test-1" "$B/v1.0/domains" -D h.txt -o f.json -w '%{http_code}')
RA=$(tr -d '\r' <h.txt | awk -F': ' 'tolower($1)=="retry-after"{print $2}')
ok "429 with Retry-After: 1.5 (got $code, $RA)" '[ "$code" = 429 ] && [ "$RA" = 1.5 ]'
check "429 body in Graph's error shape, request-id and client-request-id echoed" \
	sh -c "python3 -c \"import json;d=json.load(open('f.json'));assert d['error']['code']=='TooManyRequests' and 'request-id' in d['error']['innerError']\" && grep -qi '^client-request-id: ra-test-1' h.txt"
sleep 1.5
code=$(C -H "Authorization: Bearer $AT" "$B/v1.0/domains" -o f.json -w '%{http_code}')
check "retry after the delay -> 200" [ "$code" = 200 ]
check "log: the retry arrived >= Retry-After after the 429" python3 - "$LOG" <<'EOF'
import json, sys
L = [json.loads(l) for l in open(sys.argv[1]) if '"/v1.0/domains"' in l]
t429 = [e for e in L if e["status"] == 429][0]
after = [e for e in L if e["t"] > t429["t"]]
sys.exit(0 if after and all(e["t"] - t429["t_done"] >= float(t429["retry_after"]) for e in after) else 1)
EOF
code=$(C -H "Authorization: Bearer $AT" "$B/v1.0/directoryRoles" -D h.txt -o f.json -w '%{http_code}')
ok "503 with Retry-After on demand" '[ "$code" = 503 ] && grep -qi '\''^retry-after: 1'\'' h.txt'

# ---- $batch: mixed statuses, shuffled, sub-request 429 with Retry-After ----
cat >batch.json <<'EOF'
{"requests":[
 {"id":"1","method":"GET","url":"/users/admin1@contoso.com"},
 {"id":"2","method":"GET","url":"/users/admin2@contoso.com"},
 {"id":"3","method":"GET","url":"/users/nobody@contoso.com"},
 {"id":"4","method":"GET","url":"/users?$top=2&$select=id"},
 {"id":"5","method":"GET","url":"/organization"},
 {"id":"6","method":"GET","url":"/domains?$select=id"},
 {"id":"7","method":"GET","url":"/users/$count","headers":{"ConsistencyLevel":"eventual"}}]}
EOF
C -H "Authorization: Bearer $AT" -H 'Content-Type: application/json' --data-binary @batch.json "$B/v1.0/\$batch" -o br.json
check "\$batch: 7 answers, statuses 200/429/404" \
	pyt 'sorted((r["id"],r["status"]) for r in d["responses"])==[("1",200),("2",429),("3",404),("4",200),("5",200),("6",200),("7",200)]' br.json
check "\$batch: answers shuffled" pyt '[r["id"] for r in d["responses"]]!=[str(i) for i in range(1,8)]' br.json
check "\$batch: sub-request 429 carries Retry-After" pyt '[r for r in d["responses"] if r["id"]=="2"][0]["headers"]["Retry-After"]=="2"' br.json
check "\$batch: sub-request nextLink is absolute" \
	pyt '[r for r in d["responses"] if r["id"]=="4"][0]["body"]["@odata.nextLink"].startswith("https://127.0.0.1:")' br.json
check "\$batch summary in the log" grep -q '"batch":\[{"id":"1","method":"GET"' "$LOG"
python3 -c 'import json; print(json.dumps({"requests":[{"id":str(i),"method":"GET","url":"/users"} for i in range(21)]}))' >b21.json
code=$(C -H "Authorization: Bearer $AT" -H 'Content-Type: application/json' --data-binary @b21.json "$B/v1.0/\$batch" -o f.json -w '%{http_code}')
check "\$batch of 21 -> 400" [ "$code" = 400 ]

# ---- wire faults ----
C -H "Authorization: Bearer $AT" "$B/v1.0/groups" -o /dev/null 2>/dev/null
check "truncated body (Content-Length larger than sent) -> curl error 18" [ $? = 18 ]
C -H "Authorization: Bearer $AT" "$B/v1.0/subscribedSkus" -o /dev/null 2>/dev/null
rc=$?; check "connection reset mid-response -> curl error 56 (got $rc)" [ $rc = 56 ]
C -H "Authorization: Bearer $AT" "$B/v1.0/organization" -o /dev/null 2>/dev/null
rc=$?; check "chunked body without its last chunk -> curl error 18 (got $rc)" [ $rc = 18 ]
C -H "Authorization: Bearer $AT" "$B/v1.0/applications" -o mal.json
check "malformed JSON on demand" sh -c '! python3 -m json.tool mal.json >/dev/null 2>&1'

# ---- Exchange InvokeCommand ----
inv() {  # inv TOKEN BODY OUT [URL] -> status
	C -H "Authorization: Bearer $1" -H 'X-ResponseFormat: json' -H 'Prefer: odata.maxpagesize=4' \
		-H "X-AnchorMailbox: UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@contoso.onmicrosoft.com" \
		-H 'Content-Type: application/json' -d "$2" "${4:-$B/adminapi/beta/$TID/InvokeCommand}" -o "$3" -w '%{http_code}'
}
code=$(inv "$XT" '{"CmdletInput":{"CmdletName":"Get-TransportRule","Parameters":{}}}' x.json)
check "InvokeCommand throttled once -> 429" [ "$code" = 429 ]
body='{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{"ResultSize":"Unlimited"}}}'
url="$B/adminapi/beta/$TID/InvokeCommand" n=0 pages=0
while [ -n "$url" ] && [ $pages -lt 20 ]; do
	code=$(inv "$XT" "$body" x.json "$url")
	[ "$code" = 200 ] || break
	n=$((n + $(py 'len(d["value"])' x.json))); pages=$((pages + 1))
	url=$(py 'd.get("@odata.nextLink","")' x.json)
done
ok "InvokeCommand paging: 9 mailboxes in 3 pages of 4 (got $n in $pages)" '[ "$n" = 9 ] && [ "$pages" = 3 ]'
code=$(inv "$XT" '{"CmdletInput":{"CmdletName":"Set-Mailbox","Parameters":{"Identity":"admin1"}}}' x.json)
ok "Set-Mailbox refused (400) and flagged" '[ "$code" = 400 ] && pyt '\''"CommandNotFoundException" in d["error"]["message"]'\'' x.json'
code=$(inv "$XT" '{"CmdletInput":{"CmdletName":"Get-Nothing","Parameters":{}}}' x.json)
ok "unknown cmdlet -> 400 Exchange-style error" '[ "$code" = 400 ] && pyt '\''"innererror" in d["error"]'\'' x.json'
code=$(inv "$XT" '{"CmdletInput":{"CmdletName":"Get-InboxRule","Parameters":{"Mailbox":"chloe.dubois@contoso.com"}}}' x.json)
check "Get-InboxRule -Mailbox" pyt 'd["value"][0]["Name"]=="Newsletters" and d["value"][0]["MailboxOwnerId"]=="chloe.dubois"' x.json
code=$(inv "$AT" '{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{}}}' x.json)
check "Graph token on Exchange -> 401" [ "$code" = 401 ]

# ---- nothing secret in the log ----
leaks=0
for s in "$SECRET" "$AT" "$UT" "$RT" "$XT" "$DC"; do grep -qF -- "$s" "$LOG" && leaks=1; done
while read -r a; do grep -qF -- "${a##*.}" "$LOG" && leaks=1; done <assertions.txt
check "no secret, assertion, code or token in the request log" [ $leaks = 0 ]
check "every request logged with method, path, status and times" python3 - "$LOG" <<'EOF'
import json, sys
L = [json.loads(l) for l in open(sys.argv[1])]
sys.exit(0 if L and all(all(k in e for k in ("t", "wall", "method", "path", "status", "auth", "t_done")) for e in L) else 1)
EOF

kill -TERM "$PID_main"; wait "$PID_main"
check "SIGTERM -> clean exit 0" [ $? = 0 ]

# ================= no-licence tenant =================
start nolic --tenant-file "$HERE/tenants/nolicence.json" --client-id $CID || fail "no-licence server starts"
AT=$(token_cc https://graph.microsoft.com)
for p in auditLogs/signIns reports/authenticationMethods/userRegistrationDetails identityProtection/riskyUsers \
	'users?$select=id,signInActivity'; do
	code=$(C -H "Authorization: Bearer $AT" "$B/v1.0/$p" -o f.json -w '%{http_code}')
	ok "no P1: $p -> 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant" \
		'[ "$code" = 403 ] && pyt '\''d["error"]["code"]=="Authentication_RequestFromNonPremiumTenantOrB2CTenant"'\'' f.json'
done
code=$(C -H "Authorization: Bearer $AT" "$B/v1.0/roleManagement/directory/roleEligibilityScheduleInstances" -o f.json -w '%{http_code}')
check "no P2: PIM -> AadPremiumLicenseRequired" pyt 'd["error"]["code"]=="AadPremiumLicenseRequired"' f.json
code=$(C -H "Authorization: Bearer $AT" "$B/v1.0/auditLogs/directoryAudits" -o f.json -w '%{http_code}')
check "no P1: directoryAudits still answered" [ "$code" = 200 ]

# ================= generated tenant, and a token without the scope =================
start gen --gen-users 3000 --client-id $CID --app-roles User.Read.All || fail "generated tenant server starts"
AT=$(token_cc https://graph.microsoft.com)
url="$B/v1.0/users?\$top=999&\$select=id" n=0 pages=0
while [ -n "$url" ] && [ $pages -lt 20 ]; do
	C -H "Authorization: Bearer $AT" "$url" -o page.json
	n=$((n + $(py 'len(d["value"])' page.json))); pages=$((pages + 1))
	url=$(py 'd.get("@odata.nextLink","")' page.json)
done
ok "generated tenant: 3000 users in 4 pages of 999" '[ "$n" = 3000 ] && [ "$pages" = 4 ]'
code=$(C -H "Authorization: Bearer $AT" "$B/v1.0/auditLogs/signIns" -o f.json -w '%{http_code}')
ok "missing scope -> 403 Authorization_RequestDenied" '[ "$code" = 403 ] && pyt '\''d["error"]["code"]=="Authorization_RequestDenied"'\'' f.json'

# ================= a scenario file (extends clean.json) =================
start scen --tenant-file "$HERE/tenants/example-compromise.json" --client-id $CID || fail "scenario server starts"
AT=$(token_cc https://graph.microsoft.com)
code=$(C -H "Authorization: Bearer $AT" "$B/v1.0/domains/contoso-sso.com/federationConfiguration" -o f.json -w '%{http_code}')
ok "scenario: federated domain has a federationConfiguration" '[ "$code" = 200 ] && pyt '\''d["value"][0]["preferredAuthenticationProtocol"]=="wsFed"'\'' f.json'
C -H "Authorization: Bearer $AT" "$B/v1.0/roleManagement/directory/roleAssignments?\$expand=principal&\$filter=roleDefinitionId%20eq%20'62e90394-69f5-4237-9190-012177145e10'" -o f.json
check "scenario: 3 Global Administrators, principal expanded with @odata.type" \
	pyt 'len(d["value"])==3 and all(a["principal"]["@odata.type"]=="#microsoft.graph.user" for a in d["value"])' f.json
C -H "Authorization: Bearer $AT" "$B/v1.0/auditLogs/directoryAudits?\$filter=startswith(activityDisplayName,'Add%20member%20to%20role')%20and%20activityDateTime%20ge%20$(date -u -d '-7 days' +%Y-%m-%dT%H:%M:%SZ)" -o f.json
check "scenario: directoryAudits filtered by startswith and date (relative dates resolved)" \
	pyt 'len(d["value"])==1 and d["value"][0]["targetResources"][0]["userPrincipalName"]=="support.admin@contoso.com"' f.json
code=$(C -H "Authorization: Bearer $AT" "$B/v1.0/auditLogs/signIns" -o f.json -w '%{http_code}')
check "scenario: fault directive from the tenant file (429 on sign-ins)" [ "$code" = 429 ]

# ================= unit tests of the fake's own logic =================
if python3 -m unittest discover -s "$HERE" -p 'test_*.py' >unit.txt 2>&1; then pass "unit tests (odata, faults, tenant, login)"
else fail "unit tests"; tail -20 unit.txt; fi

echo "$NPASS passed, $NFAIL failed"
[ "$NFAIL" -eq 0 ]
