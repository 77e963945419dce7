# check-mail on case folders (tests/fixtures/mail/gen.py): the clean
# tenant full of ordinary business shapes raises nothing above medium on
# its own and nothing above low against its own baseline; each rule fires
# on its scenario with its id, severity and objects; one answer for each
# of the fiche's actions 1.b, 1.c, 1.e; what could not be read (a role,
# the licence, mailboxes not asked, a mailbox past the bound) is
# unanswered with what it needs; the baseline writer; rule coverage.
. "$(dirname "$0")/../lib.sh"
F=$T_DIR/cases
if ! python3 "$TOP/tests/fixtures/mail/gen.py" "$F"; then
	fail "fixtures generated"
	exit 1
fi
export REFLEXE_WHO=tests
unset AZURE_TENANT_ID AZURE_CLIENT_ID AZURE_CLIENT_SECRET
chk() { python3 "$TOP/tests/fixtures/admins/check.py" "$@"; }
run() {
	local s=$1; shift
	"$REFLEXE" check-mail --offline --case "$F/$s" --format json "$@" >"$T_DIR/$s.json" 2>"$T_DIR/$s.err"
	RC=$?
}
D() { echo "$T_DIR/$1.json"; }
# worst SEVERITY DOC: no finding at or above "suspect" is above SEVERITY
worst() {
	python3 - "$1" "$2" <<'EOF'
import json, sys
order = ["info", "low", "medium", "high", "critical"]
d = json.load(open(sys.argv[2]))
bad = [(f["id"], f["severity"]) for f in d["findings"]
       if f["status"] != "clear" and order.index(f["severity"]) > order.index(sys.argv[1])]
print(bad) if bad else None
sys.exit(1 if bad else 0)
EOF
}

