# reflexe qualify: non-interactive with --answers (every step, its logbook
# lines, the report at the end, the answers saved and hashed in the case),
# its usage errors before anything is written, the time box (spec §5
# scenario 16), an interactive run on a pseudo-terminal killed in Mesure 3
# and resumed there on the same clock (scenario 15), the keys of a prompt,
# and a live run against the fake Microsoft servers that sends no write.
. "$(dirname "$0")/graph_env.sh"
unset REFLEXE_CASE
export REFLEXE_WHO=tests REFLEXE_KEYRING=off TZ=UTC
F=$T/cases
python3 "$TOP/tests/fixtures/report/gen.py" "$F" "$REFLEXE" s04-ga-compromised s12-lowered >"$T/gen.log" 2>&1 ||
	{ fail "fixtures generated"; cat "$T/gen.log"; exit 1; }
A4=$F/s04-ga-compromised.ini
drive() { python3 "$TOP/tests/fixtures/report/drive.py" "$@"; }
# lines CASE PYTHON-EXPR: over the logbook's entries E (dicts), true or not
lines() {
	python3 - "$1/courante.jsonl" "$2" <<'EOF'
import json, sys
E = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
sys.exit(0 if eval("(" + sys.argv[2] + ")") else 1)
EOF
}
starts='[e for e in E if (e.get("source") or "").startswith("reflexe qualify") and e["what"].startswith("qualify: start, time box")]'

# ---- non-interactive, --answers ------------------------------------------------------
cp -r "$F/s04-ga-compromised" "$T/ni"
"$REFLEXE" qualify --offline --case "$T/ni" --answers "$A4" </dev/null >"$T/ni.out" 2>"$T/ni.err"; rc=$?
check "--answers: runs to the end without a prompt, exit 1 (majeur)" [ $rc = 1 ]
check "--answers: asks nothing" bash -c "! grep -q '\[nsp\]: \|\[Y/n\]: ' '$T/ni.err'"
check "--answers: the report on stdout, and only it" bash -c "head -1 '$T/ni.out' | grep -q '^Qualification — Azure tenant compromise' && \
	grep -q '^Gravity retained: incident majeur (major incident), presumed (rule G2)$' '$T/ni.out' && ! grep -q 'T+' '$T/ni.out'"
check "--answers: the clock on each step (stderr)" grep -q '^\[T+00:[0-9][0-9] / 60:00 · Mesure 1 — checks\]' "$T/ni.err"
check "--answers: check-admins' own answer shown" grep -q "Microsoft 365 / Entra ID privileged account compromise: suspected" "$T/ni.err"
check "--answers: the head hash to write on paper" grep -q "^Logbook head hash, to write on paper: [0-9a-f]\{64\}" "$T/ni.err"
check "answers.ini saved in the case and listed" bash -c "cd '$T/ni' && grep -q '  answers.ini$' manifest.sha256 && sha256sum -c --quiet manifest.sha256"
check "answers.ini: the file's answers" bash -c "grep -q '^si_local = non$' '$T/ni/answers.ini' && grep -q '^\[urgence\]$' '$T/ni/answers.ini'"
check "logbook: one start line, time box 60" lines "$T/ni" "len($starts) == 1 and '60 min' in $starts[0]['what']"
check "logbook: the check's own line, each block, the gravity, the report, the end" lines "$T/ni" "
any((e['source'] or '').startswith('reflexe check-admins') for e in E) and
all(any(e['what'].startswith(b + ': ') for e in E) for b in ('Prerequisites', 'Mesure 1', 'Mesure 2', 'Mesure 3', 'Mesure 4')) and
any(e['what'].startswith('gravity: incident majeur (major incident) (G2; scope widespread') for e in E) and
any(e['what'].startswith('report; gravity incident majeur') for e in E) and E[-1]['what'].startswith('qualify: end')"
check "logbook: a proposal's source named in its block line" lines "$T/ni" "any('admin=oui (ADM-004, ADM-015)' in e['what'] for e in E)"
check "logbook: chain intact" bash -c "'$REFLEXE' courante verify --case '$T/ni' >/dev/null"
check "the report saved and sealed in the case" bash -c "test -s '$T/ni/report.html' && ls '$T/ni'/report/seal-*.sha256 >/dev/null"
"$REFLEXE" report --case "$T/ni" --no-save --format json >"$T/ni.json" 2>&1
check "the case's answers.ini is what report reads afterwards (same gravity)" python3 -c "
import json,sys; d=json.load(open('$T/ni.json')); g=d['gravity']
sys.exit(0 if g['retained']=='majeur' and g['rule']=='G2' and d['answers']['perimetre.si_local']['source']=='answer' and d['seal']['answers_sha256'] else 1)"
# the same again: the collection reused, the clock's origin kept
"$REFLEXE" qualify --offline --case "$T/ni" --answers "$A4" </dev/null >"$T/ni2.out" 2>"$T/ni2.err"; rc=$?
check "again: exit 1" [ $rc = 1 ]
check "again: still one start line, and a resume line naming it" lines "$T/ni" \
	"len($starts) == 1 and any(e['what'] == 'qualify: resumed (start: line %d, time box 60 min)' % $starts[0]['seq'] for e in E)"

