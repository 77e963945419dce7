# check-apps on case folders (tests/fixtures/apps/gen.py): the issue's
# clean tenant raises nothing above info; each rule fires on its scenario
# with its id, severity and objects, and stays quiet elsewhere; missing
# licences and permissions become "unknown" entries; outputs, the
# consent CSV, the baseline writer, the evidence checks.
. "$(dirname "$0")/../lib.sh"
F=$T_DIR/cases
if ! python3 "$TOP/tests/fixtures/apps/gen.py" "$F"; then
	fail "fixtures generated"
	exit 1
fi
BL=$F/baseline.ini
export REFLEXE_WHO=tests
unset AZURE_TENANT_ID AZURE_CLIENT_ID AZURE_CLIENT_SECRET AZURE_CLIENT_CERTIFICATE_PATH REFLEXE_GRAPH_URL \
	REFLEXE_EXO_URL AZURE_AUTHORITY_HOST
chk() { python3 "$TOP/tests/fixtures/admins/check.py" "$@"; }
run() {
	local s=$1; shift
	"$REFLEXE" check-apps --offline --case "$F/$s" --format json "$@" >"$T_DIR/$s.json" 2>"$T_DIR/$s.err"
	RC=$?
}
D() { echo "$T_DIR/$1.json"; }
# verdict DOC ANSWER [ILLICIT_CONSENT]
verdict() {
	python3 - "$@" <<'PY'
import json,sys
d=json.load(open(sys.argv[1])); v=d['verdict']
ok = v['answer']==sys.argv[2] and (len(sys.argv)<4 or v['illicit_consent']['answer']==sys.argv[3])
ok &= v['fiche']=='1.d' if 'fiche' in v else True
if not ok: print(v)
sys.exit(0 if ok else 1)
PY
}
# most DOC SEVERITY: no finding above SEVERITY
most() {
	python3 -c "
import json,sys; o=['info','low','medium','high','critical']
d=json.load(open('$1')); bad=[(f['id'],f['severity']) for f in d['findings'] if o.index(f['severity'])>o.index('$2')]
print(bad) if bad else None; sys.exit(1 if bad else 0)"
}

# ---- the clean tenant of the issue ------------------------------------------------------
run clean --baseline "$BL"
check "clean: exit 0" [ "$RC" = 0 ]
check "clean: nothing above info" chk "$(D clean)" clean
check "clean: verdict not detected, no illicit consent" verdict "$(D clean)" not_detected no
check "clean: every rule answered" python3 -c "import json,sys; d=json.load(open('$(D clean)')); sys.exit(1 if d['unknown'] else 0)"
check "clean: DESIGN.md's document" python3 -c "
import json,sys,collections; d=json.load(open('$(D clean)'), object_pairs_hook=collections.OrderedDict)
ok = list(d.keys())==['tool','version','applet','tenant','case','generated','window','verdict','findings','unknown']
ok &= d['applet']=='check-apps' and all(f['fiche']=='1.d' and f['step'].startswith('1.d ') for f in d['findings'])
ok &= all(set(f['lang'])=={'fr','en'} and f['lang']['en']['detail']==f['detail'] for f in d['findings'])
ok &= all(f['lang']['fr']['detail']!=f['lang']['en']['detail'] for f in d['findings'])
sys.exit(0 if ok else 1)"
check "clean: the SAML signing set is not a credential finding" python3 -c "
import json,sys; d=json.load(open('$(D clean)')); sys.exit(1 if any('Salesforce' in f['objects'] for f in d['findings'] if f['id'] in ('APP-001','APP-002','APP-003')) else 0)"
check "clean: the line-of-business certificate listed (info)" chk "$(D clean)" has APP-001 info clear "Contoso HR Portal" c1000000-0000-4000-8000-000000000001
check "clean: sign-in consents listed (info)" chk "$(D clean)" has APP-006 info clear Zoom
run clean
check "clean, no baseline: nothing at high" most "$(D clean)" medium
check "clean, no baseline: exit 0" [ "$RC" = 0 ]
run bare --baseline "$BL"
for id in APP-001 APP-002 APP-003 APP-004 APP-005 APP-006 APP-007 APP-008 APP-009 APP-010 APP-011; do
	check "bare: $id clear" chk "$(D bare)" clear "$id"
done
"$REFLEXE" check-apps --offline --case "$F/clean" --baseline "$BL" --lang fr >"$T_DIR/clean.fr" 2>&1
check "text FR: the fiche's answer" contains "$T_DIR/clean.fr" \
	"^Compromission d'application d'entreprise Microsoft Entra ID : non détectée$"
