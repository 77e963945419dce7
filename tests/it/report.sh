# reflexe report on the acceptance scenarios of shared/specs/report-qualify.md
# §5 (tests/fixtures/report/gen.py): each asserts the gravity retained, the
# rule that decided it, the clock fields and the exit status. Then the
# answers file's errors, the evidence checks, an altered logbook, the seal,
# the formats and both languages.
. "$(dirname "$0")/../lib.sh"
unset AZURE_TENANT_ID AZURE_CLIENT_ID AZURE_CLIENT_SECRET AZURE_CLIENT_CERTIFICATE_PATH \
	AZURE_AUTHORITY_HOST REFLEXE_GRAPH_URL REFLEXE_EXO_URL REFLEXE_CA_FILE REFLEXE_CASE
export REFLEXE_WHO=tests REFLEXE_KEYRING=off TZ=UTC
F=$T_DIR/cases
if ! python3 "$TOP/tests/fixtures/report/gen.py" "$F" "$REFLEXE" >"$T_DIR/gen.log" 2>&1; then
	fail "fixtures generated"; cat "$T_DIR/gen.log"; exit 1
fi
# rep SCENARIO [options]: report --format json into $T_DIR/SCENARIO.json,
# stderr in .err, exit in RC; answers from the scenario's file if any
rep() {
	local s=$1; shift
	local a=()
	[ -f "$F/$s.ini" ] && a=(--answers "$F/$s.ini")
	"$REFLEXE" report --case "$F/$s" "${a[@]}" --no-save --format json "$@" >"$T_DIR/$s.json" 2>"$T_DIR/$s.err"
	RC=$?
}
# j SCENARIO PYTHON-EXPRESSION (d = the document): true when it holds
j() {
	python3 -c "import json,sys; d=json.load(open('$T_DIR/$1.json')); g=d['gravity']; c=d['clock']
sys.exit(0 if ($2) else 1)"
}
# expect SCENARIO EXIT RETAINED RULE [CLOCK-EXPRESSION]
expect() {
	local s=$1 want=$2 grav=$3 rule=$4 clk=${5:-True}
	rep "$s"
	check "$s: exit $want" [ "$RC" = "$want" ]
	check "$s: gravity $grav ($rule)" j "$s" "g['retained'] == '$grav' and g['rule'] == '$rule'"
	check "$s: clock $clk" j "$s" "$clk"
}

# ---- §5 scenarios ------------------------------------------------------------------
expect s01-clean 0 anomalie G5 "not c['applies'] and c['awareness'] is None"
check "s01: every action not detected" j s01-clean "all(v['retained'] == 'not_detected' for v in d['mesure1'].values())"
check "s01: floor and ceiling agree" j s01-clean "g['floor'] == g['ceiling'] == {'value': 'anomalie', 'rule': 'G5'}"

expect s02-logs-denied 1 indeterminee G4 "not c['applies']"
check "s02: 1.a undetermined, not clean" j s02-logs-denied "d['mesure1']['1.a']['retained'] == 'undetermined'"
check "s02: the unknowns name what is needed" j s02-logs-denied \
	"any(u['check'] and 'AuditLog.Read.All' in (u['needs'] or '') for u in d['unknown'])"
expect s02b-mail-not-run 1 indeterminee G4
check "s02b: check-mail not run, 1.b 1.c 1.e not evaluated" j s02b-mail-not-run \
	"not d['checks']['check-mail']['run'] and [d['mesure1'][a]['retained'] for a in ('1.b','1.c','1.e')] == ['not_run']*3"

expect s03-nsp 1 indeterminee G6 "c['applies'] and c['prenotify']"
check "s03: floor anomalie (G5), ceiling majeur (G2)" j s03-nsp \
	"g['floor'] == {'value': 'anomalie', 'rule': 'G5'} and g['ceiling'] == {'value': 'majeur', 'rule': 'G2'}"
check "s03: the nsp impact items decide" j s03-nsp "'impact.rancon' in g['deciding'] and 'impact.fuite' in g['deciding']"

expect s04-ga-compromised 1 majeur G2 "not c['applies']"
check "s04: étendu, urgent, impact not fort" j s04-ga-compromised \
	"d['axes']['perimetre']['value'] == 'etendu' and d['axes']['urgence']['value'] == 'urgente' and d['axes']['impact']['value'] != 'fort'"
