# reflexe login / logout end to end against the fake login server
# (tests/fake/msfake.py): device code (pending, slow_down, declined,
# expired, bad code, Ctrl-C), Exchange by refresh token and by a second
# code, keyring keep / renew / logout, --status, --print-consent, client
# credentials with a secret and with a certificate, and no secret in any
# output.

# Each run gets its own anonymous session keyring (KEYCTL_JOIN_SESSION_
# KEYRING), inherited by every reflexe it starts: the test neither sees
# nor wipes anyone else's keys.

. "$(dirname "$0")/../lib.sh"
t_own_session_keyring "$@"
T=$T_DIR
cd "$T"      # login makes ./case-<tenant>-<date> here
AUTHSRC=$TESTBIN/tests/tools/authsource
TENANT=6b1f9a3e-2c4d-4e5f-8a9b-0c1d2e3f4a5b
APP=3c9e2f1a-7b4d-4c8e-9f0a-1b2c3d4e5f6a
SECRET="s3cr3t-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"

# ---- certificates: the fake's TLS (tests/pki.sh) and two applications' ----
sh "$TOP/tests/pki.sh" "$T/pki" >/dev/null 2>&1 || { fail "pki.sh"; exit 1; }
export REFLEXE_CA_FILE=$T/pki/ca.pem
mkapp() {  # mkapp NAME: NAME.pem holds certificate then key, as Azure SDKs take it
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/$1.key" -out "$T/$1.crt" \
		-subj "/CN=reflexe test app $1" -days 2 >/dev/null 2>&1
	cat "$T/$1.crt" "$T/$1.key" >"$T/$1.pem"
}
mkapp app
mkapp other
cat "$T/app.crt" "$T/other.key" >"$T/mismatch.pem"     # registered cert, foreign key

# ---- the fake ----------------------------------------------------------------
FAKE_PID=
fake() {  # fake NAME [msfake options]: (re)starts the fake, exports the endpoints
	local n=$1; shift
	[ -n "$FAKE_PID" ] && t_stop "$FAKE_PID"
	rm -f "$T/port"
	python3 "$TOP/tests/fake/msfake.py" --cert "$T/pki/rsa.chain.pem" --key "$T/pki/rsa.key" \
		--port 0 --port-file "$T/port" --log "$T/fake-$n.jsonl" --device-interval 0.2 \
		--client-id "$APP" --client-secret "$SECRET" --client-cert "$T/app.crt" \
		"$@" 2>"$T/fake-$n.err" &
	FAKE_PID=$!
	T_PIDS+=("$FAKE_PID")
	wait_file "$T/port" 20 || { fail "fake $n did not start"; cat "$T/fake-$n.err"; exit 1; }
	B=https://127.0.0.1:$(cat "$T/port")
	export AZURE_AUTHORITY_HOST=$B REFLEXE_GRAPH_URL=$B REFLEXE_EXO_URL=$B
	LOG=$T/fake-$n.jsonl
}
# count FILE STRING: lines of FILE holding STRING
count() { grep -cF -- "$2" "$1" 2>/dev/null; }
R() { "$REFLEXE" "$@"; }
run() {  # run NAME ARGS...: reflexe ARGS with output in $T/NAME.{out,err}, rc in $rc
	local name=$1; shift
	R "$@" >"$T/$name.out" 2>"$T/$name.err"; rc=$?
}

# ---- no network: usage, --print-consent ----------------------------------------
run consent-en login --print-consent
check "--print-consent exits 0" test "$rc" = 0
check "--print-consent lists every read scope with why" bash -c "
	for s in Directory.Read.All AuditLog.Read.All Policy.Read.All RoleManagement.Read.Directory \
		RoleEligibilitySchedule.Read.Directory IdentityRiskyUser.Read.All IdentityRiskEvent.Read.All \
		UserAuthenticationMethod.Read.All Application.Read.All Reports.Read.All MailboxSettings.Read offline_access; do
		grep -Eq \"^  \$s +[^ ]\" '$T/consent-en.out' || exit 1; done"
