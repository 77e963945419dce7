# reflexe import: exports into the case folder as evidence — the original
# bytes, the normalised events and the import record under
# imports/<sha256>/, listed in manifest.sha256; all or nothing per file;
# a file already imported is not counted twice; the time zone stated or
# asked for; a file larger than the memory allowed is streamed.
# Fixtures: tests/fixtures/exports/ (README.md there says where each file
# comes from); each check names the file it reads.
. "$(dirname "$0")/../lib.sh"
unset REFLEXE_CASE REFLEXE_WHO AZURE_TENANT_ID TZ
F="$TOP/tests/fixtures/exports"
T=$(mktemp -d "${TMPDIR:-/tmp}/reflexe-it-import.XXXXXX")
trap 't_cleanup; rm -rf "$T"' EXIT

imp() {  # imp NAME ARGS...: runs import, output in $T/NAME.{out,err}, exit in RC
	local n=$1; shift
	"$REFLEXE" import "$@" >"$T/$n.out" 2>"$T/$n.err"
	RC=$?
}
manifest_ok() { (cd "$1" && sha256sum -c --quiet manifest.sha256 >/dev/null 2>&1); }
listed() { grep -c "  imports/.*/$2\$" "$1/manifest.sha256"; }
events_of() {  # events_of CASE FILE-NAME: the events.jsonl of that import
	local rec
	rec=$(grep -l "\"file\":\"$2\"" "$1"/imports/*/import.json | head -1)
	echo "$(dirname "$rec")/events.jsonl"
}

# ---- help and usage -------------------------------------------------------------
check_rc "--help exits 0" 0 "$REFLEXE" import --help >"$T/h.out" 2>&1
check "--help in English" contains "$T/h.out" "^usage: reflexe import FILE"
"$REFLEXE" --lang fr import --help >"$T/hfr.out" 2>&1
check "--help in French" contains "$T/hfr.out" "^usage : reflexe import FICHIER"
check_rc "no file: usage error" 2 "$REFLEXE" import --case "$T/x" >"$T/u.out" 2>"$T/u.err"
check_rc "no case folder and no tenant: usage error" 2 "$REFLEXE" import "$F/own/purview-current.csv" \
	>"$T/u2.out" 2>"$T/u2.err"
check "no case folder: says --case" contains "$T/u2.err" "--case"
check_rc "bad --tz: usage error" 2 "$REFLEXE" import --case "$T/x" --tz Mars/Olympus "$F/own/purview-current.csv" \
	>"$T/u3.out" 2>"$T/u3.err"
check "bad --tz: names the zones it reads" contains "$T/u3.err" "Europe/Paris"

# ---- every layout, into one case -------------------------------------------------
C=$T/case
imp all --case "$C" --who "Camille" \
	"$F/own/purview-current.csv" "$F/own/purview-old.csv" "$F/own/purview-old-fr.csv" \
	"$F/own/portal-signins.csv" "$F/own/portal-audits.csv" "$F/own/graph-signins.json" \
	"$F/own/graph-audits.json" "$F/otrf-pr64-m365/o365spray_reporting.json" \
	"$F/otrf-pr64-m365/disable _strong_authentication.json" \
	"$F/otrf-goldensaml/AADAuditEvents.json" "$F/otrf-goldensaml/Microsoft365DefenderEvents.json" \
	"$F/sentinel-training-lab/office_activity_inbox_rule.csv" "$F/sentinel-training-lab/sign-in_adelete.csv" \
	"$F/panther-analysis/azure_high_risk_signin.logs.jsonl"
check "14 exports: exit 0" test "$RC" = 0
for l in ual-csv ual-csv-old portal-signins-csv portal-audits-csv graph-signins-json graph-audits-json \
	 ual-json log-analytics-json defender-json log-analytics-csv azure-monitor-json; do
	check "layout recognised: $l" grep -q ": $l, " "$T/all.out"
done
check "14 import records listed" test "$(listed "$C" import.json)" = 14
check "14 originals listed" test "$(grep -c '  imports/[0-9a-f]\{64\}/original/' "$C/manifest.sha256")" = 14
check "manifest checks (sha256sum -c)" manifest_ok "$C"
check "nothing left in the staging folder" test -z "$(ls -A "$C/imports/incoming" 2>/dev/null)"
# the original is byte for byte what was given, named after its hash
o=$(ls "$C"/imports/*/original/purview-current.csv)
check "original kept byte for byte (own/purview-current.csv, BOM, CRLF)" cmp -s "$o" "$F/own/purview-current.csv"
check "folder named after the original's SHA-256" \
	test "$(basename "$(dirname "$(dirname "$o")")")" = "$(sha256sum "$F/own/purview-current.csv" | cut -c1-64)"
# a name with a space (otrf-pr64-m365/"disable _strong_authentication.json")
check "unsafe name made safe, real name in the record" \
	grep -q '"file":"disable _strong_authentication.json"' "$C"/imports/*/import.json
# normalised events: own/purview-current.csv row 1 (line 2), the BEC rule
ev=$(events_of "$C" purview-current.csv)
check "events: 4 lines for own/purview-current.csv" test "$(wc -l <"$ev")" = 4
check "event: UTC time, actor, address without port, operation, line" \
	grep -q '^{"t":"2023-09-20T04:05:03Z","c":"exo","op":"New-InboxRule",.*"au":"jean.dupont@contoso.fr".*"ip":"203.0.113.7".*"l":2,"r":1}$' "$ev"
check "event: cmdlet parameters" grep -q '\["MoveToFolder","RSS Feeds"\]' "$ev"
# sentinel-training-lab/office_activity_inbox_rule.csv: quoted newlines, CRLF,
# BOM, "[UTC]" column; row 2 starts on line 28
ev=$(events_of "$C" office_activity_inbox_rule.csv)
check "Log Analytics CSV: row 2 from line 28, time from the [UTC] column" \
	grep -q '^{"t":"2021-04-26T06:37:32Z",.*"l":28,"r":2}$' "$ev"
# own/portal-signins.csv: the spray from 198.51.100.23
ev=$(events_of "$C" portal-signins.csv)
check "portal sign-ins: 12 failures 50126 from 198.51.100.23" \
	test "$(grep -c '"ip":"198.51.100.23".*"err":50126' "$ev")" = 12
check "import record: layout, rows, events, span, zone basis" \
	grep -q '"layout":"portal-signins-csv".*"rows":16,"events":16,"no_time":0,"first":"2023-09-18T07:58:00Z","last":"2023-09-20T10:00:00Z","tz":{"basis":\["offset"\],"given":null}' \
	"$(dirname "$ev")/import.json"
check "logbook: one line for the import, by who" \
	grep -q '"who":"Camille","what":"import: 14 file(s) imported' "$C/courante.jsonl"

# ---- a file already imported ----------------------------------------------------------
imp dup --case "$C" "$F/own/purview-current.csv"
check "again: exit 0" test "$RC" = 0
check "again: said already imported" contains "$T/dup.out" "already imported"
check "again: not listed twice" test "$(listed "$C" import.json)" = 14
cp "$F/own/purview-current.csv" "$T/renamed.csv"
imp dup2 --case "$C" "$T/renamed.csv"
check "same bytes under another name: already imported" contains "$T/dup2.out" "already imported"
check "manifest still checks" manifest_ok "$C"

# ---- all or nothing ---------------------------------------------------------------------
before=$(wc -l <"$C/manifest.sha256")
imp bad --case "$C" "$F/own/malformed-auditdata.csv"
check "malformed row: exit 3" test "$RC" = 3
check "malformed row: names the file and line 3 (own/malformed-auditdata.csv)" \
	grep -q 'malformed-auditdata.csv: not imported, nothing of it kept: line 3, field .AuditData.' "$T/bad.err"
check "malformed row: nothing listed" test "$(wc -l <"$C/manifest.sha256")" = "$before"
check "malformed row: no file left" test -z "$(grep -l malformed "$C"/imports/*/import.json 2>/dev/null)" \
	-a -z "$(find "$C/imports" -name 'malformed*')"