check "s04: admin proposed from ADM-004 / ADM-015" j s04-ga-compromised \
	"d['answers']['perimetre.admin']['source'] == 'auto' and 'ADM-015' in d['answers']['perimetre.admin']['why']"
check "s04: a sound GA left (ADM-002 line)" j s04-ga-compromised "d['answers']['impact.ga_sain']['value'] == 'oui'"

expect s05-crisis 1 crise G1
check "s05: no sound GA (ADM-002), impact fort" j s05-crisis \
	"d['answers']['impact.ga_sain']['value'] == 'non' and d['axes']['impact']['value'] == 'fort'"
check "s05: the plan keeps a sound GA first" j s05-crisis "d['actions'][0]['findings'].startswith('ADM-002') and 'New-MgRoleManagementDirectoryRoleAssignment' in d['actions'][0]['commands']"

expect s06-bec 1 mineur G3 "c['applies'] and c['prenotify'] and c['presumed'] and c['awareness_source'] == 'courante' and c['awareness'] == '2026-02-28T08:00:00Z'"
check "s06: the mailbox signal, 1.b suspected" j s06-bec \
	"'mailbox_compromise' in d['signals'] and d['mesure1']['1.b']['retained'] == 'suspected'"
check "s06: circonscrit" j s06-bec "d['axes']['perimetre']['value'] == 'circonscrit'"
"$REFLEXE" report --case "$F/s06-bec" --answers "$F/s06-bec.ini" --no-save --lang fr >"$T_DIR/s06.fr" 2>&1
check "s06 text FR: T0 présumée, pré-déclaration conseillée" bash -c \
	"grep -q 'T0 présumée' '$T_DIR/s06.fr' && grep -q 'pré-déclaration conseillée' '$T_DIR/s06.fr'"

expect s07-forwarding 1 majeur G2 "c['awareness_source'] == 'answer' and not c['presumed'] and c['awareness'] == '2026-02-28T10:30:00Z' and c['deadline'] == '2026-03-03T10:30:00Z'"
check "s07: circonscrit, so not crise" j s07-forwarding "d['axes']['perimetre']['value'] == 'circonscrit' and d['axes']['impact']['value'] == 'fort'"
"$REFLEXE" report --case "$F/s07-forwarding" --answers "$F/s07-forwarding.ini" --no-save --format md --lang fr >"$T_DIR/s07.md"
check "s07: the notification draft for the DPO" bash -c "grep -q 'PROJET — à compléter et valider par le DPO' '$T_DIR/s07.md' && \
	grep -q 'Claire Fontaine, dpo@contoso.com' '$T_DIR/s07.md' && grep -q '40 comptes' '$T_DIR/s07.md'"

expect s08-transport 1 crise G1
check "s08: the Exchange admin flagged by ADM-015 makes the tenant compromised" j s08-transport \
	"d['answers']['perimetre.admin']['value'] == 'oui' and 'ADM-015' in d['signals']['priv_compromise']"

expect s09-consent 1 majeur G2
check "s09: priv_app from the AllPrincipals Mail.Read consent" j s09-consent \
	"'APP-006' in d['signals']['priv_app'] and d['answers']['perimetre.app']['value'] == 'oui'"

expect s10-ca-federation 1 majeur G2
check "s10: ceiling crise, decide the crisis set-up" j s10-ca-federation "g['ceiling']['value'] == 'crise' and g['decide_crisis']"
"$REFLEXE" report --case "$F/s10-ca-federation" --answers "$F/s10-ca-federation.ini" --no-save --lang fr >"$T_DIR/s10.fr" 2>&1
check "s10 text: « Décider … crise »" grep -q "activer le dispositif de gestion de crise cyber" "$T_DIR/s10.fr"

expect s11-suspect 1 majeur G2
check "s11: presumed" j s11-suspect "g['presumed'] and d['answers']['perimetre.admin']['presumed']"
expect s11b-suspect-cleared 1 mineur G3
check "s11b: admin = non with its note, shown with the proposal" j s11b-suspect-cleared \
	"d['answers']['perimetre.admin']['value'] == 'non' and d['answers']['perimetre.admin']['auto'] == 'oui' and d['answers']['perimetre.admin']['note']"