check "--print-consent asks for nothing but read" bash -c "! grep -Eq 'ReadWrite|\.Write|\.Send|FullControl' '$T/consent-en.out'"
check "--print-consent gives the admin-consent URL for the Graph CLI client" \
	contains "$T/consent-en.out" "/organizations/v2\.0/adminconsent\?client_id=14d82eec-204b-4c2f-b7e8-296a70dab67e&scope=https%3A%2F%2Fgraph\.microsoft\.com%2FDirectory\.Read\.All"
check "--print-consent explains Exchange (EXO client, read role)" \
	contains "$T/consent-en.out" "fb78d390-0c51-40cd-8e17-fdbfab77341b.*View-Only Organization Management"
run consent-fr login --print-consent --lang fr --tenant contoso.com
check "--print-consent in French" bash -c "grep -q 'toutes en lecture seule' '$T/consent-fr.out' && grep -q 'journaux de connexion et d.audit' '$T/consent-fr.out' && grep -q '/contoso.com/v2.0/adminconsent' '$T/consent-fr.out'"
run consent-custom login --print-consent --client-id "$APP"
check "--print-consent for an organisation's app adds its Exchange consent URL" \
	contains "$T/consent-custom.out" "client_id=$APP&scope=https%3A%2F%2Foutlook\.office365\.com%2F\.default"
run consent-usgov login --print-consent --cloud usgov-high
check "--cloud usgov-high uses login.microsoftonline.us and graph.microsoft.us" bash -c \
	"grep -q 'https://login.microsoftonline.us/organizations/v2.0/adminconsent' '$T/consent-usgov.out' && grep -q 'graph.microsoft.us%2FDirectory' '$T/consent-usgov.out'"
run badcloud login --cloud mars
check "unknown --cloud is a usage error" test "$rc" = 2
check "unknown --cloud is named" contains "$T/badcloud.err" "unknown cloud 'mars'"
AZURE_CLIENT_SECRET=x R login >"$T/nocid.out" 2>"$T/nocid.err"; rc=$?
check "a secret without AZURE_CLIENT_ID is a usage error" bash -c "[ $rc = 2 ] && grep -q 'without AZURE_CLIENT_ID' '$T/nocid.err'"
AZURE_CLIENT_ID=$APP AZURE_CLIENT_SECRET=x R login >"$T/notenant.out" 2>"$T/notenant.err"; rc=$?
check "client credentials without a tenant is a usage error" bash -c "[ $rc = 2 ] && grep -q 'must be named' '$T/notenant.err'"
run badtenant login --tenant 'a b'
check "a malformed tenant is a usage error" bash -c "[ $rc = 2 ] && grep -q 'invalid tenant' '$T/badtenant.err'"

# ---- device code: failures keep nothing ------------------------------------------
fake declined --device-scenario declined
run declined login --tenant contoso.com
check "declined: exit 3 with a clear message" bash -c "[ $rc = 3 ] && grep -q 'sign-in declined on the Microsoft page' '$T/declined.err'"
check "the prompt shows the URL and the code (FR/EN)" bash -c \
	"grep -q 'open' '$T/declined.err' && grep -q 'https://microsoft.com/devicelogin' '$T/declined.err' && grep -Eq 'enter the code  [A-Z0-9]{9}' '$T/declined.err' && grep -Eq 'valid for 15 min, until [0-9]{2}:[0-9]{2}' '$T/declined.err'"
run st-after-declined login --status --tenant contoso.com
check "declined: nothing kept (--status exits 3)" bash -c "[ $rc = 3 ] && grep -q 'no session for tenant' '$T/st-after-declined.err'"

