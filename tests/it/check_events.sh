# check-events: Mesure 1 from exports imported into a case (reflexe
# import), on the check runner — every rule fires on a scenario that
# shows what it looks for and stays quiet on a clean export; the findings
# document, the logbook line, evidence checked against the manifest, and
# no sign-in needed. Fixtures: tests/fixtures/exports/ (README.md there
# says where each file comes from); the clean and attacked exports are
# written by bench/gen_ual.py.
. "$(dirname "$0")/../lib.sh"
unset REFLEXE_CASE REFLEXE_WHO AZURE_TENANT_ID AZURE_CLIENT_ID AZURE_CLIENT_SECRET REFLEXE_GRAPH_URL TZ
F="$TOP/tests/fixtures/exports"
T=$(mktemp -d "${TMPDIR:-/tmp}/reflexe-it-events.XXXXXX")
trap 't_cleanup; rm -rf "$T"' EXIT
mkdir -p "$T/cov"

# scenario NAME [--tz Z] FILE...: a case with those imports, its findings
# document in $T/cov/NAME.json, exit status in RC
scenario() {
	local n=$1; shift
	local tz=()
	if [ "$1" = --tz ]; then tz=(--tz "$2"); shift 2; fi
	"$REFLEXE" import --case "$T/$n" -q "${tz[@]}" "$@" >"$T/$n.imp" 2>&1 || echo "import failed: $n" >>"$T/errors"
	"$REFLEXE" check-events --case "$T/$n" --format json >"$T/cov/$n.json" 2>"$T/$n.err"
	RC=$?
}
# fires DOC ID [SEV [TEXT]]: a suspect finding of ID, at SEV or above, whose detail holds TEXT
fires() {
	python3 - "$@" <<'PY'
import json, sys
sev = ["info", "low", "medium", "high", "critical"]
d = json.load(open(sys.argv[1]))
want = sev.index(sys.argv[3]) if len(sys.argv) > 3 else 0
text = sys.argv[4] if len(sys.argv) > 4 else ""
ok = [f for f in d["findings"] if f["id"] == sys.argv[2] and f["status"] != "clear"
      and sev.index(f["severity"]) >= want and text in f["detail"]]
sys.exit(0 if ok else 1)
PY
}
# quiet DOC: nothing suspect at medium or above
quiet() {
	python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
bad = [f for f in d["findings"] if f["status"] != "clear" and f["severity"] in ("medium", "high", "critical")]
for f in bad:
    print("not quiet:", f["id"], f["detail"])
sys.exit(1 if bad else 0)
PY
}

# ---- a clean month of a tenant's unified audit log: quiet -------------------------------
python3 "$TOP/bench/gen_ual.py" 20000 "$T/clean.csv" 3
scenario clean "$T/clean.csv"
check "clean export: exit 0" test "$RC" = 0
check "clean export: nothing at medium or above" quiet "$T/cov/clean.json"
check "clean export: answer not detected" grep -q '"answer":"not_detected"' "$T/cov/clean.json"

# ---- the same with an attack: an inbox rule and a spray ------------------------------------
python3 "$TOP/bench/gen_ual.py" 20000 "$T/attack.csv" 3 attack
scenario attack "$T/attack.csv"
check "attacked export: exit 1" test "$RC" = 1
check "attacked export: EVT-002 the '.' rule, high" fires "$T/cov/attack.json" EVT-002 high "rule '.'"
check "attacked export: EVT-009 the spray from 198.51.100.23" fires "$T/cov/attack.json" EVT-009 high "198.51.100.23: 40 account"
check "attacked export: answer suspected" grep -q '"answer":"suspected"' "$T/cov/attack.json"
# report reads check-events' findings like any check's (map.c rows EVT-nnn)
"$REFLEXE" report --case "$T/attack" --format text --lang en --no-save >"$T/attack.rep" 2>&1
check "attacked export: report, 1.b suspected" grep -q "1.b suspected" "$T/attack.rep"
check "attacked export: report, the inbox rule in the plan (EVT-002)" grep -q "inbox rule.*(EVT-002)" "$T/attack.rep"
# qualify on a case of exports only (no access to the tenant): check-admins
# has nothing to analyse offline and its action stays not evaluated;
# check-events runs, and the qualification goes to its report
cp -r "$T/attack" "$T/attack-q"
"$REFLEXE" qualify --case "$T/attack-q" --offline --non-interactive --lang en >"$T/attack-q.rep" 2>"$T/attack-q.err"
check "qualify --offline, exports only: a report (exit 1, not 3)" test "$?" = 1
check "qualify --offline, exports only: check-events ran" grep -q "reflexe check-events" "$T/attack-q.err"
check "qualify --offline, exports only: 1.b suspected, 1.a not evaluated" grep -q "1.a not evaluated · 1.b suspected" "$T/attack-q.rep"
check "qualify --offline, exports only: check-events' findings document in the case" test -s "$T/attack-q/findings/check-events.json"

