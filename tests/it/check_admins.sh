# check-admins on case folders (tests/fixtures/admins/gen.py): the clean
# tenant raises nothing above info; each rule fires on its scenario with
# its id, severity and objects; missing licences and permissions become
# "unknown" entries; the outputs, the logbook line, the baseline writer.
. "$(dirname "$0")/../lib.sh"
F=$T_DIR/cases
if ! python3 "$TOP/tests/fixtures/admins/gen.py" "$F"; then
	fail "fixtures generated"
	exit 1
fi
BL=$F/baseline.ini
export REFLEXE_WHO=tests
chk() { python3 "$TOP/tests/fixtures/admins/check.py" "$@"; }
# run SCENARIO [options…]: JSON document in $T_DIR/SCENARIO.json, exit in $RC
run() {
	local s=$1; shift
	"$REFLEXE" check-admins --offline --case "$F/$s" --format json "$@" >"$T_DIR/$s.json" 2>"$T_DIR/$s.err"
	RC=$?
}
D() { echo "$T_DIR/$1.json"; }

# ---- the clean tenant ---------------------------------------------------------
run clean --baseline "$BL"
check "clean: exit 0" [ "$RC" = 0 ]
# DESIGN.md's document: its keys in its order (window and verdict, the
# fiche's answer, added before the findings), each finding and unknown
# with exactly its keys
check "json: DESIGN.md's shape" python3 -c "
import json,sys,collections; d=json.load(open('$(D clean)'), object_pairs_hook=collections.OrderedDict)
top=list(d.keys())
ok = top == ['tool','version','applet','tenant','case','generated','window','verdict','findings','unknown']
ok &= d['tool']=='reflexe' and d['applet']=='check-admins' and len(d['findings']) > 0
keys=['id','severity','status','fiche','title','detail','objects','evidence','compromise']
ok &= all([k for k in f.keys() if k not in ('at',)]==keys+['step','lang'] for f in d['findings'])
ok &= all(isinstance(f['compromise'],bool) for f in d['findings'])
ok &= all(set(f['lang'])=={'fr','en'} and all(list(f['lang'][l])==['title','step','detail'] for l in ('fr','en')) for f in d['findings'])
ok &= all(f['step'].startswith(f['fiche']+' ') for f in d['findings'])
ok &= all(f['severity'] in ('info','low','medium','high','critical') and f['status'] in ('clear','suspect','confirmed') for f in d['findings'])
ok &= all(isinstance(f['objects'],list) and isinstance(f['evidence'],list) for f in d['findings'])
ok &= all(not e.startswith('/') for f in d['findings'] for e in f['evidence'])
ok &= d['verdict']['answer'] in ('confirmed','suspected','not_detected','undetermined')
sys.exit(0 if ok else 1)"
run nolicence --baseline "$BL"
check "json: unknown entries carry check, reason, needs" python3 -c "
import json,sys,collections; d=json.load(open('$(D nolicence)'), object_pairs_hook=collections.OrderedDict)
sys.exit(0 if d['unknown'] and all(list(u.keys())==['check','reason','needs','lang'] and u['needs'] and u['lang']['fr']['reason'] and u['lang']['en']['reason']==u['reason'] for u in d['unknown']) else 1)"
run clean --baseline "$BL"
check "clean: nothing above info" chk "$(D clean)" clean
check "clean: verdict not detected, sound GA yes" chk "$(D clean)" verdict not_detected yes
check "clean: every rule answered" python3 -c "import json,sys; d=json.load(open('$(D clean)')); sys.exit(1 if d['unknown'] else 0)"
for id in ADM-001 ADM-002 ADM-003 ADM-006 ADM-009 ADM-012 ADM-013 ADM-023 ADM-026; do
	check "clean: $id clear" chk "$(D clean)" clear "$id"
done
check "clean: the partner guest listed for confirmation" chk "$(D clean)" has ADM-022 info clear \
	"ines_partner.example#EXT#@contoso.onmicrosoft.com" admin1@contoso.com

"$REFLEXE" check-admins --offline --case "$F/clean" --baseline "$BL" --lang fr >"$T_DIR/clean.fr" 2>&1
check "text FR: the fiche's answer" contains "$T_DIR/clean.fr" \
	"^Compromission de compte à privilèges Microsoft 365 / Entra ID : non détectée$"
check "text FR: sound global admin line" contains "$T_DIR/clean.fr" \
	"Administrateur global sain restant : oui — admin1@contoso.com"
"$REFLEXE" check-admins --offline --case "$F/clean" --baseline "$BL" --lang en >"$T_DIR/clean.en" 2>&1
check "text EN: the answer" contains "$T_DIR/clean.en" \
	"^Microsoft 365 / Entra ID privileged account compromise: not detected$"