imp unk --case "$C" "$F/own/unknown-layout.csv"
check "unknown layout: exit 3, the header seen quoted (own/unknown-layout.csv)" \
	grep -q 'unknown-layout.csv: .*unknown export layout; header seen: Nom;Service;Téléphone' "$T/unk.err"
# a CSV cut in a quoted field (a truncated download): own/purview-current.csv minus its tail
head -c 2000 "$F/own/purview-current.csv" >"$T/cut.csv"
imp cut --case "$C" "$T/cut.csv"
check "truncated CSV: exit 3, quote never closed, its line (row 2, line 3)" grep -q 'cut.csv: .*line 3: quoted field never closed' "$T/cut.err"
printf '\xff\xfeR\x00e\x00' >"$T/u16.csv"
imp u16 --case "$C" "$T/u16.csv"
check "UTF-16 file: refused with the way out" contains "$T/u16.err" "iconv"
check "refused files: nothing listed" test "$(wc -l <"$C/manifest.sha256")" = "$before"
check "refused files: the logbook says so" grep -q 'import: 0 file(s) imported (0 events), 0 already there, 1 refused' "$C/courante.jsonl"
check "manifest still checks after refusals" manifest_ok "$C"

# ---- a file French Excel saved as plain CSV: Windows-1252 -----------------------------------
printf 'TimeGenerated [UTC];Operation;UserId;ClientIP;Parameters;OfficeWorkload;Type\r\n20/09/2023 04:05:03;New-InboxRule;jean@contoso.fr;203.0.113.7;"[{""Name"":""MoveToFolder"",""Value"":""\311l\351ments supprim\351s""},{""Name"":""Name"",""Value"":""Tri""}]";Exchange;OfficeActivity\r\n' >"$T/cp1252.csv"
imp cp --case "$C" "$T/cp1252.csv"
check "Windows-1252 file: imported, said" contains "$T/cp.out" "Windows-1252"
ev=$(events_of "$C" cp1252.csv)
check "Windows-1252 file: accents read right (MoveToFolder Éléments supprimés)" \
	grep -q '\["MoveToFolder","Éléments supprimés"\]' "$ev"