fake expired --device-scenario expired
run expired login --lang fr
check "expired code: exit 3, French message" bash -c "[ $rc = 3 ] && grep -q 'le code a expiré' '$T/expired.err' && grep -q 'saisissez le code' '$T/expired.err'"
check "the prompt in French: URL, code, time left" bash -c "grep -q 'ouvrez' '$T/expired.err' && grep -q 'https://microsoft.com/devicelogin' '$T/expired.err' &&
	grep -Eq 'saisissez le code  [A-Z0-9]{9}' '$T/expired.err' && grep -Eq 'code valable 15 min, jusqu.à [0-9]{2}:[0-9]{2}' '$T/expired.err'"

fake badcode --device-scenario badcode
run badcode login
check "bad verification code: exit 3 with a clear message" bash -c "[ $rc = 3 ] && grep -q 'code refused by Microsoft' '$T/badcode.err'"

fake localexp --device-scenario pending:1000 --device-expires 1
run localexp login
check "a code past its lifetime stops polling" bash -c "[ $rc = 3 ] && grep -q 'code expired' '$T/localexp.err'"

# Ctrl-C while waiting for the code: nothing kept, said so.
fake sigint --device-scenario pending:10000 --device-expires 60
"$REFLEXE" login --tenant contoso.com >"$T/sigint.out" 2>"$T/sigint.err" &
pid=$!
for _ in $(seq 100); do [ "$(count "$LOG" '"poll"')" -ge 1 ] && break; sleep 0.1; done
kill -INT $pid; wait $pid; rc=$?
check "Ctrl-C: exit 3, 'nothing was kept'" bash -c "[ $rc = 3 ] && grep -q 'sign-in interrupted: nothing was kept' '$T/sigint.err'"
run st-after-sigint login --status --tenant contoso.com
check "Ctrl-C: no key left (--status exits 3)" test "$rc" = 3
check "Ctrl-C: no reflexe key in the session keyring" bash -c "! grep -Eq 'reflexe:($TENANT|alias):' /proc/keys"

# ---- device code: pending then success, Exchange by refresh token --------------------
fake ok --device-scenario pending:2
run ok login --tenant contoso.com
check "pending ×2 then signed in: exit 0" test "$rc" = 0
check "polled 3 times, never early" bash -c "[ \$(grep -c '\"grant\": *\"urn:ietf:params:oauth:grant-type:device_code\"' '$LOG') = 3 ] && ! grep -q '\"early\": *true' '$LOG'"
check "the device-code request asks for the read scopes and offline_access" bash -c \
	"grep '\"endpoint\": *\"devicecode\"' '$LOG' | grep -q 'Directory.Read.All.*offline_access'"
check "device code: the default client is Microsoft Graph Command Line Tools, every read scope, nothing else" python3 -c '
import json, sys
want = set("Directory.Read.All AuditLog.Read.All Policy.Read.All RoleManagement.Read.Directory "
           "RoleEligibilitySchedule.Read.Directory IdentityRiskyUser.Read.All IdentityRiskEvent.Read.All "
           "UserAuthenticationMethod.Read.All Application.Read.All Reports.Read.All MailboxSettings.Read offline_access".split())
L = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
dc = [e["login"] for e in L if e.get("login", {}).get("endpoint") == "devicecode"]
assert dc and dc[0]["client_id"] == "14d82eec-204b-4c2f-b7e8-296a70dab67e", dc
got = set(dc[0]["scope"].split())
assert got == want, got ^ want' "$LOG"
check "Exchange by refresh token, said so" bash -c \
	"grep -q 'obtained with the first sign-in.s refresh token' '$T/ok.err' && grep '\"grant\": *\"refresh_token\"' '$LOG' | grep -q 'outlook.office365.com/.default'"