sed '/^admin.note/d' "$F/s11b-suspect-cleared.ini" >"$F/s11c.ini"
"$REFLEXE" report --case "$F/s11b-suspect-cleared" --answers "$F/s11c.ini" --no-save >"$T_DIR/o" 2>"$T_DIR/s11c.err"; rc=$?
check "s11: admin = non without a note: exit 2, names the line" bash -c \
	"[ $rc = 2 ] && grep -q 's11c.ini, line 4: perimetre.admin = non is below the proposal' '$T_DIR/s11c.err'"

rep s12-lowered
check "s12: gravite below the computed one, no justification: exit 2" [ "$RC" = 2 ]
check "s12: the message names the line and the computed gravity" grep -q "s12-lowered.ini, line [0-9]*: gravity 'incident mineur.*' below the computed 'incident majeur" "$T_DIR/s12-lowered.err"
expect s12b-lowered-justified 1 mineur G2
check "s12b: override recorded, with its justification" j s12b-lowered-justified \
	"g['override'] and g['computed'] == 'majeur' and g['justification']"

expect s13-ransom 1 majeur G2 "not c['applies']"
check "s13: circonscrit (not crise), impact fort, urgent" j s13-ransom \
	"[d['axes'][k]['value'] for k in ('perimetre','impact','urgence')] == ['circonscrit','fort','urgente']"

expect s14-overdue 1 mineur G3 "c['overdue'] and c['presumed'] and c['left_hours'] == -8"
"$REFLEXE" report --case "$F/s14-overdue" --answers "$F/s14-overdue.ini" --no-save --lang fr >"$T_DIR/s14.fr" 2>&1
check "s14: « DÉPASSÉE de 8 h »" grep -q "DÉPASSÉE de 8 h" "$T_DIR/s14.fr"

# ---- 16 (report's part): a logbook line edited -------------------------------------------
cp -r "$F/s04-ga-compromised" "$F/s16"
for i in 1 2 3 4 5 6 7 8; do
	"$REFLEXE" courante add "ligne $i de la main courante" --case "$F/s16" >/dev/null 2>&1
done
sed -i '7s/ligne 6 de la main courante/ligne 6 réécrite après coup/' "$F/s16/courante.jsonl"
cp "$F/s04-ga-compromised.ini" "$F/s16.ini"
rep s16
check "s16: an altered logbook still gives a report (exit 1)" [ "$RC" = 1 ]
check "s16: gravity unchanged (majeur, G2)" j s16 "g['retained'] == 'majeur' and g['rule'] == 'G2'"
check "s16: altered from line 7" j s16 "not d['courante']['intact'] and d['courante']['altered_from_line'] == 7"
"$REFLEXE" report --case "$F/s16" --answers "$F/s16.ini" --no-save --lang fr >"$T_DIR/s16.fr" 2>&1
check "s16: the banner" grep -q "MAIN COURANTE ALTÉRÉE À PARTIR DE LA LIGNE 7" "$T_DIR/s16.fr"

# ---- 17: evidence altered ------------------------------------------------------------------
cp -r "$F/s01-clean" "$F/s17"
P=graph/v1.0/auditLogs/directoryAudits/page-0001.json
sed -i 's/"Update user"/"Update usex"/' "$F/s17/$P"
rep s17
check "s17: an evidence page altered: exit 3" [ "$RC" = 3 ]
check "s17: names the page" grep -q "evidence altered since it was collected.*$P" "$T_DIR/s17.err"
check "s17: no report printed" test ! -s "$T_DIR/s17.json"
cp -r "$F/s01-clean" "$F/s17b" && rm "$F/s17b/findings/check-mail.json"
rep s17b
check "s17b: a findings document gone: exit 3, named" bash -c "[ $RC = 3 ] && grep -q 'missing from the folder: findings/check-mail.json' '$T_DIR/s17b.err'"
cp -r "$F/s01-clean" "$F/s17c" && cp "$F/s17c/findings/check-apps.json" "$F/s17c/findings/check-extra.json"
rep s17c
check "s17c: a findings document not in the manifest: exit 3, named" bash -c "[ $RC = 3 ] && grep -q 'not listed in the manifest.*findings/check-extra.json' '$T_DIR/s17c.err'"
cp -r "$F/s01-clean" "$F/s17d"
python3 - "$F/s17d" <<'EOF'
import hashlib, json, sys
root = sys.argv[1]
p = root + "/findings/check-mail.json"
d = json.load(open(p)); d["findings"][0]["severity"] = "apocalyptic"
b = json.dumps(d).encode(); open(p, "wb").write(b)
lines = [l for l in open(root + "/manifest.sha256") if not l.endswith("  findings/check-mail.json\n")]
lines.append("%s  findings/check-mail.json\n" % hashlib.sha256(b).hexdigest())
open(root + "/manifest.sha256", "w").writelines(lines)
EOF
rep s17d
check "s17d: a finding of unknown severity: exit 3, file and field named" bash -c \
	"[ $RC = 3 ] && grep -q \"findings/check-mail.json: field 'severity' missing or invalid\" '$T_DIR/s17d.err'"