run clean
check "no baseline: exit 0" [ "$RC" = 0 ]
check "no baseline: ADM-003 unknown, needs --baseline" chk "$(D clean)" unknown ADM-003 --baseline
check "no baseline: ADM-009 unknown" chk "$(D clean)" unknown ADM-009 --baseline
check "no baseline: the rest still answered (ADM-006 clear)" chk "$(D clean)" clear ADM-006

# ---- one scenario per rule ------------------------------------------------------
# expect SCENARIO EXIT ID SEVERITY STATUS OBJECT… [-- extra options]
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
expect adm001 1 ADM-001 high confirmed admin1@contoso.com
expect adm002 1 ADM-002 critical suspect evil@contoso.com admin1@contoso.com
check "adm002: the victim lost its tenant (sound GA: no)" chk "$(D adm002)" verdict suspected no
check "adm002: disabled GAs still holding the role listed (info)" chk "$(D adm002)" has ADM-011 info suspect admin1@contoso.com
expect adm003 1 ADM-003 high suspect evil@contoso.com a1000000-0000-4000-8000-000000000050
check "adm003: verdict suspected" chk "$(D adm003)" verdict suspected yes
expect adm004 1 ADM-004 high suspect exadmin@contoso.com admin2@contoso.com
check "adm004: PIM completed grant counted" chk "$(D adm004)" has ADM-004 high suspect bg1@contoso.onmicrosoft.com
check "adm004: PIM requested grant not counted" chk "$(D adm004)" count ADM-004 suspect 2
expect adm004e 1 ADM-004 high suspect exadmin@contoso.com
check "adm004e: the eligibility's start is named" python3 -c "
import json,sys; d=json.load(open('$(D adm004e)'))
sys.exit(0 if sum(1 for f in d['findings'] if f['id']=='ADM-004' and 'eligible for Privileged Role Administrator' in f['detail']) == 1 else 1)"
check "adm004e: PIM's name with a trailing blank counted" python3 -c "
import json,sys; d=json.load(open('$(D adm004e)'))
sys.exit(0 if any(f['id']=='ADM-004' and 'PIM completed (timebound)' in f['detail'] for f in d['findings']) else 1)"
check "adm004e: the scoped grant counted" chk "$(D adm004e)" has ADM-004 high suspect admin1@contoso.com admin2@contoso.com
expect adm005 1 ADM-005 high suspect exadmin2@contoso.com
expect adm006 1 ADM-006 high confirmed exadmin@contoso.com
expect adm007 1 ADM-007 medium confirmed admin2@contoso.com
expect adm008 1 ADM-008 high suspect "ines_partner.example#EXT#@contoso.onmicrosoft.com"
expect adm009 1 ADM-009 critical suspect d1f0c0de-0000-4000-8000-00000000beef
check "adm009: SP with Global Administrator makes the verdict suspected" chk "$(D adm009)" verdict suspected
expect adm010 1 ADM-010 medium suspect 9a000000-0000-4000-8000-000000000001
check "adm010: role through a group reaches its direct member" chk "$(D adm010)" has ADM-003 high suspect helpdesk1@contoso.com
check "adm010: and the member of the nested group" chk "$(D adm010)" has ADM-003 high suspect helpdesk2@contoso.com
check "adm010: the nested group itself holds nothing" python3 -c "
import json,sys; d=json.load(open('$(D adm010)'))
sys.exit(1 if any('9a000000-0000-4000-8000-000000000002' in f['objects'] for f in d['findings']) else 0)"
expect adm011 0 ADM-011 info suspect exadmin@contoso.com
expect adm012 1 ADM-012 medium suspect admin1@contoso.com 198.51.100.7
expect adm013 1 ADM-013 medium suspect admin2@contoso.com 192.0.2.1 192.0.2.2 192.0.2.3
expect adm013b 1 ADM-013 high suspect admin2@contoso.com 192.0.2.2
expect adm013c 1 ADM-013 medium suspect 198.51.100.66 admin1@contoso.com admin2@contoso.com exadmin@contoso.com
check "adm013c: spraying is no compromise yet (verdict not detected)" chk "$(D adm013c)" verdict not_detected
expect adm013d 1 ADM-013 high suspect 198.51.100.66 exadmin@contoso.com
check "adm013d: a success after the spray makes the verdict suspected" chk "$(D adm013d)" verdict suspected
check "adm013d: the spraying itself still listed, all three accounts" chk "$(D adm013d)" has ADM-013 medium suspect 198.51.100.66 admin1@contoso.com admin2@contoso.com exadmin@contoso.com
check "adm013d: only the account got into is suspect: admin1 is still a sound GA" python3 -c "
import json,sys; d=json.load(open('$(D adm013d)')); sys.exit(0 if 'admin1@contoso.com' in d['verdict']['sound_global_admin']['text'] else 1)"
run adm013e --baseline "$BL"
check "adm013e: three accounts over 80 minutes, or from the baseline's network: no spraying" chk "$(D adm013e)" clear ADM-013
expect adm014 1 ADM-014 medium suspect admin1@contoso.com 203.0.113.10
expect adm015 1 ADM-015 high suspect admin2@contoso.com
expect adm015h 1 ADM-015 high suspect admin2@contoso.com
check "adm015h: hidden risk levels (no P2) are unanswered, not risk-free" chk "$(D adm015h)" unknown ADM-015 "Entra ID P2"
expect adm016 1 ADM-016 medium suspect admin1@contoso.com 192.0.2.50 -- --baseline "$F/baseline-de.ini"
check "adm016: DE allowed, so ADM-012 stays clear" chk "$(D adm016)" clear ADM-012
expect adm017 1 ADM-017 critical confirmed exadmin@contoso.com
check "adm017: at-risk admin suspect" chk "$(D adm017)" has ADM-017 high suspect admin2@contoso.com
check "adm017: a non-privileged risky user is not a finding" chk "$(D adm017)" count ADM-017 suspect 1
check "adm017: confirmed compromise confirms the verdict" chk "$(D adm017)" verdict confirmed
expect adm018 1 ADM-018 medium suspect admin1@contoso.com 198.51.100.9
expect adm018h 1 ADM-018 medium suspect admin2@contoso.com 198.51.100.11
expect adm019 1 ADM-019 high suspect admin2@contoso.com exadmin@contoso.com
check "adm019: self-registration medium" chk "$(D adm019)" has ADM-019 medium suspect admin1@contoso.com
expect adm020 1 ADM-020 low confirmed 10dae51f-b6af-4016-8d66-8c2a99b929b3
expect adm021 1 ADM-021 medium confirmed everyone
expect adm022 1 ADM-022 low suspect "mallory_unknown.example#EXT#@contoso.onmicrosoft.com" exadmin@contoso.com
expect adm023 1 ADM-023 high suspect contoso.com http://sts.evil.example/adfs/services/trust
expect adm024 1 ADM-024 high suspect contoso.com admin2@contoso.com
expect adm025 1 ADM-025 high suspect "Block legacy authentication" admin2@contoso.com
check "adm025: the policy switched off is named" chk "$(D adm025)" has ADM-025 high suspect "Require MFA for admins"
expect adm026 1 ADM-026 high confirmed