# ---- usage errors: nothing written -----------------------------------------------------
cp -r "$F/s04-ga-compromised" "$T/bad"
cp "$T/bad/courante.jsonl" "$T/bad.before"
printf '[perimetre]\nadm = oui\n' >"$T/bad.ini"
"$REFLEXE" qualify --offline --case "$T/bad" --answers "$T/bad.ini" </dev/null >"$T/o" 2>"$T/e"; rc=$?
check "unknown key: exit 2, the line named" bash -c "[ $rc = 2 ] && grep -q \"bad.ini, line 2: unknown key 'adm' in \[perimetre\]\" '$T/e'"
check "unknown key: nothing written to the case" cmp -s "$T/bad/courante.jsonl" "$T/bad.before"
"$REFLEXE" qualify --offline --case "$T/bad" --timebox 90m --answers "$A4" </dev/null >"$T/o" 2>"$T/e"; rc=$?
check "--timebox 90m: exit 2 (the fiche: 1 hour at most)" bash -c "[ $rc = 2 ] && grep -q -- '--timebox .90m.: expected minutes, 60 at most' '$T/e'"
"$REFLEXE" qualify --offline --case "$T/bad" --answers "$A4" --at "2999-01-01 10:00 +01:00" </dev/null >"$T/o" 2>"$T/e"; rc=$?
check "--at in the future: refused" bash -c "[ $rc = 3 ] && grep -q 'in the future' '$T/e'"
check "usage errors: nothing written to the case" cmp -s "$T/bad/courante.jsonl" "$T/bad.before"
"$REFLEXE" qualify stray --case "$T/bad" </dev/null >"$T/o" 2>"$T/e"; rc=$?
check "a stray argument: exit 2 naming it" bash -c "[ $rc = 2 ] && grep -q \"'stray'\" '$T/e'"
cp -r "$F/s12-lowered" "$T/low"
"$REFLEXE" qualify --offline --case "$T/low" --answers "$F/s12-lowered.ini" </dev/null >"$T/o" 2>"$T/low.err"; rc=$?
check "gravity lowered without a justification: exit 2" bash -c "[ $rc = 2 ] && grep -q 'below the computed .incident majeur' '$T/low.err'"
check "gravity lowered: the refusal is in the logbook" lines "$T/low" "E[-1]['what'].startswith('qualify: answers refused:')"

# ---- scenario 16: 30 min box exceeded; a logbook line edited ------------------------------------
cp -r "$F/s04-ga-compromised" "$T/s16"
for i in 1 2 3 4 5 6; do "$REFLEXE" courante add "note $i" --case "$T/s16" >/dev/null 2>&1; done
AT=$(date -u -d '-40 min' '+%Y-%m-%dT%H:%M:%SZ')
"$REFLEXE" qualify --offline --case "$T/s16" --answers "$A4" --timebox 30m --at "$AT" </dev/null >"$T/s16.out" 2>"$T/s16.err"; rc=$?
check "s16: exit 1, gravity unchanged (majeur, G2)" bash -c "[ $rc = 1 ] && grep -q 'Gravity retained: incident majeur (major incident), presumed (rule G2)' '$T/s16.out'"
check "s16: the clock starts at --at (T+40 or more of 30:00)" grep -q '^\[T+4[0-9]:[0-9][0-9] / 30:00' "$T/s16.err"
check "s16: one « time box exceeded » line" lines "$T/s16" "sum(e['what'] == 'qualify: time box exceeded (30 min)' for e in E) == 1"
"$REFLEXE" qualify --offline --case "$T/s16" --answers "$A4" </dev/null >"$T/o" 2>"$T/e"
check "s16: resumed, still one « exceeded » line, the box kept (30)" lines "$T/s16" \
	"sum(e['what'] == 'qualify: time box exceeded (30 min)' for e in E) == 1 and len($starts) == 1 and '30 min' in $starts[0]['what']"