# ---- one scenario per family of rules -------------------------------------------------------
scenario mail "$F/own/purview-current.csv" "$F/own/purview-old.csv"
check "EVT-002 fires (own/purview-current.csv row 1)" fires "$T/cov/mail.json" EVT-002 high "rule '.' (New-InboxRule)"
check "EVT-003 fires (own/purview-current.csv row 3), critical" fires "$T/cov/mail.json" EVT-003 critical "gmail.com"
check "EVT-004 fires (own/purview-old.csv row 1)" fires "$T/cov/mail.json" EVT-004 medium "granted itself"
scenario audit "$F/otrf-pr64-m365/set-mailbox-audit_log_age_limit_to_zero.json" \
	"$F/otrf-pr64-m365/set_mailboxauditbypassassociation.json" \
	"$F/otrf-pr64-m365/unified_auditlog_ingestion_stopped.json" \
	"$F/otrf-pr64-m365/mail_account_delegation_full_access_permissions.json"
check "EVT-005 fires (otrf AuditLogAgeLimit 1 day)" fires "$T/cov/audit.json" EVT-005 high "1.00:00:00"
check "EVT-006 fires (otrf ingestion stopped)" fires "$T/cov/audit.json" EVT-006 high "UnifiedAuditLogIngestionEnabled"
check "EVT-004 low (otrf FullAccess by an admin)" fires "$T/cov/audit.json" EVT-004 low "Lidia"
scenario dir "$F/otrf-pr64-m365/add_a_user_to_company_administrator_role.json" \
	"$F/otrf-pr64-m365/disable _strong_authentication.json"
check "EVT-007 fires (otrf Company Administrator)" fires "$T/cov/dir.json" EVT-007 high "Global Administrator"
check "EVT-008 fires (otrf MFA disabled)" fires "$T/cov/dir.json" EVT-008 high "MFA turned off"
scenario spray "$F/otrf-pr64-m365/o365spray_default.json" "$F/otrf-pr64-m365/o365spray_reporting.json"
check "EVT-009 fires (otrf o365spray)" fires "$T/cov/spray.json" EVT-009 high "password spraying"
check "EVT-010 fires (otrf o365spray_reporting: Henrietta)" fires "$T/cov/spray.json" EVT-010 high "Henrietta"
scenario signins "$F/own/portal-signins.csv" "$F/own/graph-signins.json" "$F/otrf-pr64-m365/enable_pop_imap_owa.json"
check "EVT-011 fires (own/graph-signins.json: anonymising address)" fires "$T/cov/signins.json" EVT-011 high "anonymising"
check "EVT-012 fires (own/portal-signins.csv: IMAP4)" fires "$T/cov/signins.json" EVT-012 medium "IMAP4"
scenario apps "$F/otrf-goldensaml/AADAuditEvents.json" "$F/own/portal-audits.csv" \
	"$F/sentinel-training-lab/AuditLogs_Hunting.csv"