# ---- answers.ini ------------------------------------------------------------------------------
bad() {  # bad NAME LINE-IN-MESSAGE CONTENT
	printf '%b' "$3" >"$T_DIR/$1.ini"
	"$REFLEXE" report --case "$F/s01-clean" --answers "$T_DIR/$1.ini" --no-save >"$T_DIR/o" 2>"$T_DIR/$1.err"
	local rc=$?
	check "answers $1: exit 2" [ "$rc" = 2 ]
	check "answers $1: says $2" grep -qF -- "$2" "$T_DIR/$1.err"
}
bad section "section.ini, line 2: unknown section [perimetr]" "; x\n[perimetr]\nadmin = oui\n"
bad key "key.ini, line 3: unknown key 'adm' in [perimetre]" "[perimetre]\n; x\nadm = oui\n"
bad value "value 'peut-être' refused for perimetre.ad (expected: oui, non or nsp)" "[perimetre]\nad = peut-être\n"
bad value-line "value-line.ini, line 2" "[impact]\nfuite = beaucoup\n"
bad twice "twice.ini, line 3: [perimetre] ad given twice" "[perimetre]\nad = oui\nad = non\n"
bad nosect "nosect.ini, line 1: 'ad' before any [section]" "ad = oui\n"
bad novalue "novalue.ini, line 2: 'ad' without '= value'" "[perimetre]\nad\n"
bad time "expected: date and time" "[notification]\nconnaissance = hier soir\n"
printf '\xef\xbb\xbf[perimetre]\r\nad = NON\r\n; nsp is not « non »\r\nvip = Je ne sais pas\r\n' >"$T_DIR/bom.ini"
"$REFLEXE" report --case "$F/s01-clean" --answers "$T_DIR/bom.ini" --no-save --format json >"$T_DIR/bom.json" 2>"$T_DIR/e"
check "answers: BOM, CRLF, case and « je ne sais pas » accepted" j bom \
	"d['answers']['perimetre.ad']['value'] == 'non' and d['answers']['perimetre.vip']['value'] == 'nsp'"
"$REFLEXE" report --case "$F/s01-clean" --answers "$T_DIR/none.ini" --no-save >"$T_DIR/o" 2>"$T_DIR/e"; rc=$?
check "answers: a file that does not exist: exit 3, named" bash -c "[ $rc = 3 ] && grep -q 'none.ini' '$T_DIR/e'"

# ---- the questionnaire ----------------------------------------------------------------------
"$REFLEXE" report --questions --lang fr >"$T_DIR/q.ini"
check "--questions: the kit's reponses-modele.ini is its output" cmp -s "$T_DIR/q.ini" "$TOP/kit/reponses-modele.ini"
"$REFLEXE" report --case "$F/s01-clean" --answers "$T_DIR/q.ini" --no-save --format json >"$T_DIR/blank.json" 2>"$T_DIR/e"
check "--questions: the blank questionnaire is a valid answers file" j blank "g['retained'] in ('indeterminee', 'anomalie')"