check "summary: tenant id, account, scopes, roles, expiry" bash -c "
	grep -q '^Tenant  *$TENANT (global)' '$T/ok.out' && grep -Eq '^Account  *[^ ]+@contoso\.com' '$T/ok.out' &&
	grep -q '^Permissions .*Directory.Read.All' '$T/ok.out' && grep -q '^Roles .*Global Administrator' '$T/ok.out' &&
	grep -Eq '^Microsoft Graph +valid until 20[0-9-]+T[0-9:]+Z \\([0-9]+ min left\\)' '$T/ok.out' &&
	grep -q '^Exchange Online  *valid until' '$T/ok.out'"
grep "reflexe:" /proc/keys >"$T/keys.txt"
check "keys: possessor-only, with a timeout" bash -c "
	grep 'reflexe:$TENANT:graph: ' /proc/keys | grep -q ' 3f000000 ' &&
	grep 'reflexe:$TENANT:graph: ' /proc/keys | awk '{print \$4}' | grep -Eq '^([0-9]+m|1h)\$' &&
	grep 'reflexe:$TENANT:graph:refresh: ' /proc/keys | awk '{print \$4}' | grep -Eq '^1[12]h\$'"
CASE=$(ls -d "$T"/case-contoso.com-* 2>/dev/null | head -1)
check "the probe is saved to ./case-<tenant>-<date>" bash -c "[ -n '$CASE' ] &&
	grep -q '^Case folder  *case-contoso.com-' '$T/ok.out' && grep -q '^Licences  *Entra ID P1 [a-z]*, P2 [a-z]*, Exchange Online [a-z]*' '$T/ok.out' &&
	grep -q '\"$TENANT\"' '$CASE/probe.json' && grep -q 'probe.json' '$CASE/manifest.sha256' && (cd '$CASE' && sha256sum -c --quiet manifest.sha256)"
check "the logbook records the sign-in (who, tenant, how)" bash -c \
	"grep -q 'sign-in of admin1@contoso.com to tenant $TENANT; Exchange Online: (through the Graph' '$CASE/courante.jsonl'"
run st login --status --tenant contoso.com
check "--status by domain: tenant, account, Exchange, renewable" bash -c "[ $rc = 0 ] &&
	grep -q '^Tenant  *$TENANT' '$T/st.out' && grep -q '^Account' '$T/st.out' &&
	grep -q 'through the Graph sign-in.s refresh token' '$T/st.out' && grep -q '^Renewable  *valid until' '$T/st.out'"
run st-default login --status
check "--status: permissions, directory roles, expiry" bash -c "
	grep -q '^Permissions .*AuditLog.Read.All' '$T/st.out' && grep -q '^Roles .*Global Administrator' '$T/st.out' &&
	grep -Eq '^Microsoft Graph +valid until 20[0-9-]+T[0-9:]+Z' '$T/st.out' && grep -q '^Exchange Online  *valid until' '$T/st.out'"
check "--status without --tenant finds the last sign-in" bash -c "[ $rc = 0 ] && grep -q '^Tenant  *$TENANT' '$T/st-default.out'"
run st-tid login --status --tenant "$TENANT" --lang fr
check "--status by tenant id, in French" bash -c "[ $rc = 0 ] && grep -q '^Compte' '$T/st-tid.out' && grep -q 'valable jusqu' '$T/st-tid.out'"
before=$(count "$LOG" '"endpoint"')
"$AUTHSRC" graph exo threads >"$T/src.out" 2>"$T/src.err"; rc=$?
check "another process takes both tokens from the keyring, 8 threads at once" bash -c "[ $rc = 0 ] &&
	grep -q '^graph aud=https://graph.microsoft.com tid=$TENANT' '$T/src.out' &&
	grep -q '^exo aud=https://outlook.office365.com tid=$TENANT' '$T/src.out' && grep -q 'threads failures=0' '$T/src.out'"
check "... without a sign-in request" test "$(count "$LOG" '"endpoint"')" = "$before"