check "EVT-013 fires (otrf-goldensaml: AllPrincipals Mail.ReadWrite)" fires "$T/cov/apps.json" EVT-013 high "EVERY user"
check "EVT-014 fires (otrf-goldensaml: SimuLandCreds)" fires "$T/cov/apps.json" EVT-014 medium "SimuLandApp"
check "EVT-015 fires (own/portal-audits.csv: a guest owner)" fires "$T/cov/apps.json" EVT-015 high "Facturation"
scenario tz --tz Europe/Paris "$F/own/la-signins-localtime.csv"
check "EVT-001: times read with --tz are said, to check" \
	fires "$T/cov/tz.json" EVT-001 info "read in zone Europe/Paris given with --tz"
scenario notime "$F/sentinel-training-lab/disable_accounts.csv"
check "EVT-001: events without a time are said" fires "$T/cov/notime.json" EVT-001 info "without a time"
check "no import failed" test ! -s "$T/errors"

# ---- every rule fires in a scenario and is quiet in another --------------------------------------
"$REFLEXE" check-events --list-rules >"$T/rules.txt"
check "--list-rules: 15 rules EVT-001..015" test "$(grep -c '^EVT-0' "$T/rules.txt")" = 15
check "coverage: every rule fires in a fixture and is quiet in another" \
	python3 "$TOP/tests/fixtures/coverage.py" "$T/rules.txt" "$T"/cov/*.json

# ---- the document, the case, the logbook ---------------------------------------------------------
check "findings kept in the case and listed" grep -q '  findings/check-events.json$' "$T/mail/manifest.sha256"
check "findings: dated, with the fiche's sub-step, in both languages" python3 - "$T/cov/mail.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["id"] == "EVT-003"][0]
assert f["at"] == "2023-09-20T04:07:41Z" and f["compromise"] is True
assert "1.e" in f["step"] and "transferts" in f["lang"]["fr"]["step"]
assert "transférée" in f["lang"]["fr"]["detail"] and "forwarded" in f["lang"]["en"]["detail"]
assert f["evidence"][0].endswith("/events.jsonl") and "/original/purview-current.csv" in f["evidence"][1]
PY
check "logbook: the run's line" grep -q '"what":"check-events: ' "$T/mail/courante.jsonl"
check "no sign-in asked (no token, no fake server): it ran" test -s "$T/cov/mail.json"
"$REFLEXE" --lang fr check-events --case "$T/mail" --offline >"$T/fr.out" 2>&1
check "French: the fiche's words" grep -q "BAL jean.dupont@contoso.fr transférée vers l'extérieur" "$T/fr.out"
check "--offline writes nothing in the case (no new findings line)" \
	test "$(grep -c 'findings/check-events.json' "$T/mail/manifest.sha256")" = 1

# ---- what cannot be answered -----------------------------------------------------------------------
"$REFLEXE" import --case "$T/empty" -q "$F/own/unknown-layout.csv" 2>/dev/null
check_rc "a case without import: could not complete (exit 3)" 3 \
	"$REFLEXE" check-events --case "$T/empty" --format json >"$T/empty.json" 2>"$T/empty.err"
check "a case without import: undetermined, says reflexe import" python3 - "$T/empty.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["verdict"]["answer"] == "undetermined" and "reflexe import" in d["verdict"]["why"]
assert "reflexe import" in " ".join(u["needs"] for u in d["unknown"])
PY
scenario only_signins "$F/sentinel-training-lab/sign-in_adelete.csv"
check "sign-ins only: mailbox rules unanswered, not clear" python3 - "$T/cov/only_signins.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert {"EVT-002", "EVT-003", "EVT-006", "EVT-013"} <= {u["check"] for u in d["unknown"]}
assert not [f for f in d["findings"] if f["id"] == "EVT-002"]
PY

# ---- evidence first ------------------------------------------------------------------------------------
ev=$(ls "$T"/mail/imports/*/events.jsonl | head -1)
sed -i '1s/"t":"2023/"t":"2022/' "$ev"      # still valid JSON: only the hash tells
check_rc "an altered events file: refused (exit 3)" 3 "$REFLEXE" check-events --case "$T/mail" >"$T/alt.out" 2>"$T/alt.err"
check "an altered events file: named, nothing analysed" \
	grep -q "imports/.*/events.jsonl.*altered\|altered.*imports/.*/events.jsonl" "$T/alt.err"
check "an altered events file: no findings printed" test ! -s "$T/alt.out"