# ---- the seal, the outputs saved in the case, the logbook line ------------------------------
cp -r "$F/s04-ga-compromised" "$F/seal"
"$REFLEXE" report --case "$F/seal" --answers "$F/s04-ga-compromised.ini" --format json >"$T_DIR/seal.json" 2>"$T_DIR/seal.err"
check "seal: exit 1 (majeur)" [ $? = 1 ]
SEAL=$(python3 -c "import json; print(json.load(open('$T_DIR/seal.json'))['seal']['file'])")
S=$(python3 -c "import json; print(json.load(open('$T_DIR/seal.json'))['seal']['manifest_sha256'])")
H=$(python3 -c "import json; print(json.load(open('$T_DIR/seal.json'))['seal']['courante_head'])")
check "seal: report/seal-<UTC>.sha256 saved" bash -c "[[ '$SEAL' == report/seal-2*Z.sha256 ]] && test -f '$F/seal/$SEAL'"
check "seal: sha256sum of the seal file gives S" bash -c "[ \"\$(sha256sum '$F/seal/$SEAL' | cut -d' ' -f1)\" = '$S' ]"
check "seal: sha256sum -c on it checks the evidence" bash -c "cd '$F/seal' && sha256sum -c --quiet '$SEAL'"
check "seal: the logbook line names the gravity and the seal" bash -c \
	"tail -1 '$F/seal/courante.jsonl' | grep -q 'report; gravity incident majeur (major incident) (computed: incident majeur (major incident), G2); seal sha256=$S'"
check "seal: courante verify H accepts the head printed" bash -c "'$REFLEXE' courante verify '$H' --case '$F/seal' >/dev/null"
check "seal: report.html, .md, .json saved and listed" bash -c "cd '$F/seal' && for f in report.html report.md report.json; do \
	grep -q \"  \$f\$\" manifest.sha256 || exit 1; done && sha256sum -c --quiet manifest.sha256"
"$REFLEXE" report --case "$F/seal" --answers "$F/s04-ga-compromised.ini" --format json >"$T_DIR/seal2.json" 2>"$T_DIR/e"
check "seal: a second report checks the first one's files too" [ $? = 1 ]
check "seal: declared time from the first report's logbook line" j seal2 "c['declared'] is not None"
cp -r "$F/s01-clean" "$F/ro" && chmod -R a-w "$F/ro"
"$REFLEXE" report --case "$F/ro" --answers "$F/s01-clean.ini" >"$T_DIR/ro.txt" 2>"$T_DIR/ro.err"; rc=$?
chmod -R u+w "$F/ro"
if [ "$(id -u)" != 0 ]; then
	check "read-only case: the report still comes (exit 0), said unsealed" bash -c "[ $rc = 0 ] && grep -q 'report not sealed in the case' '$T_DIR/ro.err'"
fi
"$REFLEXE" report --case "$F/s01-clean" --answers "$F/s01-clean.ini" --no-save -o "$T_DIR/out.html" --format html >"$T_DIR/o" 2>&1
check "-o FILE: written there, nothing on stdout" bash -c "test -s '$T_DIR/out.html' && ! test -s '$T_DIR/o'"
check "--no-save: nothing written into the case" bash -c "cd '$F/s01-clean' && ! test -e report && ! test -e report.html"

# ---- formats and languages ----------------------------------------------------------------------
for l in fr en; do
	"$REFLEXE" report --case "$F/s08-transport" --answers "$F/s08-transport.ini" --no-save --lang $l >"$T_DIR/s08.$l.txt" 2>&1
	check "text $l: at most 60 lines" test "$(wc -l <"$T_DIR/s08.$l.txt")" -le 60
done
check "text fr: the gravity first, in the fiche's words" bash -c "sed -n 2p '$T_DIR/s08.fr.txt' | grep -q '^Gravité retenue : crise cyber (règle G1)$'"
check "text en: the gravity" bash -c "sed -n 2p '$T_DIR/s08.en.txt' | grep -q '^Gravity retained: crise cyber (cyber crisis) (rule G1)$'"
"$REFLEXE" report --case "$F/s08-transport" --answers "$F/s08-transport.ini" --no-save --format md --lang fr >"$T_DIR/s08.md"
for t in "Synthèse" "Gravité" "Horloge des 72 heures" "Mesure 1" "Mesures 2, 3 et 4" "Points sans réponse" \
	"Chronologie" "Suite des actions" "Projet de notification" "Revue post-incident" "Main courante" "Sceau et preuves"; do
	check "md fr: section « $t »" grep -q "^## $t" "$T_DIR/s08.md"