# ---- renewal: tokens that expire within the margin are renewed by refresh token -----
fake renew --device-scenario ok --token-lifetime 120
run renew-login login --tenant contoso.com --no-exchange
check "--no-exchange: signed in to Graph only" bash -c "[ $rc = 0 ] && grep -q 'no Exchange Online token' '$T/renew-login.out' && ! grep '\"grant\": *\"refresh_token\"' '$LOG' | grep -q outlook"
before_rt=$(grep -c '"grant": *"refresh_token"' "$LOG")
"$AUTHSRC" graph threads >"$T/renew.out" 2>"$T/renew.err"; rc=$?
check "a stale access token is renewed once with the refresh token, for all threads" bash -c "[ $rc = 0 ] &&
	grep -q '^graph aud=https://graph.microsoft.com' '$T/renew.out' && grep -q 'threads failures=0' '$T/renew.out' &&
	[ \$(grep -c '\"grant\": *\"refresh_token\"' '$LOG') = \$((before_rt + 1)) ]"
"$AUTHSRC" exo >"$T/renew-exo.out" 2>"$T/renew-exo.err"; rc=$?
check "after --no-exchange, Exchange says what to do" bash -c "[ $rc = 3 ] && grep -q 'without --no-exchange' '$T/renew-exo.err'"

# Renewal refused for want of consent: the message says what to do.
fake consent --device-scenario ok --token-lifetime 120 --refresh-refuse graph
run consent-login login --tenant contoso.com --no-exchange
"$AUTHSRC" graph >"$T/consent-src.out" 2>"$T/consent-src.err"; rc=$?
check "renewal refused (AADSTS65001): consent missing, --print-consent named" bash -c "[ $rc = 3 ] &&
	grep -q 'renewing the Microsoft Graph token: AADSTS65001: consent missing' '$T/consent-src.err' &&
	grep -q 'reflexe login --print-consent' '$T/consent-src.err'"

# ---- Exchange: refresh refused -> second code with the EXO client ----------------------
fake exo2 --device-scenario pending:1 --refresh-refuse exo
run exo2 login --tenant contoso.com
check "refresh refused for Exchange: second code, said so" bash -c "[ $rc = 0 ] &&
	grep -q 'will not reuse the first sign-in (AADSTS65001' '$T/exo2.err' && grep -q 'Sign-in to Exchange Online' '$T/exo2.err' &&
	grep '\"endpoint\": *\"devicecode\"' '$LOG' | grep -q 'fb78d390-0c51-40cd-8e17-fdbfab77341b'"
check "the second code signs in to the tenant found by the first" \
	bash -c "grep '\"endpoint\": *\"devicecode\"' '$LOG' | grep 'fb78d390' | grep -q '\"path\": *\"/$TENANT/oauth2/v2.0/devicecode\"'"
check "summary says Exchange came from a second code" contains "$T/exo2.out" "through a second code"

# ---- slow_down: +5 s, never early ---------------------------------------------------
fake slow --device-scenario slow_down
run slow login --no-exchange
check "slow_down: signed in, interval raised by 5 s, no early poll" bash -c "[ $rc = 0 ] &&
	grep -q 'poll less often: every 6 s' '$T/slow.err' && ! grep -q '\"early\": *true' '$LOG' &&
	grep '\"result\": *\"ok\"' '$LOG' | grep -q '\"required_interval\": *5.2'"

# ---- --client-id: the organisation's own public client signs in ------------------------
fake ownapp --device-scenario ok
run ownapp login --client-id "$APP" --no-exchange
check "--client-id: the device code is asked for that client" bash -c "[ $rc = 0 ] &&
	grep '\"endpoint\": *\"devicecode\"' '$LOG' | grep -q '\"client_id\": *\"$APP\"' &&
	! grep '\"endpoint\"' '$LOG' | grep -q '14d82eec-204b-4c2f-b7e8-296a70dab67e'"