# ---- the clean tenant, no baseline ------------------------------------------------------
run clean
check "clean, no baseline: nothing above medium" worst medium "$(D clean)"
check "clean, no baseline: 1.b not detected" chk "$(D clean)" action 1.b not_detected
check "clean, no baseline: 1.c not detected" chk "$(D clean)" action 1.c not_detected
check "clean, no baseline: 1.e not detected, the manual items unanswered" chk "$(D clean)" action 1.e not_detected "3 point"
check "json: one answer per action, each in the verdict's shape" python3 -c "
import json,sys; d=json.load(open('$(D clean)')); v=d['verdict']
a=v['actions']; ok=[x['fiche'] for x in a]==['1.b','1.c','1.e'] and v['fiche']=='1.b 1.c 1.e'
ok&=all(list(x.keys())[:6]==['question','subject','answer','text','why','reasons'] and x['lang']['fr']['text'] and x['lang']['en']['text'] for x in a)
ok&=v['answer']=='not_detected' and all(f['step'].startswith(f['fiche']+' ') for f in d['findings'])
ok&=all(f['id'].startswith('MAIL-') for f in d['findings'])
sys.exit(0 if ok else 1)"
check "clean: the system rules (Junk E-mail, OOF) are not judged" python3 -c "
import json,sys; d=json.load(open('$(D clean)'))
sys.exit(1 if any('Junk' in f['detail'] or 'OOF' in f['detail'] for f in d['findings']) else 0)"
check "clean: no finding of a clean tenant is a trace of the attacker (compromise false)" python3 -c "
import json,sys; d=json.load(open('$(D clean)'))
sys.exit(0 if d['findings'] and not any(f['compromise'] for f in d['findings']) else 1)"
check "clean: delegation on a shared mailbox listed (info)" chk "$(D clean)" has MAIL-003 info clear compta@contoso.com david@contoso.com
check "clean: invoices filed by a rule are low" chk "$(D clean)" has MAIL-002 low suspect david@contoso.com
check "clean: forwarding inside the tenant is low" chk "$(D clean)" has MAIL-001 low suspect old.user@contoso.com emma@contoso.com
check "clean: an assistant sending on behalf is low" chk "$(D clean)" has MAIL-005 low suspect ceo@contoso.com assistant@contoso.com
check "clean: a hybrid connector is medium without a baseline" chk "$(D clean)" has MAIL-019 medium suspect "From on-premises"
"$REFLEXE" check-mail --offline --case "$F/clean" --lang fr >"$T_DIR/clean.fr" 2>&1
check "text FR: the answer to 1.b" contains "$T_DIR/clean.fr" "^Compromission de compte utilisateur Microsoft 365 \(BAL\) : non détectée$"
check "text FR: the answer to 1.c" contains "$T_DIR/clean.fr" "^Relai de contenu indésirable : non détectée$"
check "text FR: the answer to 1.e" contains "$T_DIR/clean.fr" "^Fuite d'informations \(incluant BEC\) : non détectée$"
check "text FR: the manual item's console path" contains "$T_DIR/clean.fr" "admin.exchange.microsoft.com/#/reports/autoforwardedmessages"
"$REFLEXE" check-mail --offline --case "$F/clean" --lang en --format md >"$T_DIR/clean.md" 2>&1
# offline on a case check-mail never collected into: one line says that a
# live run is what is missing (the roles of each point are that run's)
mkdir -p "$T_DIR/nomail" && cp "$F/clean/case.ini" "$T_DIR/nomail/" && : >"$T_DIR/nomail/manifest.sha256"
"$REFLEXE" check-mail --offline --case "$T_DIR/nomail" --lang en >"$T_DIR/nomail.en" 2>"$T_DIR/nomail.en.err"
check "never collected, EN: a live run is named" contains "$T_DIR/nomail.en.err" "^reflexe: check-mail was never collected into this folder.*run 'reflexe check-mail --case $T_DIR/nomail' without --offline"
check "never collected: the points stay unanswered" contains "$T_DIR/nomail.en" "not in the case folder \\(not collected\\)"
"$REFLEXE" check-mail --offline --case "$T_DIR/nomail" --lang fr >/dev/null 2>"$T_DIR/nomail.fr.err"
check "never collected, FR: a live run is named" contains "$T_DIR/nomail.fr.err" "^reflexe: check-mail n'a jamais été collecté dans ce dossier.*sans --offline"
"$REFLEXE" check-mail -q --offline --case "$T_DIR/nomail" >/dev/null 2>"$T_DIR/nomail.q.err"
check "never collected, -q: quiet" bash -c "! grep -q 'never collected\|jamais été collecté' '$T_DIR/nomail.q.err'"
check "collected (clean): no such line" bash -c "! grep -q 'never collected\|jamais été collecté' '$T_DIR/clean.err'"
check "md EN: three answers" bash -c "[ \$(grep -c '^\*\*.*: not detected\*\*$' '$T_DIR/clean.md') = 3 ]"
check_rc "csv: not a format of check-mail (exit 2)" 2 "$REFLEXE" check-mail --offline --case "$F/clean" --format csv
check_rc "--max-mailboxes 0: usage error" 2 "$REFLEXE" check-mail --offline --case "$F/clean" --max-mailboxes 0
"$REFLEXE" check-mail --list-rules >"$T_DIR/rules.txt" 2>&1
check "--list-rules: 21 rules MAIL-001 to MAIL-021" bash -c "[ \$(grep -c '^MAIL-0' '$T_DIR/rules.txt') = 21 ]"

# ---- its own baseline ---------------------------------------------------------------------
BL=$T_DIR/baseline.ini
cp "$F/baseline.ini" "$BL"
"$REFLEXE" check-mail --offline --case "$F/clean" --make-baseline "$BL" >/dev/null 2>"$T_DIR/mkbl.err"
check "--make-baseline: exit 0" [ $? = 0 ]
check "--make-baseline: the executives written by hand kept, with their notes" grep -q "^ceo@contoso.com = Claire Durand, PDG$" "$BL"
check "--make-baseline: the old file kept as FILE~" cmp -s "$F/baseline.ini" "$BL~"
check "--make-baseline: delegations, forwarding, rules, flow, allowances recorded" bash -c "
grep -q '^compta@contoso.com>david@contoso.com>SendAs$' '$BL' && grep -q '^old.user@contoso.com>forward>emma@contoso.com' '$BL' &&
grep -q '^david@contoso.com>Factures$' '$BL' && grep -q '^rule:Phishing simulation>SCL$' '$BL' &&
grep -q '^in:From on-premises>203.0.113.0/24$' '$BL' && grep -q '^ip:198.51.100.25$' '$BL'"
run clean --baseline "$BL"
check "clean against its baseline: nothing above low" worst low "$(D clean)"
check "clean against its baseline: known items say so" python3 -c "
import json,sys; d=json.load(open('$(D clean)'))
sys.exit(0 if any(f['id']=='MAIL-019' and f['severity']=='low' and 'known to the baseline' in f['detail'] for f in d['findings']) else 1)"
"$REFLEXE" check-mail --offline --case "$F/clean" --make-baseline "$BL" >/dev/null 2>&1
check "--make-baseline twice: the same entries, none doubled" bash -c "[ \$(grep -c '^compta@contoso.com>david@contoso.com>SendAs$' '$BL') = 1 ]"