sed -i '7s/"what":"note 6"/"what":"note six"/' "$T/s16/courante.jsonl"
grep -q 'note six' "$T/s16/courante.jsonl" || sed -i '7s/"what":"/"what":"X/' "$T/s16/courante.jsonl"
"$REFLEXE" qualify --offline --case "$T/s16" --answers "$A4" </dev/null >"$T/s16b.out" 2>"$T/s16b.err"; rc=$?
check "s16: line 7 edited: the report still comes, with the banner" bash -c \
	"[ $rc = 1 ] && grep -q '^LOGBOOK ALTERED FROM LINE 7 ON$' '$T/s16b.out' && grep -q 'incident majeur' '$T/s16b.out'"

# ---- scenario 15: interactive, killed in Mesure 3, resumed there -------------------------------------
cp -r "$F/s04-ga-compromised" "$T/s15"
cat >"$T/run1.json" <<'EOF'
[{"at": "Prerequisites · contexte.aide", "send": ["oui"]},
 {"at": "Prerequisites · contexte.organisation", "send": ["entreprise"]},
 {"at": "Mesure 2 · perimetre.admin", "send": ["non", "the MSP's account, ticket INC-4521"]},
 {"at": "Mesure 3 · impact.entra", "kill": true}]
EOF
drive "$T/run1.json" "$T/run1.log" "$T/run1.out" -- env LANG=C "$REFLEXE" qualify --offline --case "$T/s15"; rc=$?
check "s15 run 1: interactive on a terminal, killed in Mesure 3" bash -c "[ $rc = 9 ] && grep -q 'steps left: \[\]' '$T/run1.log'"
check "s15 run 1: prompts show the clock and the item" grep -q '^\[T+00:[0-9][0-9] / 60:00 · Mesure 2 · perimetre.admin\]' "$T/run1.log"
check "s15 run 1: the proposal shown, with its findings" grep -q "proposed: yes — presumed from ADM-004, ADM-015" "$T/run1.log"
check "s15 run 1: lowering the proposal asked for a note" grep -q "^Note (required: why below the proposal drawn from the findings): " "$T/run1.log"
check "s15 run 1: Mesure 2 saved before the kill" bash -c "grep -q '^admin = non$' '$T/s15/answers.ini' && \
	grep -q \"^admin.note = the MSP's account, ticket INC-4521\$\" '$T/s15/answers.ini' && ! grep -q '^entra' '$T/s15/answers.ini'"
cat >"$T/run2.json" <<'EOF'
[{"at": "Mesure 3 · impact.entra", "send": ["?", "p", "maybe", "oui"]},
 {"at": "· Gravity]", "send": ["anomalie", "isolated test account, confirmed by IT"]},
 {"at": "Add these", "send": ["n"]}]
EOF
drive "$T/run2.json" "$T/run2.log" "$T/run2.out" -- env LANG=C "$REFLEXE" qualify --offline --case "$T/s15"; rc=$?
check "s15 run 2: runs to the end (exit 0: anomalie retained), every step used" bash -c "[ $rc = 0 ] && grep -q 'steps left: \[\]' '$T/run2.log'"
check "s15 run 2: resumes at Mesure 3, its first question" bash -c \
	"grep -o '· Mesure [0-9] · [a-z_.]*\]' '$T/run2.log' | head -1 | grep -qx '· Mesure 3 · impact.entra\]'"
check "s15 run 2: the same clock origin (one start line, the resume names it)" lines "$T/s15" \
	"len($starts) == 1 and any(e['what'].startswith('qualify: resumed (start: line %d,' % $starts[0]['seq']) for e in E)"