check "Windows-1252 file: French date, day first" grep -q '^{"t":"2023-09-20T04:05:03Z"' "$ev"
check "Windows-1252 file: recorded as such" grep -q '"encoding":"windows-1252"' "$(dirname "$ev")/import.json"

# ---- time zones -------------------------------------------------------------------------------
imp notz --case "$C" "$F/own/la-signins-localtime.csv"
check "no zone stated, no --tz: exit 2" test "$RC" = 2
check "no zone stated: asks for --tz, naming line and column" \
	grep -q "line 2, column 'TimeGenerated'.*--tz" "$T/notz.err"
imp tz --case "$C" --tz Europe/Paris "$F/own/la-signins-localtime.csv"
check "--tz Europe/Paris: exit 0, said in the summary" contains "$T/tz.out" "times read in zone Europe/Paris"
ev=$(events_of "$C" la-signins-localtime.csv)
check "--tz: 6:05 PM in Paris in September is 16:05 UTC" grep -q '^{"t":"2023-09-20T16:05:03Z"' "$ev"
check "--tz: 9:00 AM in January is 08:00 UTC" grep -q '^{"t":"2024-01-15T08:00:00Z"' "$ev"
check "--tz recorded in the import record" grep -q '"tz":{"basis":\["given"\],"given":"Europe/Paris"}' "$(dirname "$ev")/import.json"
# French and US Excel copies of own/portal-signins.csv: the same instants
imp xl --case "$C" "$F/own/portal-signins-fr.csv" "$F/own/portal-signins-us.csv"
fr=$(events_of "$C" portal-signins-fr.csv); us=$(events_of "$C" portal-signins-us.csv)
check "French and US dates: same UTC times" \
	test "$(cut -d, -f1 "$fr")" = "$(cut -d, -f1 "$us")" -a "$(head -1 "$fr" | cut -c1-27)" = '{"t":"2023-09-19T22:10:00Z"'

# ---- streaming: a file several times larger than the memory allowed -------------------------------
# bench/gen_ual.py writes a synthetic Purview export; ~80 MB here. Under
# `ulimit -v` (address space, so an upper bound on memory) of 64 MiB the
# import must succeed (not under ASan, which reserves terabytes of shadow).
python3 "$TOP/bench/gen_ual.py" 100000 "$T/big.csv" 7
size=$(stat -c %s "$T/big.csv")
if [ -n "${REFLEXE_SANITIZED:-}" ]; then
	imp big --case "$T/bigcase" "$T/big.csv"
else
	( ulimit -v 65536; "$REFLEXE" import --case "$T/bigcase" "$T/big.csv" >"$T/big.out" 2>"$T/big.err" ); RC=$?
fi
check "streamed: a ${size}-byte export imported within 64 MiB of address space" test "$RC" = 0
check "streamed: 100000 events" contains "$T/big.out" "100000 row\\(s\\), 100000 event\\(s\\)"
check "streamed: original kept whole" cmp -s "$T/big.csv" "$(ls "$T"/bigcase/imports/*/original/big.csv)"
check "streamed: manifest checks" manifest_ok "$T/bigcase"
rm -f "$T/big.csv"
