# check-apps live against the fake Microsoft servers: what it asks (two
# waves, per-object reads in $batch, nothing the licence or the scopes
# forbid), what it saves (pages, record, findings, manifest), and that
# --offline on the saved case gives the live document.
. "$(dirname "$0")/graph_env.sh"
export AZURE_TENANT_ID=contoso.onmicrosoft.com AZURE_CLIENT_ID=$APP AZURE_CLIENT_SECRET=$SECRET
export REFLEXE_KEYRING=off REFLEXE_WHO=tests
TN=$TOP/tests/fake/tenants
chk() { python3 "$TOP/tests/fixtures/admins/check.py" "$@"; }
live() {
	local n=$1; shift
	"$REFLEXE" check-apps --case "$T/$n" --format json "$@" >"$T/$n.json" 2>"$T/$n.err"
	RC=$?
}
offline() {
	local n=$1; shift
	"$REFLEXE" check-apps --offline --case "$T/$n" --format json "$@" >"$T/$n.off.json" 2>"$T/$n.off.err"
	RC=$?
}
answer() { python3 -c "import json,sys; v=json.load(open('$1'))['verdict']; sys.exit(0 if v['answer']=='$2' and v['illicit_consent']['answer']=='$3' else print(v) or 1)"; }

# ---- the issue's clean tenant ----------------------------------------------------------
fake clean --tenant-file "$TN/apps.json"
live clean
check "clean live: exit 0" [ "$RC" = 0 ]
check "clean live: nothing above info" chk "$T/clean.json" clean
check "clean live: not detected, no illicit consent" answer "$T/clean.json" not_detected no
check "clean live: every source answered" python3 -c "
import json,sys; d=json.load(open('$T/clean.json')); r=json.load(open('$T/clean/collect/check-apps.json'))
sys.exit(0 if not d['unknown'] and all(s['state']=='ok' for s in r['sources'].values()) else 1)"
check "clean live: findings saved in the case" cmp -s "$T/clean.json" "$T/clean/findings/check-apps.json"
check "clean live: manifest checks" manifest_ok "$T/clean"
check "clean live: no token or secret in the case or output" no_secret "$T/clean" "$T/clean.json" "$T/clean.err"
logok "clean live: only GETs, the token POST and \$batch" 'all(e["method"] == "GET" or "/oauth2/" in e["path"] or e["path"].endswith("$batch") for e in L)'
logok "clean live: nothing unrouted, refused or failed" 'not any(e.get("unrouted") or e.get("denied") or e["status"] >= 400 for e in L)'
logok "clean live: under 15 requests" 'len(L) < 15'
logok "clean live: owners, federated credentials and API permissions in \$batch, never one request each" '
not any("/owners" in e["path"] or "federatedIdentityCredentials" in e["path"] or "appRoleAssignedTo" in e["path"] for e in L) and
sum(1 for x in L for e in x.get("batch", []) if "/owners" in e["url"]) == 3 and
sum(1 for x in L for e in x.get("batch", []) if "appRoleAssignedTo" in e["url"]) == 2'
logok "clean live: service principal sign-ins from beta, filtered by kind and date on the server" '
[x["status"] for x in L if "signIns" in x["path"]] == [200] and all(x["path"].startswith("/beta/") and
"signInEventTypes/any" in __import__("urllib.parse").parse.unquote(x["path"]) and "createdDateTime ge" in
__import__("urllib.parse").parse.unquote(x["path"]) for x in L if "signIns" in x["path"])'
logok "clean live: \$select on service principals and sign-ins" '
all("select=" in x["path"] for x in L if "servicePrincipals?" in x["path"] or "signIns" in x["path"])'
logok "clean live: audits of ApplicationManagement only, in the window" '
all("category eq '"'"'ApplicationManagement'"'"'" in __import__("urllib.parse").parse.unquote(x["path"]) for x in L if "directoryAudits" in x["path"])'
offline clean
check "clean: --offline gives the live document" chk "$T/clean.off.json" same "$T/clean.json"
"$REFLEXE" check-apps --offline --case "$T/clean" --make-baseline "$T/made.ini" >/dev/null 2>&1
check "clean: --make-baseline from the live case" grep -q '^f8000000-0000-4000-8000-000000000001 = Contoso HR Portal' "$T/made.ini"