check "s15 run 2: ? shows the fiche's question" grep -q "^  fiche 3.a: 3.a — does Entra ID still work" "$T/run2.log"
check "s15 run 2: a bad value re-asks, saying what is expected" grep -q "value 'maybe' refused for impact.entra (expected: oui, non or nsp)" "$T/run2.log"
check "s15 run 2: lowering the gravity asked for a justification" grep -q "^Justification (required for a gravity below the computed one): " "$T/run2.log"
check "s15 run 2: admin = non with its note: the computed gravity is mineur" grep -q "^Computed gravity: incident mineur (minor incident) (G3)" "$T/run2.log"
check "s15 run 2: the report printed, the gravity retained by the responder" grep -q "^Gravity retained: anomalie courante (routine anomaly)" "$T/run2.out"
check "s15 run 2: gravity override in the logbook" lines "$T/s15" \
	"any(e['what'] == 'gravity retained by the responder: anomalie courante (routine anomaly); computed: incident mineur (minor incident) (G3); justification: isolated test account, confirmed by IT' for e in E)"
check "s15: every answer given is in the case's answers.ini" bash -c "cd '$T/s15' && grep -q '^aide = oui$' answers.ini && \
	grep -q '^entra = oui$' answers.ini && grep -q '^gravite = anomalie$' answers.ini && grep -q '^justification = isolated' answers.ini"

# ---- q saves and quits; the time box at 80 % offers to finish with nsp ------------------------
cp -r "$F/s04-ga-compromised" "$T/quit"
cat >"$T/quit.json" <<'EOF'
[{"at": "Prerequisites · contexte.aide", "send": ["non"]},
 {"at": "Mesure 1 · mesure1.a", "send": ["q"]}]
EOF
drive "$T/quit.json" "$T/quit.log" "$T/quit.out" -- env LANG=C "$REFLEXE" qualify --offline --case "$T/quit"; rc=$?
check "q: saves and quits (exit 3), says how to resume" bash -c "[ $rc = 3 ] && grep -q 'qualification interrupted, answers saved in the case: the same command resumes it' '$T/quit.log'"
check "q: the answers so far saved, the interruption in the logbook" bash -c "grep -q '^aide = non$' '$T/quit/answers.ini' && \
	tail -1 '$T/quit/courante.jsonl' | grep -q 'qualify: interrupted, answers saved'"
check "q: no report yet" test ! -s "$T/quit.out"
cp -r "$F/s04-ga-compromised" "$T/box"
AT=$(date -u -d '-50 min' '+%Y-%m-%dT%H:%M:%SZ')
cat >"$T/box.json" <<'EOF'
[{"at": "80% of the time box", "send": ["y"]},
 {"at": "· Gravity]", "send": [""]},
 {"at": "Add these", "send": ["n"]}]
EOF
drive "$T/box.json" "$T/box.log" "$T/box.out" -- env LANG=C "$REFLEXE" qualify --offline --case "$T/box" --at "$AT"; rc=$?
check "80 %: offered to finish with nsp; accepted, straight to the gravity" bash -c "[ $rc = 1 ] && \
	grep -q 'steps left: \[\]' '$T/box.log' && ! grep -q '· Mesure 2 · ' '$T/box.log'"
check "80 %: the blocks still logged (the proposals, else nsp), no « exceeded » line yet" lines "$T/box" \
	"any(e['what'].startswith('Mesure 2: admin=oui') for e in E) and not any(e['what'].startswith('qualify: time box exceeded') for e in E)"

# ---- live against the fake: no write request ----------------------------------------------------
export AZURE_TENANT_ID=contoso.onmicrosoft.com AZURE_CLIENT_ID=$APP AZURE_CLIENT_SECRET=$SECRET
fake live --tenant-file "$TOP/tests/fake/tenants/admins-rogue.json"
"$REFLEXE" qualify --case "$T/live" --answers "$TOP/kit/demo-answers.ini" </dev/null >"$T/live.out" 2>"$T/live.err"; rc=$?
check "live: qualify against the fake, exit 1 (findings)" [ $rc = 1 ]
check "live: check-admins' findings saved in the case" test -s "$T/live/findings/check-admins.json"
logok "live: only GETs, token POSTs and \$batch of GETs reached the servers" \
	'len(L) > 3 and all(e["method"] == "GET" or "/oauth2/" in e["path"] or e["path"].endswith("$batch") for e in L) and all(b.get("method", "GET") == "GET" for e in L for b in e.get("batch", []))'
n=$(logq 'len(L)')
"$REFLEXE" report --case "$T/live" --format json >/dev/null 2>&1
check "live: report sends nothing at all" test "$(logq 'len(L)')" = "$n"
check "live: no token or secret in the case folder or output" no_secret "$T/live" "$T/live.out" "$T/live.err"