# ---- --cloud: kept with the session; --status and the applets follow it -------------------
fake cloud --device-scenario ok
run cloud-login login --cloud usgov-high --tenant contoso.com --no-exchange
check "--cloud usgov-high: signed in, the summary names the cloud" bash -c "[ $rc = 0 ] && grep -q '^Tenant  *$TENANT (usgov-high)' '$T/cloud-login.out'"
run cloud-st login --status --tenant contoso.com
check "--status without --cloud follows the session's cloud" bash -c "[ $rc = 0 ] && grep -q '^Tenant  *$TENANT (usgov-high)' '$T/cloud-st.out'"
REFLEXE_CLOUD=global R login --status --tenant contoso.com >"$T/cloud-env.out" 2>"$T/cloud-env.err"; rc=$?
check "REFLEXE_CLOUD names the cloud when --cloud is not given" bash -c "[ $rc = 0 ] && grep -q '^Tenant  *$TENANT (global)' '$T/cloud-env.out'"
REFLEXE_CLOUD=mars R login --status >"$T/cloud-bad.out" 2>"$T/cloud-bad.err"; rc=$?
check "REFLEXE_CLOUD unknown: usage error, named" bash -c "[ $rc = 2 ] && grep -q \"unknown cloud 'mars'\" '$T/cloud-bad.err'"
run par-bad login --print-consent --parallel 0
check "--parallel 0: usage error, said" bash -c "[ $rc = 2 ] && grep -q 'parallel: a number of connections from 1 to 16' '$T/par-bad.err'"
run par-ok login --print-consent --parallel 4
check "--parallel 4 is a common option" test "$rc" = 0

# ---- logout ------------------------------------------------------------------------------
run logout logout
check "logout erases every reflexe key" bash -c "[ $rc = 0 ] && grep -Eq '^([4-9]|[1-9][0-9]+) reflexe key\(s\) erased from the session keyring' '$T/logout.out' && ! grep -Eq 'reflexe:($TENANT|alias):' /proc/keys"
check "logout is written in the case's logbook" bash -c "grep -q '\"logout\"\\|reflexe logout' '$CASE/courante.jsonl' && grep -q 'key(s) erased from the session keyring' '$CASE/courante.jsonl'"
run st-after-logout login --status
check "after logout, --status exits 3" test "$rc" = 3
REFLEXE_KEYRING=off R login --tenant contoso.com --no-exchange >"$T/nokr.out" 2>"$T/nokr.err"; rc=$?
check "without keyring: signed in, told each applet will sign in again, nothing kept" bash -c "[ $rc = 0 ] &&
	grep -q 'each applet will sign in again' '$T/nokr.err' && ! grep -Eq 'reflexe:($TENANT|alias):' /proc/keys"

# ---- client credentials ---------------------------------------------------------------------
fake cc --device-scenario ok
export AZURE_TENANT_ID=contoso.com AZURE_CLIENT_ID=$APP
AZURE_CLIENT_SECRET=$SECRET R login >"$T/cc.out" 2>"$T/cc.err"; rc=$?
check "client secret: signed in as the application, Graph and Exchange" bash -c "[ $rc = 0 ] &&
	grep -q '^Application .*($APP)' '$T/cc.out' && grep -q '^Permissions .*Directory.Read.All' '$T/cc.out' &&
	grep -q '^Exchange Online  *valid until' '$T/cc.out' && grep -q 'signs in by itself' '$T/cc.out' &&
	[ \$(grep -c '\"grant\": *\"client_credentials\"' '$LOG') = 2 ] && ! grep -Eq 'reflexe:($TENANT|alias):' /proc/keys"
AZURE_CLIENT_SECRET=$SECRET "$AUTHSRC" graph exo >"$T/cc-src.out" 2>"$T/cc-src.err"; rc=$?
check "with the variables set, the source signs in by itself" bash -c "[ $rc = 0 ] &&
	grep -q '^graph aud=https://graph.microsoft.com tid=$TENANT who=$APP' '$T/cc-src.out' && grep -q '^exo aud=https://outlook.office365.com' '$T/cc-src.out'"