# ---- an attacker's application and an abused one ----------------------------------------------
fake rogue --tenant-file "$TN/apps-rogue.json"
live rogue --baseline "$T/made.ini"
check "rogue: exit 1" [ "$RC" = 1 ]
check "rogue: suspected, illicit consent suspected" answer "$T/rogue.json" suspected yes
check "rogue: the new secret used to sign in (critical)" chk "$T/rogue.json" has APP-011 critical suspect "Intune App" 138.199.55.183 c1000000-0000-4000-8000-000000000066
check "rogue: the secret added, per the audit (en dash and trailing blank)" chk "$T/rogue.json" has APP-003 high suspect "Intune App" david.thomas@contoso.com
check "rogue: created and armed within minutes" chk "$T/rogue.json" has APP-010 high suspect "Intune App"
check "rogue: Mail.Read for the whole tenant" chk "$T/rogue.json" has APP-005 high suspect "Intune App"
check "rogue: PerfectData Software known to be abused" chk "$T/rogue.json" has APP-009 high suspect "PerfectData Software" ff8d92dc-3d82-41d6-bcbd-b9174d163620
check "rogue: the consent within the window, by its user" chk "$T/rogue.json" has APP-007 high suspect "PerfectData Software" emma.robert@contoso.com
check "rogue: the baseline's apps drop (HR Portal's certificate known)" python3 -c "
import json,sys; d=json.load(open('$T/rogue.json'))
sys.exit(1 if any('Contoso HR Portal' in f['objects'] and f['status']!='clear' for f in d['findings']) else 0)"
offline rogue --baseline "$T/made.ini"
check "rogue: --offline gives the live document" chk "$T/rogue.off.json" same "$T/rogue.json"
"$REFLEXE" check-apps --offline --case "$T/rogue" --format csv >"$T/rogue.csv" 2>/dev/null
check "rogue: the consent file shows the EWS consent (column F) of Emma (J)" grep -q \
	'^"Delegated";"a9000000-0000-4000-8000-000000000067";"PerfectData Software";"a9000000-0000-4000-8000-000000000003";"Office 365 Exchange Online";"EWS.AccessAsUser.All";"Principal";"a1000000-0000-4000-8000-000000000005";"Emma Robert";"emma.robert@contoso.com";"no"' "$T/rogue.csv"

# ---- the same under paging of one object a page and throttling ---------------------------------
fake paged --tenant-file "$TN/apps-rogue.json" --page-size 1 \
	--fault 'kind=429,path=^/v1.0/servicePrincipals,count=2,retry_after=0.2' \
	--fault 'kind=429,path=owners,in=batch,count=3,retry_after=0.2' --fault 'kind=503,path=signIns,count=1,retry_after=0.2'
live paged --baseline "$T/made.ini"
check "paged and throttled: the same findings" python3 -c "
import json,sys
k=lambda d: sorted((f['id'],f['severity'],f['status'],tuple(sorted(f['objects']))) for f in d['findings'])
sys.exit(0 if k(json.load(open('$T/paged.json')))==k(json.load(open('$T/rogue.json'))) else 1)"
logok "paged: the APIs' roles followed over two pages" '
sum(1 for x in L if "appRoles" in x["path"] and x["status"] == 200) == 2'
logok "throttled: 429 and 503 seen, then answered" 'any(x["status"] == 429 for x in L) and any(x["status"] == 503 for x in L)'

# ---- no Entra ID P1 ------------------------------------------------------------------------------
fake nolic --tenant-file "$TN/apps-nolicence.json"
live nolic
check "no P1: exit 0" [ "$RC" = 0 ]
check "no P1: service principal sign-ins unanswered, need P1" chk "$T/nolic.json" unknown APP-011 "Entra ID P1"
check "no P1: verdict not detected" answer "$T/nolic.json" not_detected no
logok "no P1: the sign-ins never asked (the probe said)" 'not any("signIns" in x["path"] for x in L)'
offline nolic
check "no P1: --offline gives the live document" chk "$T/nolic.off.json" same "$T/nolic.json"

# ---- a sign-in without Application.Read.All -------------------------------------------------------
fake denied --tenant-file "$TN/apps.json" --app-roles AuditLog.Read.All,User.Read.All,Organization.Read.All
live denied
check "no Application.Read.All: exit 3 (undetermined)" [ "$RC" = 3 ]
check "no Application.Read.All: verdict undetermined" answer "$T/denied.json" undetermined unknown
check "no Application.Read.All: what it needs" chk "$T/denied.json" unknown APP-002 Application.Read.All
logok "no Application.Read.All: never asked for what the token cannot read" '
not any(x["path"].startswith(("/v1.0/servicePrincipals", "/v1.0/applications", "/v1.0/oauth2")) for x in L)'

# ---- 1,200 service principals, 2,000 grants, generated ----------------------------------------------
fake gen --gen-users 300 --gen-sps 1200 --gen-grants 2000 --gen-sp-signins 3000 --prewarm
live gen
check "generated tenant: completes (exit 0 or 1)" bash -c "[ $RC = 0 ] || [ $RC = 1 ]"
check "generated tenant: every grant and service principal read, over pages" python3 -c "
import json,sys,glob
n=[sum(len(json.load(open(p))['value']) for p in glob.glob('$T/gen/graph/v1.0/%s/page-*.json' % k)) for k in ('oauth2PermissionGrants','servicePrincipals')]
sys.exit(0 if n==[2000,1200] and len(glob.glob('$T/gen/graph/v1.0/servicePrincipals/page-*.json'))==2 else print(n) or 1)"
check "generated tenant: manifest checks" manifest_ok "$T/gen"
check "generated tenant: the consent file has a row per scope and per application permission" python3 -c "
import subprocess,sys,json,glob
out=subprocess.run(['$REFLEXE','check-apps','--offline','--case','$T/gen','--format','csv'],capture_output=True).stdout.decode('utf-8-sig')
g=sum(len(x['scope'].split()) for p in glob.glob('$T/gen/graph/v1.0/oauth2PermissionGrants/page-*.json') for x in json.load(open(p))['value'])
a=sum(len(json.load(open(p))['value']) for p in glob.glob('$T/gen/graph/v1.0/servicePrincipals/*/appRoleAssignedTo/page-*.json'))
sys.exit(0 if out.count('\n') == 1 + g + a and a > 0 else print(out.count('\n'), g, a) or 1)"