# ---- "at" and "compromise": what the report's timeline and gravity read ----------
# at SCENARIO ID: every finding of ID at or above suspect carries the UTC
# time of its event, and where its text dates the event, the same minute.
at() {
	python3 - "$(D "$1")" "$2" <<'PY'
import json,re,sys
d=json.load(open(sys.argv[1])); fs=[f for f in d['findings'] if f['id']==sys.argv[2] and f['status']!='clear']
ok=bool(fs)
for f in fs:
    a=f.get('at','')
    ok&=bool(re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ',a))
    m=re.findall(r'\d{4}-\d\d-\d\d \d\d:\d\d UTC',f['detail'])
    if m: ok&=any(x[:16]==a[:10]+' '+a[11:16] for x in m)
    ok&=d['window']['since']<=a<=d['window']['until'] if a else False
sys.exit(0 if ok else 1)
PY
}
for sa in adm004:ADM-004 adm004e:ADM-004 adm005:ADM-005 adm012:ADM-012 adm013:ADM-013 adm013d:ADM-013 \
	  adm014:ADM-014 adm015:ADM-015 adm016:ADM-016 adm017:ADM-017 adm018:ADM-018 adm019:ADM-019 \
	  adm024:ADM-024 adm025:ADM-025; do
	run "${sa%%:*}" --baseline "$BL"
	[ "${sa%%:*}" = adm016 ] && run adm016 --baseline "$F/baseline-de.ini"
	check "${sa%%:*}: ${sa#*:} dated (at)" at "${sa%%:*}" "${sa#*:}"
done
run adm006 --baseline "$BL"
check "adm006: a state, not an event: no 'at'" python3 -c "
import json,sys; d=json.load(open('$(D adm006)')); sys.exit(1 if any('at' in f for f in d['findings'] if f['id'] in ('ADM-006','ADM-001')) else 0)"
check "adm006: hygiene, not an attacker's trace (compromise false)" python3 -c "
import json,sys; d=json.load(open('$(D adm006)')); fs=[f for f in d['findings'] if f['id']=='ADM-006' and f['status']!='clear']
sys.exit(0 if fs and all(f['compromise'] is False for f in fs) else 1)"
run adm004 --baseline "$BL"
check "adm004: a role granted is an attacker's trace (compromise true)" python3 -c "
import json,sys; d=json.load(open('$(D adm004)')); fs=[f for f in d['findings'] if f['id']=='ADM-004' and f['status']!='clear']
sys.exit(0 if fs and all(f['compromise'] is True for f in fs) else 1)"
run adm013d --baseline "$BL"
check "adm013d: the spraying is no compromise, the account got into is" python3 -c "
import json,sys; d=json.load(open('$(D adm013d)')); fs=[f for f in d['findings'] if f['id']=='ADM-013' and f['status']!='clear']
spray=[f for f in fs if 'admin2@contoso.com' in f['objects']]; hit=[f for f in fs if f['severity']=='high']
sys.exit(0 if spray and hit and all(not f['compromise'] for f in spray) and all(f['compromise'] for f in hit) else 1)"

# ---- licences, permissions, broken evidence ---------------------------------------
run nolicence --baseline "$BL"
check "no P1/P2: exit 0 (nothing found among what could be read)" [ "$RC" = 0 ]
check "no P1/P2: sign-in rules unknown, need P1" chk "$(D nolicence)" unknown ADM-012 "Entra ID P1"
check "no P1/P2: risky users unknown, need P2" chk "$(D nolicence)" unknown ADM-017 "Entra ID P2"
check "no P1/P2: dormancy unknown (signInActivity)" chk "$(D nolicence)" unknown ADM-011 "Entra ID P1"
check "no P1/P2: MFA answered from each admin's methods" chk "$(D nolicence)" clear ADM-006
check "no P1/P2: role holders answered" chk "$(D nolicence)" clear ADM-003
check "no P1/P2: no eligibility without P2 is not a gap" chk "$(D nolicence)" no-unknown ADM-003
check "no P1/P2: verdict not detected (audit log read)" chk "$(D nolicence)" verdict not_detected yes
check "no P1/P2: not clear on unread data" python3 -c "
import json,sys; d=json.load(open('$(D nolicence)'))
ids={f['id'] for f in d['findings']}
sys.exit(1 if ids & {'ADM-012','ADM-013','ADM-014','ADM-015','ADM-016','ADM-017','ADM-018'} else 0)"

run free7d --baseline "$F/baseline-de.ini"
check "Entra ID Free: exit 1 (the new address is found in the 7 days)" [ "$RC" = 1 ]
check "Entra ID Free: sign-in rules say the rest of the window is unanswered" chk "$(D free7d)" unknown ADM-012 "Entra ID P1"
check "Entra ID Free: no sign-in rule claims clear over 30 days" python3 -c "
import json,sys; d=json.load(open('$(D free7d)'))
sys.exit(1 if any(f['id'] in ('ADM-012','ADM-013','ADM-014','ADM-015','ADM-016') and f['status']=='clear' and not f['objects'] for f in d['findings']) else 0)"
check "Entra ID Free: ADM-016 judges 'new' within the 7 days read" chk "$(D free7d)" has ADM-016 medium suspect admin1@contoso.com 192.0.2.60
check "Entra ID Free: audit rules too (ADM-004)" chk "$(D free7d)" unknown ADM-004 "Entra ID P1"
check "Entra ID Free: audit rules too (ADM-025)" chk "$(D free7d)" unknown ADM-025 "Entra ID P1"
"$REFLEXE" check-admins --offline --case "$F/free7d" --format csv >"$T_DIR/f.csv" 2>"$T_DIR/f.err"
check "Entra ID Free: the csv table says it starts 7 days back" contains "$T_DIR/f.err" "sign-in table from 2026-02-22T12:00:00Z only"
run p1long --baseline "$BL" --since 90d
check "P1, --since 90d: exit 0" [ "$RC" = 0 ]
check "P1, --since 90d: days 31 to 90 unanswered, sign-ins and audit" python3 -c "
import json,sys; d=json.load(open('$(D p1long)'))
u={x['check'] for x in d['unknown'] if '30 days' in x['reason'] and 'diagnostic settings' in x['needs']}
sys.exit(0 if u == {'ADM-004','ADM-012','ADM-013','ADM-014','ADM-015','ADM-016','ADM-019','ADM-024','ADM-025'} else 1)"
check "P1, --since 90d: verdict still not detected" chk "$(D p1long)" verdict not_detected
run p1long --baseline "$BL"
check "P1, 30 days asked: no gap" python3 -c "
import json,sys; d=json.load(open('$(D p1long)')); sys.exit(1 if d['unknown'] else 0)"
run free7d --baseline "$F/baseline-de.ini" --since 6d
check "Entra ID Free, --since 6d: covered, no gap" chk "$(D free7d)" no-unknown ADM-014

run denied --baseline "$BL"
check "role assignments denied: verdict undetermined" chk "$(D denied)" verdict undetermined unknown
check "role assignments denied: exit 3" [ "$RC" = 3 ]
check "role assignments denied: what it needs" chk "$(D denied)" unknown ADM-003 RoleManagement.Read.Directory

run broken --baseline "$BL"
check "truncated audit page: no crash, exit 0" [ "$RC" = 0 ]
check "truncated audit page: ADM-004 unknown" python3 -c "
import json,sys; d=json.load(open('$(D broken)'))
sys.exit(0 if any(u['check']=='ADM-004' and 'directoryAudits' in u['reason'] for u in d['unknown']) else 1)"
check "truncated audit page: sign-in rules still answered" chk "$(D broken)" clear ADM-013

run many --baseline "$BL"
check "2,000 role members over 4 pages: all read" chk "$(D many)" count ADM-003 suspect 2000
"$REFLEXE" check-admins --offline --case "$F/many" --baseline "$BL" >"$T_DIR/many.txt" 2>&1
check "2,000 findings: text shows 10 and says how many more" contains "$T_DIR/many.txt" "and 1990 more finding"

# ---- evidence first: the case folder must be what was collected ---------------------
# Each file is checked against manifest.sha256 before it is parsed; one
# that is not the collected evidence stops the run (exit 3) with one line
# naming it, and no document: never analysed, never skipped.
check "fixtures: every case's manifest checks" bash -c "for d in '$F'/*/; do (cd \"\$d\" && sha256sum -c --quiet --strict manifest.sha256) || exit 1; done"
# tamper NAME CMD: a copy of the clean case as $T_DIR/ev-NAME, CMD run in it
tamper() {
	rm -rf "$T_DIR/ev-$1"; cp -r "$F/clean" "$T_DIR/ev-$1"
	(cd "$T_DIR/ev-$1" && eval "$2")
}
# refused NAME LANG PATTERN: the run stops, exit 3, nothing on stdout,
# one line on stderr matching PATTERN
refused() {
	"$REFLEXE" check-admins --offline --case "$T_DIR/ev-$1" --baseline "$BL" --format json --lang "$2" \
		>"$T_DIR/ev-$1.$2.out" 2>"$T_DIR/ev-$1.$2.err"
	local rc=$?
	check "evidence $1 ($2): exit 3" [ "$rc" = 3 ]
	check "evidence $1 ($2): no document" [ ! -s "$T_DIR/ev-$1.$2.out" ]
	check "evidence $1 ($2): one line naming the file" bash -c \
		"[ \$(wc -l <'$T_DIR/ev-$1.$2.err') = 1 ] && grep -Eq -- '$3' '$T_DIR/ev-$1.$2.err'"
}
SI=graph/v1.0/auditLogs/signIns@user/a1000000-0000-4000-8000-000000000001
tamper altered "sed -i 's/203.0.113.10/203.0.113.99/' $SI/page-0001.json"
refused altered en "analysis refused.*evidence altered since it was collected.*: $SI/page-0001.json\$"
refused altered fr "analyse refusée.*preuve modifiée depuis sa collecte.*: $SI/page-0001.json\$"
check "evidence altered: the logbook records each refused run, with its reason" bash -c "
'$REFLEXE' courante list --case '$T_DIR/ev-altered' --lang en >'$T_DIR/ev-altered.log' &&
grep -q 'check-admins --offline: could not complete: analysis refused.*page-0001.json' '$T_DIR/ev-altered.log' &&
grep -q \"check-admins --offline : n'a pas pu aboutir : analyse refusée.*page-0001.json\" '$T_DIR/ev-altered.log' &&
'$REFLEXE' courante verify --case '$T_DIR/ev-altered' >/dev/null"
check "evidence altered: sha256sum -c agrees" bash -c "cd '$T_DIR/ev-altered' && ! sha256sum -c --quiet manifest.sha256 >/dev/null 2>&1"
# the record (collect/check-admins.json) is evidence too: it says what was
# collected and over which window
tamper record "sed -i 's/\"since\": \"2026-01-30T12:00:00Z\"/\"since\": \"2026-02-27T12:00:00Z\"/' collect/check-admins.json"
refused record en "evidence altered since it was collected.*: collect/check-admins.json\$"
A=graph/v1.0/auditLogs/directoryAudits
tamper deleted "rm $A/page-0001.json"
refused deleted en "listed in the manifest .* but missing from the folder: $A/page-0001.json\$"
refused deleted fr "listée dans le manifeste .* mais absente du dossier : $A/page-0001.json\$"
tamper folder "rm -r $SI"
refused folder en "missing from the folder: $SI/page-0001.json\$"
# a page planted after the last one of a listed folder is read, so refused
tamper planted "cp $SI/page-0001.json $SI/page-0002.json"
refused planted en "evidence not listed in the manifest \\(manifest.sha256\\): $SI/page-0002.json\$"
refused planted fr "preuve absente du manifeste \\(manifest.sha256\\) : $SI/page-0002.json\$"
# so is a folder planted where the walk looks (one per privileged user)
tamper newuser "mkdir -p graph/v1.0/auditLogs/signIns@user/a1000000-0000-4000-8000-000000000099 && cp $SI/page-0001.json graph/v1.0/auditLogs/signIns@user/a1000000-0000-4000-8000-000000000099/"
refused newuser en "not listed in the manifest.*signIns@user/a1000000-0000-4000-8000-000000000099/page-0001.json\$"
# one planted after a gap (page-0009 after page-0001) is never read: the
# walk stops at the first page absent and not listed; the answer is the
# untouched case's
tamper gap "cp $SI/page-0001.json $SI/page-0009.json && sed -i 's/203.0.113.10/198.51.100.7/g' $SI/page-0009.json"
run clean --baseline "$BL"; cp "$(D clean)" "$T_DIR/clean.first"
"$REFLEXE" check-admins --offline --case "$T_DIR/ev-gap" --baseline "$BL" --format json >"$T_DIR/ev-gap.json" 2>"$T_DIR/ev-gap.err"
check "evidence gap: a page after a gap is never read (exit 0)" [ $? = 0 ]
check "evidence gap: same findings as the untouched case" chk "$T_DIR/ev-gap.json" same "$T_DIR/clean.first"
tamper nomanifest "rm manifest.sha256"
refused nomanifest en "analysis refused.*manifest.sha256"
# outputs are not evidence the analysis reads: findings/ and the logbook
# may change (every run appends to courante.jsonl) without refusing
tamper outputs "mkdir -p findings && echo '{}' >findings/check-admins.json && echo 'x' >>courante.jsonl"
"$REFLEXE" check-admins --offline --case "$T_DIR/ev-outputs" --baseline "$BL" --format json >"$T_DIR/ev-outputs.json" 2>/dev/null
check "evidence: findings/ and courante.jsonl are outputs, not read (exit 0)" [ $? = 0 ]

# ---- the window ----------------------------------------------------------------------
run adm013 --baseline "$BL" --since 2d
check "--since 2d leaves the burst 4 days ago out" chk "$(D adm013)" clear ADM-013
run adm013 --baseline "$BL" --since 60d
check "--offline --since 60d on 30 days collected: the 30 days before are unanswered" python3 -c "
import json,sys; d=json.load(open('$(D adm013)'))
u={x['check'] for x in d['unknown'] if 'collected from' in x['reason'] and x['needs']=='check-admins --since (live)'}
sys.exit(0 if {'ADM-004','ADM-013','ADM-018','ADM-025'} <= u else 1)"
check "--offline --since 60d: the burst within the 30 days still found" chk "$(D adm013)" has ADM-013 medium suspect admin2@contoso.com
run adm013 --baseline "$BL" --since 2026-02-20T00:00:00Z
check "--since ISO date" chk "$(D adm013)" has ADM-013 medium suspect admin2@contoso.com

# ---- other formats -----------------------------------------------------------------------
"$REFLEXE" check-admins --offline --case "$F/adm013b" --format csv >"$T_DIR/t.csv" 2>"$T_DIR/t.err"
check "csv: exit 1 like the findings" [ $? = 1 ]
check "csv: UTF-8 BOM and header" bash -c "head -c 3 '$T_DIR/t.csv' | od -An -tx1 | grep -q 'ef bb bf' && head -1 '$T_DIR/t.csv' | grep -q '\"account\";\"name\";\"IP address\";\"country\"'"
check "csv: admin2's failing address, 5 failures, 1 success" contains "$T_DIR/t.csv" \
	'^"admin2@contoso.com";"Bruno Dubois";"192.0.2.2";"NL";"Amsterdam";1;5;0;0;'
check "csv: sorted by account then country (FR before NL)" bash -c \
	"grep -n admin2 '$T_DIR/t.csv' | head -1 | grep -q '\"FR\"'"
check "csv: CRLF rows" bash -c "head -1 '$T_DIR/t.csv' | od -c | grep -q '\\\\r  \\\\n'"
"$REFLEXE" check-admins --offline --case "$F/nolicence" --format csv >"$T_DIR/n.csv" 2>"$T_DIR/n.err"
check "csv without sign-ins: exit 3, says what it needs" bash -c "[ $? = 3 ] && grep -q 'Entra ID P1' '$T_DIR/n.err'"
"$REFLEXE" check-admins --offline --case "$F/adm003" --baseline "$BL" --format md >"$T_DIR/a.md" 2>&1
check "md: the answer and a findings table" bash -c "grep -q '^\*\*Microsoft 365 / Entra ID privileged account compromise: suspected\*\*' '$T_DIR/a.md' && grep -q '^| ADM-003 | high | suspect | 1.a |' '$T_DIR/a.md'"
"$REFLEXE" check-admins --offline --case "$F/adm003" --baseline "$BL" --format md --lang fr >"$T_DIR/a.fr.md" 2>&1
check "md FR: the fiche's answer" contains "$T_DIR/a.fr.md" '^\*\*Compromission de compte à privilèges Microsoft 365 / Entra ID : suspectée\*\*'
check "json EN: verdict text" python3 -c "
import json,sys; d=json.load(open('$(D adm003)')); sys.exit(0 if d['verdict']['text']=='Microsoft 365 / Entra ID privileged account compromise: suspected' else 1)"
"$REFLEXE" check-admins --list-rules >"$T_DIR/rules.txt" 2>&1
check "--list-rules: 26 rules" [ "$(grep -c '^ADM-0[0-9][0-9]  ' "$T_DIR/rules.txt")" = 26 ]
check "--list-rules: sources named" contains "$T_DIR/rules.txt" "signIns"

# ---- --offline twice gives the same document ---------------------------------------------
run adm017 --baseline "$BL"; cp "$(D adm017)" "$T_DIR/adm017.first"
run adm017 --baseline "$BL"
check "two offline runs: same findings" chk "$(D adm017)" same "$T_DIR/adm017.first"

# ---- logbook ----------------------------------------------------------------------------------
check "logbook: a line per run" grep -q '"check-admins' "$F/adm017/courante.jsonl"
check "logbook: the chain verifies" "$REFLEXE" courante --case "$F/adm017" verify >/dev/null
check "logbook: accounts named as targets" grep -q 'exadmin@contoso.com' "$F/adm017/courante.jsonl"

# ---- --make-baseline ----------------------------------------------------------------------------
"$REFLEXE" check-admins --offline --case "$F/clean" --make-baseline "$T_DIR/made.ini" >"$T_DIR/mk.out" 2>&1
check "make-baseline: written" [ -s "$T_DIR/made.ini" ]
check "make-baseline: admins, break-glass as admin, SP-free, country" bash -c \
	"grep -q '^admin1@contoso.com = Alice Martin' '$T_DIR/made.ini' && grep -q '^bg1@contoso.onmicrosoft.com' '$T_DIR/made.ini' && grep -q '^FR$' '$T_DIR/made.ini' && grep -q '^partner.example$' '$T_DIR/made.ini'"
run clean --baseline "$T_DIR/made.ini"
check "make-baseline: the clean tenant is clean against it" chk "$(D clean)" clean
# Run again on a file a person annotated: merged, nothing of theirs lost,
# the file as it was kept beside it; another tenant's file refused.
cp "$T_DIR/made.ini" "$T_DIR/made.orig"
sed -i 's/^admin1@contoso.com = .*/admin1@contoso.com = vue avec la DSI le 2 mars/' "$T_DIR/made.ini"
printf '\n[admins]\nkept-by-hand@contoso.com = ajouté à la main\n' >>"$T_DIR/made.ini"
cp "$T_DIR/made.ini" "$T_DIR/made.annotated"
check_rc "make-baseline again: merges (exit 0)" 0 "$REFLEXE" check-admins --offline --case "$F/clean" \
	--make-baseline "$T_DIR/made.ini" >/dev/null 2>"$T_DIR/mk.err"
check "make-baseline again: the person's note and entry kept" bash -c \
	"grep -q '^admin1@contoso.com = vue avec la DSI le 2 mars' '$T_DIR/made.ini' && grep -q '^kept-by-hand@contoso.com = ajouté à la main' '$T_DIR/made.ini'"
check "make-baseline again: each entry once" bash -c \
	"[ \$(grep -c '^admin1@contoso.com' '$T_DIR/made.ini') = 1 ] && [ \$(grep -c '^FR$' '$T_DIR/made.ini') = 1 ]"
check "make-baseline again: the file as it was kept as FILE~" cmp -s "$T_DIR/made.annotated" "$T_DIR/made.ini~"
check "make-baseline again: says it merged" contains "$T_DIR/mk.err" "merged"
sed 's/^id = .*/id = 00000000-1111-4222-8333-444444444444/; s/^domain = .*/domain = fabrikam.onmicrosoft.com/' \
	"$T_DIR/made.orig" >"$T_DIR/other-made.ini"
check_rc "make-baseline into another tenant's file: refused" 3 "$REFLEXE" check-admins --offline --case "$F/clean" \
	--make-baseline "$T_DIR/other-made.ini" >/dev/null 2>"$T_DIR/mk2.err"
check "make-baseline into another tenant's file: left as it was (its copy ~ the same)" bash -c \
	"grep -q '^id = 00000000-1111-4222-8333-444444444444' '$T_DIR/other-made.ini' && cmp -s '$T_DIR/other-made.ini' '$T_DIR/other-made.ini~'"

# ---- every rule fires in a fixture and stays quiet in another ------------------
# Each scenario with each baseline of the fixtures, and with none.
mkdir -p "$T_DIR/cov"
for sc in "$F"/*/; do
	n=$(basename "$sc")
	for b in "$F"/*.ini; do
		"$REFLEXE" check-admins --offline --case "$sc" --format json --baseline "$b" \
			>"$T_DIR/cov/$n.$(basename "$b" .ini).json" 2>/dev/null
	done
	"$REFLEXE" check-admins --offline --case "$sc" --format json >"$T_DIR/cov/$n.none.json" 2>/dev/null
done
"$REFLEXE" check-admins --list-rules >"$T_DIR/rules.txt"
check "coverage: every rule fires in a fixture and is quiet in another" \
	python3 "$TOP/tests/fixtures/coverage.py" "$T_DIR/rules.txt" "$T_DIR"/cov/*.json

# ---- usage ---------------------------------------------------------------------------------------
check_rc "--format html: usage" 2 "$REFLEXE" check-admins --offline --case "$F/clean" --format html 2>/dev/null
check_rc "--since nonsense: usage" 2 "$REFLEXE" check-admins --offline --case "$F/clean" --since fortnight 2>/dev/null
"$REFLEXE" check-admins --offline --case "$F/clean" --format html 2>"$T_DIR/fmt.err" >/dev/null
check "--format html: names the formats it writes" contains "$T_DIR/fmt.err" "check-admins: format 'html' not available \(text, json, md, csv\)"
# One --since grammar: the French help says "30j", and it works (as in courante).
run adm013 --baseline "$BL" --since 2j
check "--since 2j (French days): the burst 4 days ago left out, like 2d" chk "$(D adm013)" clear ADM-013
run adm013 --baseline "$BL" --since 96h
check "--since 96h: the burst 4 days ago inside" chk "$(D adm013)" has ADM-013 medium suspect admin2@contoso.com
# A word the applet does not take is a usage error that names it.
check_rc "stray argument: usage" 2 "$REFLEXE" check-admins --offline --case "$F/clean" contoso.com 2>"$T_DIR/arg.err" >/dev/null
check "stray argument: named" contains "$T_DIR/arg.err" "unexpected argument: 'contoso.com'"
check_rc "stray argument after options: usage" 2 "$REFLEXE" check-admins --offline --case "$F/clean" --format json x 2>/dev/null >/dev/null
printf '[admin]\nx@y\n' >"$T_DIR/typo.ini"
check_rc "baseline with an unknown section: usage" 2 "$REFLEXE" check-admins --offline --case "$F/clean" \
	--baseline "$T_DIR/typo.ini" 2>/dev/null
"$REFLEXE" check-admins --offline --case "$F/clean" --baseline "$T_DIR/typo.ini" 2>"$T_DIR/typo.err" >/dev/null
check "baseline error names file, line and section" contains "$T_DIR/typo.err" "typo.ini:1: unknown section \[admin\]"
sed 's/^id = .*/id = 00000000-1111-4222-8333-444444444444/; s/^domain = .*/domain = fabrikam.example/' "$BL" >"$T_DIR/other.ini"
check_rc "another tenant's baseline: usage" 2 "$REFLEXE" check-admins --offline --case "$F/clean" \
	--baseline "$T_DIR/other.ini" 2>"$T_DIR/other.err" >/dev/null
check "another tenant's baseline: says whose it is" contains "$T_DIR/other.err" "tenant 00000000-1111-4222-8333-444444444444's, not this case's"
sed 's/^id = .*/id = 00000000-1111-4222-8333-444444444444/' "$BL" >"$T_DIR/dom.ini"
check_rc "baseline naming the tenant by its domain only: accepted" 0 "$REFLEXE" check-admins --offline --case "$F/clean" \
	--baseline "$T_DIR/dom.ini" >/dev/null 2>&1
check "make-baseline: [tenant] id and initial domain" bash -c \
	"grep -q '^id = 8f4c1a2e-7d3b-4c5e-9a10-2b3c4d5e6f70' '$T_DIR/made.ini' && grep -q '^domain = contoso.onmicrosoft.com' '$T_DIR/made.ini'"
check_rc "missing case folder: could not complete" 3 "$REFLEXE" check-admins --offline --case "$T_DIR/nope" 2>/dev/null
check_rc "--help: 0" 0 "$REFLEXE" check-admins --help >/dev/null
"$REFLEXE" check-admins --help --lang fr >"$T_DIR/h.fr"
check "help in French" contains "$T_DIR/h.fr" "Fiche réflexe, action 1.a"

# ---- the kit's template ---------------------------------------------------------------------------
"$REFLEXE" check-admins --offline --case "$F/clean" --baseline "$TOP/kit/baseline-modele.ini" --format json \
	>"$T_DIR/kit.json" 2>"$T_DIR/kit.err"
check "kit/baseline-modele.ini parses (all commented: admins unknown)" bash -c "[ $? = 1 ]"
check "kit template: a baseline is present, so ADM-003 ran" chk "$T_DIR/kit.json" has ADM-003 high suspect admin1@contoso.com