AZURE_CLIENT_SECRET=wrong-secret R login >"$T/cc-bad.out" 2>"$T/cc-bad.err"; rc=$?
check "wrong secret: exit 3, AADSTS7000215 explained" bash -c "[ $rc = 3 ] && grep -q 'AADSTS7000215: application secret refused' '$T/cc-bad.err'"
AZURE_CLIENT_CERTIFICATE_PATH=$T/app.pem R login --no-exchange >"$T/cert-ps.out" 2>"$T/cert-ps.err"; rc=$?
check "certificate, PS256 assertion: accepted by the fake's openssl check" bash -c "[ $rc = 0 ] &&
	grep -q '^Application' '$T/cert-ps.out' && [ \$(grep -c '\"assertion\": *\"valid\"' '$LOG') = 1 ] &&
	grep '\"assertion\": *\"valid\"' '$LOG' | grep -q '\"alg\": *\"PS256\"'"
REFLEXE_JWT_ALG=RS256 AZURE_CLIENT_CERTIFICATE_PATH=$T/app.pem R login --no-exchange >"$T/cert-rs.out" 2>"$T/cert-rs.err"; rc=$?
check "certificate, RS256 assertion: accepted" bash -c "[ $rc = 0 ] && [ \$(grep -c '\"assertion\": *\"valid\"' '$LOG') = 2 ] &&
	[ \$(grep '\"assertion\": *\"valid\"' '$LOG' | grep -c '\"alg\": *\"RS256\"') = 1 ]"
AZURE_CLIENT_CERTIFICATE_PATH=$T/other.pem R login --no-exchange >"$T/cert-other.out" 2>"$T/cert-other.err"; rc=$?
check "another application's certificate: refused, AADSTS700027 explained" bash -c "[ $rc = 3 ] && grep -q 'AADSTS700027: assertion refused' '$T/cert-other.err'"
before=$(count "$LOG" '"endpoint"')
AZURE_CLIENT_CERTIFICATE_PATH=$T/mismatch.pem R login --no-exchange >"$T/cert-mm.out" 2>"$T/cert-mm.err"; rc=$?
check "key not matching the certificate: refused before any request" bash -c "[ $rc = 3 ] &&
	grep -q 'private key does not match the certificate' '$T/cert-mm.err' && [ \$(grep -c '\"endpoint\"' '$LOG') = $before ]"
AZURE_CLIENT_CERTIFICATE_PATH=$T/app.pem R login --status >"$T/cc-st.out" 2>"$T/cc-st.err"; rc=$?
check "--status with application variables says nothing is kept" bash -c "[ $rc = 0 ] && grep -q 'Application sign-in from the environment: application $APP, tenant contoso.com' '$T/cc-st.out'"
unset AZURE_TENANT_ID AZURE_CLIENT_ID

# ---- no secret anywhere ---------------------------------------------------------------------
# JWTs (access, id tokens, assertions) start "eyJ"; the fake's refresh
# tokens "0.A", its device codes "DAQABIQEAAA"; and the client secret.
check "no token, secret, assertion or device code in any output, log or case folder" bash -c "
	cd '$T' && ! grep -rEl 'eyJ[A-Za-z0-9_-]{8,}\\.eyJ|0\\.A[A-Za-z0-9_-]{40}|DAQABIQEAAA|$SECRET' \
		--include='*.out' --include='*.err' --include='*.jsonl' . &&
	! grep -rEl 'eyJ[A-Za-z0-9_-]{8,}\\.eyJ|0\\.A[A-Za-z0-9_-]{40}|DAQABIQEAAA|$SECRET' case-*"
check "the grep would see a secret if one leaked (self-check)" bash -c "
	printf 'x %s y\n' '$SECRET' >'$T/selfcheck.err'; cd '$T' && grep -rEq '$SECRET' --include='*.err' . ; r=\$?; rm -f '$T/selfcheck.err'; exit \$r"