# ---- one scenario per rule -------------------------------------------------------------------
# expect SCENARIO EXIT ID SEVERITY STATUS OBJECT…: against the baseline
expect() {
	local s=$1 want=$2 id=$3 sev=$4 st=$5; shift 5
	run "$s" --baseline "$BL"
	check "$s: $id $sev $st $*" chk "$(D "$s")" has "$id" "$sev" "$st" "$@"
	check "$s: exit $want" [ "$RC" = "$want" ]
}
expect mail001 1 MAIL-001 high suspect david@contoso.com david.perso@gmail.com
check "mail001: 1.b suspected" chk "$(D mail001)" action 1.b suspected
check "mail001: 1.e suspected too (the fiche's « transferts automatiques »)" chk "$(D mail001)" action 1.e suspected
check "mail001: no copy kept, said" grep -q "keeping no copy" "$(D mail001)"
expect mail001b 1 MAIL-001 high suspect emma@contoso.com drop@evil.example
expect mail002 1 MAIL-002 high suspect ceo@contoso.com
check "mail002: the forward outside (ForwardTo as a string) found" chk "$(D mail002)" has MAIL-002 high suspect ceo@contoso.com claire.durand.perso@gmail.com
check "mail002: '...' hiding invoices in RSS Feeds, marked read" python3 -c "
import json,sys; d=json.load(open('$(D mail002)'))
sys.exit(0 if any(f['id']=='MAIL-002' and \"rule '...'\" in f['detail'] and 'RSS Feeds' in f['detail'] and 'marks as read' in f['detail'] for f in d['findings']) else 1)"
check "mail002: 1.b suspected, 1.c and 1.e not" bash -c "python3 '$TOP/tests/fixtures/admins/check.py' '$(D mail002)' action 1.b suspected &&
python3 '$TOP/tests/fixtures/admins/check.py' '$(D mail002)' action 1.e not_detected"
expect mail003 1 MAIL-003 high suspect ceo@contoso.com helpdesk@evil.example
expect mail004 1 MAIL-004 high suspect david@contoso.com it.support@contoso.com
expect mail005 1 MAIL-005 high suspect ceo@contoso.com "x_evil.example#EXT#@contoso.onmicrosoft.com"
expect mail006 1 MAIL-006 medium suspect emma@contoso.com
expect mail007 1 MAIL-007 high suspect contoso.com
check "mail007: 1.c suspected" chk "$(D mail007)" action 1.c suspected
expect mail008 1 MAIL-008 high suspect contoso.com evil.example
expect mail009 1 MAIL-009 high suspect Archivage collecte@evil.example
check "mail009: 1.e suspected" chk "$(D mail009)" action 1.e suspected
check "mail009: dated by the rule's change (at)" python3 -c "
import json,sys; d=json.load(open('$(D mail009)'))
sys.exit(0 if any(f['id']=='MAIL-009' and f.get('at')=='2026-02-26T12:00:00Z' for f in d['findings']) else 1)"
expect mail010 1 MAIL-010 low suspect compta@contoso.com
expect mail011 1 MAIL-011 high suspect gmail.com
check "mail011: a wildcard remote domain" chk "$(D mail011)" has MAIL-011 medium suspect "*.evil.example"
check "mail011: NDR off against the fiche's value" chk "$(D mail011)" has MAIL-011 low suspect gmail.com
expect clean 1 MAIL-012 low suspect OwaMailboxPolicy-Default
run mail012q --baseline "$BL"
check "mail012q: OWA storage off, MAIL-012 clear" chk "$(D mail012q)" clear MAIL-012
check "mail012q: the manual items still unanswered" chk "$(D mail012q)" unknown 1.e-teams-storage "Teams admin center"
expect mail013 1 MAIL-013 high suspect contoso.onmicrosoft.com
check "mail013: UAL ingestion off (\"False\" as a string)" chk "$(D mail013)" has MAIL-013 high suspect "Admin Audit Log Settings"
expect mail014 1 MAIL-014 high suspect admin1
expect mail015 1 MAIL-015 medium suspect 192.0.2.77
check "mail015: the partner's known IP stays low" chk "$(D mail015)" has MAIL-015 low suspect 198.51.100.25
expect mail016 1 MAIL-016 high suspect ceo@contoso.com
expect mail017 1 MAIL-017 medium suspect "Office365 AntiPhish Default"
expect mail018 1 MAIL-018 high suspect Forward
check "mail018: scoped to the one sender" grep -q "on (On) for david@contoso.com" "$(D mail018)"
expect mail019 1 MAIL-019 high suspect "Partner relay"
expect mail020 1 MAIL-020 high suspect Relay
expect mail021 1 MAIL-021 low suspect

# ---- what could not be read is unanswered, never clean -------------------------------------
run gr --baseline "$BL"
check "Global Reader: 1.b undetermined, saying what would answer" chk "$(D gr)" action 1.b undetermined "Mail Recipients"
check "Global Reader: MAIL-002 unknown, needs the role Global Reader lacks" chk "$(D gr)" unknown MAIL-002 "Global Reader cannot run Get-InboxRule"
check "Global Reader: MAIL-004 unknown (Get-RecipientPermission)" chk "$(D gr)" unknown MAIL-004 "Get-RecipientPermission"
check "Global Reader: 1.c and 1.e still answered" bash -c "python3 '$TOP/tests/fixtures/admins/check.py' '$(D gr)' action 1.c not_detected &&
python3 '$TOP/tests/fixtures/admins/check.py' '$(D gr)' action 1.e not_detected"
run noexo
check "no Exchange Online: exit 3" [ "$RC" = 3 ]
check "no Exchange Online: the three actions undetermined" bash -c "for a in 1.b 1.c 1.e; do python3 '$TOP/tests/fixtures/admins/check.py' '$(D noexo)' action \$a undetermined || exit 1; done"
check "no Exchange Online: needs the subscription" chk "$(D noexo)" unknown MAIL-009 "Exchange Online"
run partial --baseline "$BL"
check "--max-mailboxes 3: the mailboxes not read are unanswered" python3 -c "
import json,sys; d=json.load(open('$(D partial)'))
sys.exit(0 if any(u['check']=='MAIL-002' and u['reason'].startswith('6 mailbox(es) not read by Get-InboxRule') for u in d['unknown']) else 1)"
check "--max-mailboxes 3: 1.b not claimed clean for all (partial why)" chk "$(D partial)" action 1.b not_detected "remain unanswered"
run toomany --baseline "$BL"
check "5,000 inbox rules: that mailbox unanswered, naming the bound" python3 -c "
import json,sys; d=json.load(open('$(D toomany)'))
sys.exit(0 if any(u['check']=='MAIL-002' and 'emma@contoso.com' in u['reason'] and 'more than 4096 items' in u['reason'] for u in d['unknown']) else 1)"
check "5,000 inbox rules: the other mailboxes still judged" chk "$(D toomany)" has MAIL-002 high suspect ceo@contoso.com
run shapes
run clean
check "strings for lists, \"False\" for false: the same findings as the clean case" chk "$(D shapes)" same "$(D clean)"

# ---- evidence first ---------------------------------------------------------------------------
cp -r "$F/mail002" "$T_DIR/ev"
P=exo/Get-InboxRule/ceo@contoso.com/page-0001.json
sed -i 's/RSS Feeds/Inbox/' "$T_DIR/ev/$P"
"$REFLEXE" check-mail --offline --case "$T_DIR/ev" --format json >"$T_DIR/ev.json" 2>"$T_DIR/ev.err"
check "an inbox rule page altered: exit 3, no document" bash -c "[ $? = 3 ] && [ ! -s '$T_DIR/ev.json' ]"
check "an inbox rule page altered: named" grep -q "evidence altered since it was collected.*: $P\$" "$T_DIR/ev.err"

# ---- every rule fires in a fixture and is quiet in another --------------------------------------
run bare --baseline "$BL"
check "bare tenant: nothing at or above suspect" chk "$(D bare)" clean
docs=("$T_DIR"/bare.json "$T_DIR"/mail0*.json)
check "rule coverage (fires and quiet)" python3 "$TOP/tests/fixtures/coverage.py" "$T_DIR/rules.txt" "${docs[@]}"