done
check "md: the containment commands, quoted for PowerShell" grep -q "Disable-TransportRule -Identity '6f1c2d3e-0000-4000-8000-00000000a001'" "$T_DIR/s08.md"
check "md: sign-in with only the scopes the commands need" grep -q "^Connect-MgGraph -Scopes User.ReadWrite.All,User.RevokeSessions.All" "$T_DIR/s08.md"
check "md: Exchange Online sign-in for the mailbox commands" grep -q "^Connect-ExchangeOnline$" "$T_DIR/s08.md"
check "md: the timeline holds the attack events (findings with their time)" grep -q "| 2026-02-25 12:00 UTC | constat MAIL-009 |" "$T_DIR/s08.md"
"$REFLEXE" report --case "$F/s08-transport" --format json --no-save --answers "$F/s08-transport.ini" | python3 -c "import json,sys; json.load(sys.stdin)" 2>/dev/null
check "json: well-formed" [ $? = 0 ]
"$REFLEXE" report --case "$F/s08-transport" --format csv --no-save >"$T_DIR/o" 2>"$T_DIR/e"
check "--format csv: usage error" bash -c "[ $? = 2 ] && grep -q \"format 'csv' not available\" '$T_DIR/e'"
"$REFLEXE" report stray --case "$F/s08-transport" >"$T_DIR/o" 2>"$T_DIR/e"
check "a stray argument: usage error naming it" bash -c "[ $? = 2 ] && grep -q \"'stray'\" '$T_DIR/e'"

# ---- hostile names ----------------------------------------------------------------------------------
cp -r "$F/s06-bec" "$F/evil"
python3 - "$F/evil" <<'EOF'
import hashlib, json, sys
root = sys.argv[1]
p = root + "/findings/check-mail.json"
d = json.load(open(p))
f = d["findings"][0]
f["objects"][0] = "paul\u202egnp.exe<script>alert(1)</script>@contoso.com"
f["lang"]["fr"]["detail"] = f["lang"]["en"]["detail"] = f["detail"] = "règle « \u200b » | `x` <img src=x onerror=alert(1)>"
b = json.dumps(d).encode(); open(p, "wb").write(b)
lines = [l for l in open(root + "/manifest.sha256") if not l.endswith("  findings/check-mail.json\n")]
lines.append("%s  findings/check-mail.json\n" % hashlib.sha256(b).hexdigest())
open(root + "/manifest.sha256", "w").writelines(lines)
EOF
"$REFLEXE" report --case "$F/evil" --answers "$F/s06-bec.ini" --no-save --format html --lang fr >"$T_DIR/evil.html" 2>"$T_DIR/e"
check "html: tenant texts escaped, no markup of theirs" bash -c "! grep -q '<script>\|<img ' '$T_DIR/evil.html' && grep -q '&lt;script&gt;' '$T_DIR/evil.html'"
check "html: bidi and zero-width characters shown as \\u…" bash -c "grep -q '\\\\u202E' '$T_DIR/evil.html' && grep -q '\\\\u200B' '$T_DIR/evil.html' && ! grep -q \$'\\xe2\\x80\\xae' '$T_DIR/evil.html'"
check "html: nothing loaded, no script" bash -c "grep -q \"default-src 'none'\" '$T_DIR/evil.html' && ! grep -qi '<script\|src=\"http\|href=\"http' '$T_DIR/evil.html'"
"$REFLEXE" report --case "$F/evil" --answers "$F/s06-bec.ini" --no-save --format md >"$T_DIR/evil.md" 2>"$T_DIR/e"
check "md: markup characters escaped" bash -c "grep -q '\\\\<img' '$T_DIR/evil.md' && grep -q '\\\\|' '$T_DIR/evil.md'"
"$REFLEXE" report --case "$F/evil" --answers "$F/s06-bec.ini" --no-save >"$T_DIR/evil.txt" 2>"$T_DIR/e"
check "text: no bidi control reaches the terminal" bash -c "! grep -q \$'\\xe2\\x80\\xae' '$T_DIR/evil.txt'"
