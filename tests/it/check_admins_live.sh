# check-admins live against the fake Microsoft servers: what it asks
# (filters server-side, $batch, nothing the licence forbids), what it
# saves (pages, record, findings, manifest), and that --offline on the
# saved case gives the same document as the live run.
. "$(dirname "$0")/graph_env.sh"
export AZURE_TENANT_ID=contoso.onmicrosoft.com AZURE_CLIENT_ID=$APP AZURE_CLIENT_SECRET=$SECRET
export REFLEXE_KEYRING=off REFLEXE_WHO=tests
FB=$TOP/tests/fixtures/admins/fake-baseline.ini
chk() { python3 "$TOP/tests/fixtures/admins/check.py" "$@"; }
# live NAME [options]: runs check-admins --format json into $T/NAME.json,
# the case folder is $T/NAME, exit status in RC
live() {
	local n=$1; shift
	"$REFLEXE" check-admins --case "$T/$n" --format json "$@" >"$T/$n.json" 2>"$T/$n.err"
	RC=$?
}
offline() {
	local n=$1; shift
	"$REFLEXE" check-admins --offline --case "$T/$n" --format json "$@" >"$T/$n.off.json" 2>"$T/$n.off.err"
	RC=$?
}

# ---- the clean tenant ------------------------------------------------------------
fake clean --tenant-file "$TOP/tests/fake/tenants/clean.json"
live clean --baseline "$FB"
check "clean live: exit 0" [ "$RC" = 0 ]
check "clean live: nothing above info" chk "$T/clean.json" clean
check "clean live: not detected, sound GA" chk "$T/clean.json" verdict not_detected yes
check "clean live: every source answered" python3 -c "
import json,sys; d=json.load(open('$T/clean.json')); sys.exit(1 if d['unknown'] else 0)"
check "clean live: record written" grep -q '"signIns":{"state":"ok"' "$T/clean/collect/check-admins.json"
check "clean live: findings saved in the case" cmp -s "$T/clean.json" "$T/clean/findings/check-admins.json"
check "clean live: manifest checks (sha256sum -c)" manifest_ok "$T/clean"
check "clean live: no token or secret in the case folder or output" no_secret "$T/clean" "$T/clean.json" "$T/clean.err"
logok "clean live: only GETs, token POST and \$batch" 'all(e["method"] == "GET" or "/oauth2/" in e["path"] or e["path"].endswith("$batch") for e in L)'
logok "clean live: sign-ins filtered by user and date on the server" '
all("userId" in e["url"] and "createdDateTime" in e["url"] for x in L for e in x.get("batch", []) if "signIns" in e["url"])'
logok "clean live: \$select on sign-ins" 'all("select=" in e["url"] for x in L for e in x.get("batch", []) if "signIns" in e["url"])'
logok "clean live: under 15 requests" 'len(L) < 15'
# The reports service allows 5 requests per 10 s (signInActivity: 10 a
# minute): records and sign-ins are asked several users a query.
logok "clean live: records in one users?\$filter=id in (…) query, not one per user" '
sum(1 for x in L for e in x.get("batch", []) if __import__("urllib.parse").parse.unquote(e["url"]).startswith("/users?$filter=id in (")) == 1 and
not any(__import__("re").match(r"/users/[^/?]+\?", e["url"]) for x in L for e in x.get("batch", []))'
logok "clean live: sign-ins of the privileged users in one listing (userId eq … or …)" '
[x["status"] for x in L if "signIns" in x["path"]] == [200] and
all(" or userId eq " in __import__("urllib.parse").parse.unquote(x["path"]) for x in L if "signIns" in x["path"])'
offline clean --baseline "$FB"
check "clean: --offline exit 0" [ "$RC" = 0 ]
check "clean: --offline gives the live document" chk "$T/clean.off.json" same "$T/clean.json"