check "text FR: the illicit-consent line" contains "$T_DIR/clean.fr" "Consentement illicite .*: rien de suspect parmi 4 consentements"

# ---- one scenario per rule and trait -----------------------------------------------------
# expect SCENARIO EXIT ID SEVERITY STATUS OBJECT… [-- options]
expect() {
	local s=$1 want=$2 id=$3 sev=$4 st=$5; shift 5
	local objs=() opts=(--baseline "$BL")
	while [ $# -gt 0 ]; do
		if [ "$1" = "--" ]; then shift; opts=("$@"); break; fi
		objs+=("$1"); shift
	done
	run "$s" "${opts[@]}"
	check "$s: $id $sev $st ${objs[*]}" chk "$(D "$s")" has "$id" "$sev" "$st" "${objs[@]}"
	check "$s: exit $want" [ "$RC" = "$want" ]
}
expect app001 1 APP-001 medium suspect "Payroll Sync" c1000000-0000-4000-8000-000000000020
expect app002 1 APP-002 high suspect "Office 365 Management" c1000000-0000-4000-8000-000000000030
check "app002: a credential on a Microsoft application is an attacker's trace" verdict "$(D app002)" suspected
expect app002h 1 APP-002 medium suspect "Office 365 Exchange Online"
check "app002h: the hybrid certificate is said" contains "$(D app002h)" "hybrid configuration"
expect app002n 1 APP-002 critical suspect "Office 365 Management"
expect app003 1 APP-003 medium suspect "Contoso HR Portal" c1000000-0000-4000-8000-000000000040 admin1@contoso.com
expect app003h 1 APP-003 high suspect "Payroll Sync" c1000000-0000-4000-8000-000000000041
check "app003h: the backdated secret dated by the audit (hyphen spelling)" python3 -c "
import json,sys; d=json.load(open('$(D app003h)'))
sys.exit(0 if any(f['id']=='APP-003' and f.get('at')=='2026-02-26T12:00:00Z' for f in d['findings']) else 1)"
expect app004 1 APP-004 medium suspect "Contoso HR Portal" https://idp.evil.example
expect app004w 1 APP-004 low suspect "Contoso HR Portal" https://token.actions.githubusercontent.com
expect app005 1 APP-005 high suspect "Mail Archiver"
check "app005: full_access_as_app named" contains "$(D app005)" "full_access_as_app"
expect app006 1 APP-006 high suspect "PDF Converter Pro"
check "app006: illicit consent suspected" verdict "$(D app006)" suspected yes
expect app006u 1 APP-006 high suspect "Calendar Helper" admin1@contoso.com
expect app006v 1 APP-006 medium suspect "Agenda Sync" emma.robert@contoso.com
expect app007 1 APP-007 high suspect "Doc Sign Online" david.thomas@contoso.com
check "app007: a consent within the window answers the fiche's question" verdict "$(D app007)" suspected yes
expect app007r 1 APP-007 medium suspect "Free Invoice Reader" emma.robert@contoso.com
expect app008 1 APP-008 high suspect "Contoso HR Portal" "ines_partner.example#EXT#@contoso.onmicrosoft.com"
expect app008o 1 APP-008 medium suspect "Payroll Sync" "ines_partner.example#EXT#@contoso.onmicrosoft.com"
expect app009a 1 APP-009 high suspect "eM Client" e9a7fea1-1cc0-4cd9-a31b-9137ca5deedd
expect app009b 1 APP-009 medium suspect "Оutlook Security Update"
check "app009b: the homoglyph is named" contains "$(D app009b)" "imitating 'outlook'"
expect app009c 1 APP-009 medium suspect "AADInternals helper"
expect app009d 1 APP-009 low suspect "David Thomas"
check "app009d: the user named" contains "$(D app009d)" "named after a user \(david.thomas@contoso.com\)"
expect app009e 1 APP-009 low suspect " . "
expect app009f 1 APP-009 medium suspect "Sales Dashboard Sync"
expect app009g 1 APP-009 low suspect "Partner Portal"
check "app009g: the tunnel address named" contains "$(D app009g)" "ngrok-free.app"
expect app009h 1 APP-009 medium suspect "Micros0ft Authenticator Sync"
"$REFLEXE" check-apps --offline --case "$F/app009x" --baseline "$BL" >"$T_DIR/x.txt" 2>&1
check "app009x: a name's terminal escapes are not printed (text)" bash -c \
	"grep -q 'Sync?\]0;pwned? ?\[31mTool??2J' '$T_DIR/x.txt' && ! LC_ALL=C grep -q \$'\\x1b\\|\\x07\\|\\xc2\\x9b' '$T_DIR/x.txt'"
"$REFLEXE" check-apps --offline --case "$F/app009x" --baseline "$BL" --format md >"$T_DIR/x.md" 2>&1
check "app009x: nor in markdown" bash -c "! LC_ALL=C grep -q \$'\\x1b' '$T_DIR/x.md'"
run app009x --baseline "$BL"
check "app009x: the JSON keeps the name, escaped" contains "$(D app009x)" 'Sync\\u001b\]0;pwned\\u0007'
expect app010 1 APP-010 high suspect "Intune App" admin1@contoso.com
expect app010s 1 APP-010 medium suspect "Survey Tool" david.thomas@contoso.com
expect app011 1 APP-011 critical suspect "Contoso HR Portal" 198.51.100.77 c1000000-0000-4000-8000-000000000040
expect app011c 1 APP-011 medium suspect "Contoso HR Portal" 192.0.2.99
expect app011f 1 APP-011 medium suspect "Contoso HR Portal" 192.0.2.66

# ---- the traces are dated, and flagged as the attacker's or not --------------------------
at() {
	python3 - "$(D "$1")" "$2" <<'PY'
import json,re,sys
d=json.load(open(sys.argv[1])); fs=[f for f in d['findings'] if f['id']==sys.argv[2] and f['status']!='clear']
ok=bool(fs)
for f in fs:
    a=f.get('at','')
    ok&=bool(re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ',a)) and d['window']['since']<=a<=d['window']['until']
    m=re.findall(r'\d{4}-\d\d-\d\d \d\d:\d\d UTC',f['detail'])
    if m: ok&=any(x[:16]==a[:10]+' '+a[11:16] for x in m)
sys.exit(0 if ok else 1)
PY
}
for sa in app003:APP-003 app007:APP-007 app008:APP-008 app010:APP-010 app011:APP-011 app011c:APP-011; do
	run "${sa%%:*}" --baseline "$BL"
	check "${sa%%:*}: ${sa#*:} dated (at)" at "${sa%%:*}" "${sa#*:}"
done
run app005 --baseline "$BL"
check "app005: a standing permission is no attacker's trace (compromise false)" python3 -c "
import json,sys; d=json.load(open('$(D app005)')); fs=[f for f in d['findings'] if f['id']=='APP-005' and f['status']!='clear']
sys.exit(0 if fs and all(f['compromise'] is False for f in fs) and 'at' not in fs[0] else 1)"

# ---- without a baseline every trace still stands at medium or more ---------------------------
for sa in app003:APP-003 app007:APP-007 app008:APP-008 app010s:APP-010 app011c:APP-011 app002h:APP-002; do
	run "${sa%%:*}"
	check "no baseline, ${sa%%:*}: ${sa#*:} at medium or more" python3 -c "
import json,sys; d=json.load(open('$(D "${sa%%:*}")'))
fs=[f for f in d['findings'] if f['id']=='${sa#*:}' and f['status']!='clear']
sys.exit(0 if fs and all(f['severity'] in ('medium','high','critical') for f in fs) else 1)"
done
# ... and with one, what it knows drops to low
cat "$BL" >"$T_DIR/known.ini"
printf '\n[apps]\nf8000000-0000-4000-8000-000000000020 = Payroll\n[app-permissions]\nf8000000-0000-4000-8000-000000000020:Mail.Read\n[app-credentials]\nc1000000-0000-4000-8000-000000000030\nc1000000-0000-4000-8000-000000000020\n' >>"$T_DIR/known.ini"
run app002 --baseline "$T_DIR/known.ini"
check "baseline: a known Microsoft-app credential drops to low" chk "$(D app002)" has APP-002 low suspect "Office 365 Management"
check "baseline: then no compromise" verdict "$(D app002)" not_detected
run app001 --baseline "$T_DIR/known.ini"
check "baseline: known mail permission drops to low" chk "$(D app001)" has APP-005 low suspect "Payroll Sync"
check "baseline: known credentials listed only" chk "$(D app001)" has APP-001 info clear "Payroll Sync"

# ---- licences, permissions, broken evidence -----------------------------------------------
run nolicence --baseline "$BL"
check "no P1: exit 0" [ "$RC" = 0 ]
check "no P1: service principal sign-ins unanswered, need P1" chk "$(D nolicence)" unknown APP-011 "Entra ID P1"
check "no P1: the rest answered" chk "$(D nolicence)" clear APP-003
check "no P1: verdict not detected" verdict "$(D nolicence)" not_detected
run denied --baseline "$BL"
check "service principals denied: verdict undetermined" verdict "$(D denied)" undetermined
check "service principals denied: exit 3" [ "$RC" = 3 ]
check "service principals denied: what it needs" chk "$(D denied)" unknown APP-009 Application.Read.All
run broken --baseline "$BL"
check "truncated audit page: no crash, exit 1 (start dates still read)" [ "$RC" = 1 ]
check "truncated audit page: APP-007 unanswered" python3 -c "
import json,sys; d=json.load(open('$(D broken)')); sys.exit(0 if any(u['check']=='APP-007' and 'directoryAudits' in u['reason'] for u in d['unknown']) else 1)"
check "truncated audit page: the secret still found by its start date" chk "$(D broken)" has APP-003 medium suspect "Contoso HR Portal"
check "truncated audit page: and said to be the weaker trace" contains "$(D broken)" "start dates count"
run many --baseline "$BL"
check "600 service principals, 2,500 grants over pages: all read" python3 -c "
import json,sys; d=json.load(open('$(D many)')); n=sum(1 for f in d['findings'] if f['id']=='APP-006' and f['objects'][0].startswith('Vendor App'))
sys.exit(0 if n==600 else print(n) or 1)"

# ---- the consent file (--format csv) ---------------------------------------------------------
"$REFLEXE" check-apps --offline --case "$F/app006u" --format csv >"$T_DIR/c.csv" 2>"$T_DIR/c.err"
check "csv: exit 1 like the findings" [ $? = 1 ]
check "csv: the script's columns, C ClientDisplayName, F Permission, G ConsentType" bash -c \
	"head -1 '$T_DIR/c.csv' | grep -q '^.\?.\?.\?\"PermissionType\";\"ClientObjectId\";\"ClientDisplayName\";\"ResourceObjectId\";\"ResourceDisplayName\";\"Permission\";\"ConsentType\";\"PrincipalObjectId\";\"PrincipalDisplayName\";\"PrincipalUserPrincipalName\";\"Microsoft\"'"
check "csv: one row per delegated scope, with the user" contains "$T_DIR/c.csv" \
	'^"Delegated";"a9000000-0000-4000-8000-000000000061";"Calendar Helper";"a9000000-0000-4000-8000-000000000002";"Microsoft Graph";"Mail.Read";"Principal";"a1000000-0000-4000-8000-000000000001";"Alice Martin";"admin1@contoso.com";"no"'
check "csv: application permissions too" contains "$T_DIR/c.csv" '^"Application";"a9000000-0000-4000-8000-000000000001";"Contoso HR Portal";.*"User.Read.All"'
check "csv: sorted by client" python3 -c "
import csv,sys; r=list(csv.reader(open('$T_DIR/c.csv',encoding='utf-8-sig'),delimiter=';'))[1:]
n=[x[2].lower() for x in r]; sys.exit(0 if n==sorted(n) else 1)"
"$REFLEXE" check-apps --offline --case "$F/denied" --format csv >/dev/null 2>"$T_DIR/d.err"
check "csv: no grants read, exit 3 and what it needs" bash -c "[ $? = 3 ] && grep -q 'no consent file.*DelegatedPermissionGrant.Read.All' '$T_DIR/d.err'"

# ---- --make-baseline ---------------------------------------------------------------------------
"$REFLEXE" check-apps --offline --case "$F/app001" --make-baseline "$T_DIR/made.ini" >/dev/null 2>&1
check "make-baseline: apps, permissions, credentials, owners" bash -c "
grep -q '^f8000000-0000-4000-8000-000000000020 = Payroll Sync' '$T_DIR/made.ini' &&
grep -q '^f8000000-0000-4000-8000-000000000020:Mail.Read = application' '$T_DIR/made.ini' &&
grep -q '^c1000000-0000-4000-8000-000000000020 = f8000000-0000-4000-8000-000000000020 Payroll Sync' '$T_DIR/made.ini' &&
grep -q '^f8000000-0000-4000-8000-000000000020:admin2@contoso.com' '$T_DIR/made.ini' &&
grep -q '^\[vip\]' '$T_DIR/made.ini' && ! grep -q '00000003-0000-0000-c000-000000000000 = Microsoft Graph' '$T_DIR/made.ini'"
run app001 --baseline "$T_DIR/made.ini"
check "make-baseline: the tenant is nothing above low against it" most "$(D app001)" low
printf '\n[vip]\nemma.robert@contoso.com = DAF\n' >>"$T_DIR/made.ini"
"$REFLEXE" check-apps --offline --case "$F/app001" --make-baseline "$T_DIR/made.ini" >/dev/null 2>"$T_DIR/mk.err"
check "make-baseline again: merged, the VIP kept" bash -c "grep -q '^emma.robert@contoso.com = DAF' '$T_DIR/made.ini' && [ -f '$T_DIR/made.ini~' ] && grep -q merged '$T_DIR/mk.err'"
check "make-baseline: check-admins' sections and check-apps' in one file" bash -c "
'$REFLEXE' check-apps --offline --case '$F/clean' --make-baseline '$T_DIR/both.ini' >/dev/null 2>&1 &&
grep -q '^\[apps\]' '$T_DIR/both.ini' && grep -q '^\[admins\]' '$T_DIR/both.ini'"

# ---- evidence first ---------------------------------------------------------------------------
rm -rf "$T_DIR/ev"; cp -r "$F/app003" "$T_DIR/ev"
sed -i 's/Contoso HR Portal/Contoso HR Portai/' "$T_DIR/ev/graph/v1.0/applications/page-0001.json"
"$REFLEXE" check-apps --offline --case "$T_DIR/ev" --format json >"$T_DIR/ev.json" 2>"$T_DIR/ev.err"
check "evidence altered: exit 3, no document, the file named" bash -c \
	"[ $? = 3 ] && [ ! -s '$T_DIR/ev.json' ] && grep -q 'graph/v1.0/applications/page-0001.json' '$T_DIR/ev.err'"
rm -rf "$T_DIR/ev2"; cp -r "$F/app008o" "$T_DIR/ev2"; rm "$T_DIR/ev2/graph/v1.0/applications/e7000000-0000-4000-8000-000000000020/owners/page-0001.json"
"$REFLEXE" check-apps --offline --case "$T_DIR/ev2" --format json >/dev/null 2>"$T_DIR/ev2.err"
check "evidence deleted (one owner listing): exit 3, named" bash -c "[ $? = 3 ] && grep -q 'owners/page-0001.json' '$T_DIR/ev2.err'"

# ---- coverage: every rule fires in a fixture and is quiet in another ----------------------------
mkdir -p "$T_DIR/cov"
for sc in "$F"/*/; do
	n=$(basename "$sc")
	"$REFLEXE" check-apps --offline --case "$sc" --format json --baseline "$BL" >"$T_DIR/cov/$n.bl.json" 2>/dev/null
	"$REFLEXE" check-apps --offline --case "$sc" --format json >"$T_DIR/cov/$n.none.json" 2>/dev/null
done
"$REFLEXE" check-apps --list-rules >"$T_DIR/rules.txt"
check "--list-rules: 11 rules" [ "$(grep -c '^APP-0[0-9][0-9]  ' "$T_DIR/rules.txt")" = 11 ]
check "coverage: every rule fires in a fixture and is quiet in another" \
	python3 "$TOP/tests/fixtures/coverage.py" "$T_DIR/rules.txt" "$T_DIR"/cov/*.json

# ---- usage -----------------------------------------------------------------------------------------
check_rc "--format html: usage" 2 "$REFLEXE" check-apps --offline --case "$F/clean" --format html 2>/dev/null
check_rc "stray argument: usage" 2 "$REFLEXE" check-apps --offline --case "$F/clean" x 2>/dev/null
check_rc "missing case folder: could not complete" 3 "$REFLEXE" check-apps --offline --case "$T_DIR/nope" 2>/dev/null
check_rc "--help: 0" 0 "$REFLEXE" check-apps --help >/dev/null
"$REFLEXE" check-apps --help --lang fr >"$T_DIR/h.fr"
check "help in French" contains "$T_DIR/h.fr" "Fiche réflexe, action 1.d"
check "logbook: a line per run, chain verifies" bash -c "grep -q 'check-apps' '$F/app010/courante.jsonl' && '$REFLEXE' courante --case '$F/app010' verify >/dev/null"
check_rc "kit/baseline-modele.ini parses (its check-apps sections all commented)" 0 "$REFLEXE" check-apps --offline \
	--case "$F/clean" --baseline "$TOP/kit/baseline-modele.ini" --format json >/dev/null 2>&1