# ---- collected again into the same case; evidence checked before it is read -------------
# listed_all DIR: every file of the case but its own (case.ini, the
# manifest, the request log, the logbook) is listed in the manifest, at
# its path as it is now
listed_all() {
	(cd "$1" && find . -type f ! -name case.ini ! -name manifest.sha256 ! -name requests.jsonl \
		! -name courante.jsonl | sed 's|^\./||' | sort >"$T/files.lst" &&
	 sed 's/^[0-9a-f]\{64\}  //' manifest.sha256 | sort -u >"$T/listed.lst" &&
	 comm -23 "$T/files.lst" "$T/listed.lst" | { ! grep -q .; })
}
check "clean live: every evidence file listed" listed_all "$T/clean"
cp "$T/clean.json" "$T/clean.first.json"
# The same tenant again (role definitions, policies: the same bytes): the
# earlier files move to superseded/, the new ones must stay listed, and
# the live run's own analysis checks them.
live clean --baseline "$FB"
check "clean, collected again: exit 0" [ "$RC" = 0 ]
check "clean, collected again: the first run kept under superseded/" test -d "$T/clean/superseded"
check "clean, collected again: manifest checks" manifest_ok "$T/clean"
check "clean, collected again: every evidence file still listed" listed_all "$T/clean"
check "clean, collected again: the same findings" chk "$T/clean.json" same "$T/clean.first.json"
offline clean --baseline "$FB"
check "clean, collected again: --offline gives the live document" chk "$T/clean.off.json" same "$T/clean.json"
# a byte changed in a saved page after the live run: --offline refuses
cp -r "$T/clean" "$T/clean-t"
P=$(cd "$T/clean-t" && ls graph/v1.0/auditLogs/signIns@user/*/page-0001.json | head -1)
sed -i '0,/"ipAddress":"/s//"ipAddress":"1/' "$T/clean-t/$P"
"$REFLEXE" check-admins --offline --case "$T/clean-t" --format json --baseline "$FB" >"$T/clean-t.json" 2>"$T/clean-t.err"
check "clean, a page altered: --offline exit 3, no document" bash -c "[ $? = 3 ] && [ ! -s '$T/clean-t.json' ]"
check "clean, a page altered: named" grep -q "evidence altered since it was collected.*: $P\$" "$T/clean-t.err"

# ---- the fiche's order: the logbook first, then the checks in its folder ----------
mkdir -p "$T/order" && cd "$T/order" || exit 1
"$REFLEXE" courante add "Ouverture de la main courante" --tenant contoso.onmicrosoft.com >"$T/order.add" 2>&1
check "logbook first: add --tenant makes ./case-<tenant>-<date>" test -f case-contoso.onmicrosoft.com-*/courante.jsonl
"$REFLEXE" check-admins --format json --baseline "$FB" >"$T/order.json" 2>"$T/order.err"; RC=$?
check "logbook first: check-admins with no --case exits 0" [ "$RC" = 0 ]
check "logbook first: one case folder, the logbook's" test "$(ls -d case-* | wc -l)" = 1
check "logbook first: case.ini names the tenant of AZURE_TENANT_ID" \
	grep -q '^tenant = contoso.onmicrosoft.com$' case-contoso.onmicrosoft.com-*/case.ini
check "logbook first: evidence, findings and case.ini beside the logbook" \
	test -f case-contoso.onmicrosoft.com-*/case.ini -a -f case-contoso.onmicrosoft.com-*/findings/check-admins.json
check "logbook first: the check's line chained after the responder's" \
	bash -c "'$REFLEXE' courante verify >/dev/null && '$REFLEXE' courante list | grep -q '^#2 .*' && '$REFLEXE' courante list | grep -q 'check-admins'"
cd "$T" || exit 1

# ---- no Entra ID P1/P2 --------------------------------------------------------------
fake nolic --tenant-file "$TOP/tests/fake/tenants/nolicence.json"
live nolic --baseline "$FB"
check "no P1/P2 live: exit 0" [ "$RC" = 0 ]
check "no P1/P2 live: sign-in rules unknown, need P1" chk "$T/nolic.json" unknown ADM-012 "Entra ID P1"
check "no P1/P2 live: risk unknown" chk "$T/nolic.json" unknown ADM-018 "Entra ID P"
check "no P1/P2 live: MFA answered from the admins' methods" chk "$T/nolic.json" clear ADM-006
check "no P1/P2 live: security defaults answer ADM-026" chk "$T/nolic.json" clear ADM-026
check "no P1/P2 live: verdict not detected" chk "$T/nolic.json" verdict not_detected
logok "no P1/P2 live: risk and PIM never asked" '
not any(k in e["url"] for x in L for e in x.get("batch", []) for k in ("signIns", "identityProtection", "Eligibility"))
and not any("identityProtection" in x["path"] for x in L)'
# Sign-in logs are readable on Entra ID Free (7 days) at Microsoft today,
# but some tenants still refuse them: one admin's are asked first, and a
# licence refusal spares the others.
logok "no P1/P2 live: one sign-in listing asked, refused for the licence, no other" '
sum(1 for x in L if "signIns" in x["path"]) == 1 and all(x.get("denied") == "licence:p1" for x in L if "signIns" in x["path"])'
logok "no P1/P2 live: nothing else refused" 'not any(x.get("denied") for x in L if "signIns" not in x["path"])'
offline nolic --baseline "$FB"
check "no P1/P2: --offline gives the live document" chk "$T/nolic.off.json" same "$T/nolic.json"

# ---- Entra ID Free serving its 7 days of sign-ins ------------------------------------
fake free --tenant-file "$TOP/tests/fake/tenants/free7d.json"
live free --baseline "$FB"
check "Free, 7 days: exit 0" [ "$RC" = 0 ]
check "Free, 7 days: sign-ins recorded as read from 7 days back" python3 -c "
import json,sys,datetime as D
r=json.load(open('$T/free/collect/check-admins.json'))['sources']['signIns']
s=D.datetime.strptime(r['since'],'%Y-%m-%dT%H:%M:%SZ'); u=D.datetime.utcnow()
sys.exit(0 if r['state']=='ok' and D.timedelta(days=6.9) < u-s < D.timedelta(days=7.1) else 1)"
logok "Free, 7 days: every sign-in listing asks for the 7 days only" '
sum(1 for x in L if "signIns" in x["path"]) >= 1 and
all((lambda m: m is not None and __import__("time").time() - __import__("calendar").timegm(
        __import__("time").strptime(m.group(1), "%Y-%m-%dT%H:%M:%SZ")) < 7.1 * 86400)(
    __import__("re").search(r"createdDateTime ge (\S+Z)", __import__("urllib.parse").parse.unquote_plus(x["path"])))
    for x in L if "signIns" in x["path"])'
check "Free, 7 days: the sign-in 20 days old was not fetched (no ADM-012 on it)" not grep -q 198.51.100.99 "$T/free.json"
check "Free, 7 days: the audit log too is recorded as kept 7 days" python3 -c "
import json,sys
r=json.load(open('$T/free/collect/check-admins.json'))['sources']['directoryAudits']
sys.exit(0 if r['state']=='ok' and r.get('since') and 'Entra ID P1' in r['needs'] else 1)"
check "Free, 7 days: sign-in rules ran (ADM-014 answered, no clear claimed for 30 days)" python3 -c "
import json,sys; d=json.load(open('$T/free.json'))
u=[x for x in d['unknown'] if x['check'] in ('ADM-012','ADM-013','ADM-014','ADM-015','ADM-016') and 'Entra ID P1' in x['needs'] and '7' in x['reason']]
c=[f for f in d['findings'] if f['id'] in ('ADM-012','ADM-013','ADM-014','ADM-015','ADM-016') and f['status']=='clear' and not f['objects']]
sys.exit(0 if len(u)==5 and not c else 1)"
offline free --baseline "$FB"
check "Free, 7 days: --offline gives the live document" chk "$T/free.off.json" same "$T/free.json"
offline free --baseline "$FB" --since 5d
check "Free, --since 5d offline: the 7 days cover it, no gap left" python3 -c "
import json,sys; d=json.load(open('$T/free.off.json'))
sys.exit(1 if any(x['check']=='ADM-014' for x in d['unknown']) else 0)"

# ---- federated domains, one of them without configuration (404) -------------------------
fake fed --tenant-file "$TOP/tests/fake/tenants/admins-federation.json"
live fed --baseline "$FB"
check "federation: exit 1" [ "$RC" = 1 ]
check "federation: the domain without configuration (404 = none) still flagged" chk "$T/fed.json" has ADM-023 high suspect sso.contoso.com
check "federation: the outside issuer named" chk "$T/fed.json" has ADM-023 high suspect partner-sso.contoso.com http://sts.partner.example/adfs/services/trust
check "federation: 404 is an answer, not a gap" chk "$T/fed.json" no-unknown ADM-023
check "federation: set within the window (trailing blank in the name)" chk "$T/fed.json" has ADM-024 high suspect partner-sso.contoso.com admin2@contoso.com
logok "federation: asked once per federated domain" '
sum(1 for x in L for e in x.get("batch", []) if "federationConfiguration" in e["url"]) == 2'
offline fed --baseline "$FB"
check "federation: --offline gives the live document" chk "$T/fed.off.json" same "$T/fed.json"

# ---- a rogue global administrator -------------------------------------------------------
fake rogue --tenant-file "$TOP/tests/fake/tenants/admins-rogue.json"
live rogue --baseline "$FB"
check "rogue: exit 1" [ "$RC" = 1 ]
check "rogue: verdict suspected" chk "$T/rogue.json" verdict suspected yes
check "rogue: ADM-003 not in the baseline" chk "$T/rogue.json" has ADM-003 high suspect it.support@contoso.com
check "rogue: ADM-004 granted by admin2" chk "$T/rogue.json" has ADM-004 high suspect it.support@contoso.com admin2@contoso.com
check "rogue: ADM-005 created in the window" chk "$T/rogue.json" has ADM-005 high suspect it.support@contoso.com
check "rogue: ADM-006 GA without MFA (critical)" chk "$T/rogue.json" has ADM-006 critical confirmed it.support@contoso.com
check "rogue: ADM-012 from Lagos" chk "$T/rogue.json" has ADM-012 medium suspect it.support@contoso.com 102.89.1.7
check "rogue: ADM-013 spray on admin2" chk "$T/rogue.json" has ADM-013 medium suspect admin2@contoso.com 192.0.2.1
check "rogue: ADM-015 high-risk sign-in" chk "$T/rogue.json" has ADM-015 high suspect it.support@contoso.com
check "rogue: ADM-019 own security info" chk "$T/rogue.json" has ADM-019 medium suspect it.support@contoso.com
offline rogue --baseline "$FB"
check "rogue: --offline gives the live document" chk "$T/rogue.off.json" same "$T/rogue.json"
"$REFLEXE" check-admins --offline --case "$T/rogue" --format csv >"$T/rogue.csv" 2>/dev/null
check "rogue: csv lists Lagos" grep -q '"it.support@contoso.com";"IT Support";"102.89.1.7";"NG";"Lagos";1;0;0;0;' "$T/rogue.csv"

# ---- an application with Global Administrator, a role through nested groups --------------
fake spn --tenant-file "$TOP/tests/fake/tenants/admins-sp-nested.json"
live spn --baseline "$FB"
check "SP with GA: ADM-009 critical" chk "$T/spn.json" has ADM-009 critical suspect d1f0c0de-0000-4000-8000-00000000beef
check "SP with GA: verdict suspected" chk "$T/spn.json" verdict suspected
check "nested groups: the group" chk "$T/spn.json" has ADM-010 medium suspect 9a000000-0000-4000-8000-000000000001
check "nested groups: direct member judged" chk "$T/spn.json" has ADM-003 high suspect david.thomas@contoso.com
check "nested groups: nested member judged" chk "$T/spn.json" has ADM-003 high suspect emma.robert@contoso.com
logok "nested groups: members asked once, transitively" '
sum(1 for x in L for e in x.get("batch", []) if "transitiveMembers" in e["url"]) == 1'
offline spn --baseline "$FB"
check "SP/nested: --offline gives the live document" chk "$T/spn.off.json" same "$T/spn.json"

# ---- 2,000 role members over several pages ----------------------------------------------
fake many --gen-users 2300 --gen-admins 2000 --gen-signins 4000 --page-size 500 --prewarm
# a generated tenant of its own id: the clean tenant's baseline without its [tenant] id
grep -v '^id = ' "$FB" >"$T/fb-anytenant.ini"
live many --baseline "$T/fb-anytenant.ini"
check "2,000 members: exit 1 (unknown admins)" [ "$RC" = 1 ]
check "2,000 members: every one read (1,998 unknown to the baseline)" chk "$T/many.json" count ADM-003 suspect 1998
logok "2,000 members: role assignments over 4 pages at least" '
sum(1 for x in L if "roleAssignments" in x["path"]) + sum(1 for x in L for e in x.get("batch", []) if "roleAssignments" in e["url"]) >= 4'
check "2,000 members: manifest checks" manifest_ok "$T/many"
