# courante from the command line: a responder's session in English and
# French, case discovery, tampering, CSV in and out, exports, and the
# medium failing under it (full, read-only, not ours).
. "$(dirname "$0")/../lib.sh"
R=$REFLEXE
o=$T_DIR/out e=$T_DIR/err
unset REFLEXE_WHO REFLEXE_CASE
export TZ=CET-1CEST,M3.5.0,M10.5.0/3
C=$T_DIR/case-contoso
J=$C/courante.jsonl
sum() { sha256sum "$1" | cut -d' ' -f1; }

# ---- a session ---------------------------------------------------------
check_rc "init creates the case folder and logbook" 0 "$R" courante init --case "$C" --who "Alice Martin" --title "Compromission contoso" >"$o" 2>"$e"
check "init names the logbook" contains "$o" "Logbook opened: .*courante.jsonl \(#1\)"
check_rc "init twice is refused" 3 "$R" courante init --case "$C" --who A >"$o" 2>"$e"
check "init twice says the logbook exists" contains "$e" "already exists"
check_rc "add without any name and no terminal is a usage error" 2 "$R" courante add --case "$C" "x" </dev/null >"$o" 2>"$e"
check "that error asks for --who" contains "$e" "give --who NAME"
check_rc "add with options" 0 "$R" courante add --case "$C" --who Bob --targets "bob@contoso.fr, PC-042" \
	--status todo --source "alerte EDR" Réinitialiser le mot de passe de bob >"$o" 2>"$e"
check "add prints its sequence number" contains "$o" "^#2 recorded"
REFLEXE_WHO=Carole "$R" courante add --case "$C" --at "2026-11-22 07:15 +01:00" "Premier signalement" >"$o" 2>"$e"
check "REFLEXE_WHO is the author" bash -c "grep -q '\"who\":\"Carole\"' '$J'"
check "--at keeps event and recording times apart" bash -c "tail -1 '$J' | grep -q '\"event\":\"2026-11-22T06:15:00Z\",\"offset\":\"+01:00\"' && ! tail -1 '$J' | grep -q '\"recorded\":\"2026-11-22T06:15:00Z\"'"
printf 'Dominique\n' >"$C/courante.who"
"$R" courante add --case "$C" "Nom retenu dans le cas" >"$o" 2>"$e"
check "the name remembered in the case is used" bash -c "tail -1 '$J' | grep -q '\"who\":\"Dominique\"'"
printf 'ligne 1\nligne 2\n' | "$R" courante add --case "$C" --who Eve - >"$o" 2>"$e"
check "add - reads the text from stdin" bash -c "tail -1 '$J' | grep -q '\"what\":\"ligne 1\\\\nligne 2\"'"
printf 'avant\0après' | "$R" courante add --case "$C" --who Eve - >"$o" 2>"$e"; rc=$?
check "add - refuses a NUL in the text (it would cut it short)" bash -c "[ $rc = 2 ] && grep -q 'NUL byte' '$e' && [ \$(wc -l <'$J') = 5 ]"
check_rc "add with an unknown status is a usage error" 2 "$R" courante add --case "$C" --who A --status maybe x >"$o" 2>"$e"
check_rc "add with an impossible date is a usage error" 2 "$R" courante add --case "$C" --who A --at "2026-02-30 10:00" x >"$o" 2>"$e"
check_rc "add with no text is a usage error" 2 "$R" courante add --case "$C" --who A >"$o" 2>"$e"
check_rc "unknown subcommand is a usage error" 2 "$R" courante frobnicate --case "$C" >"$o" 2>"$e"

check_rc "list" 0 "$R" courante list --case "$C" >"$o" 2>"$e"
check "list shows local time and UTC" contains "$o" "#3 +2026-11-22 07:15:00 \+01:00  \(2026-11-22 06:15:00 UTC\)  Carole"
check "list is in event order" bash -c "[ \"\$(grep -o '^#[0-9]*' '$o' | head -1)\" = '#3' ]"
check "list shows targets and source" contains "$o" "targets: bob@contoso.fr, PC-042 · source: alerte EDR"
check "list ends with the chain state" contains "$o" "^Chain intact: 5 lines, head hash [0-9a-f]{64}$"
"$R" courante actions --case "$C" >"$o" 2>"$e"
check "actions lists the open action" contains "$o" "^#2 .*\[todo\]"
check_rc "status 2 done" 0 "$R" courante status --case "$C" --who Alice 2 done >"$o" 2>"$e"
"$R" courante actions --case "$C" >"$o" 2>"$e"
check "a done action leaves actions" bash -c "! grep -q '^#2 ' '$o' && grep -q '0 lines shown' '$o'"
check_rc "status of a line that does not exist" 2 "$R" courante status --case "$C" --who A 99 done >"$o" 2>"$e"
check_rc "correct 3" 0 "$R" courante correct --case "$C" --who Alice 3 "Premier signalement (par téléphone)" >"$o" 2>"$e"
"$R" courante list --case "$C" >"$o" 2>"$e"
check "list marks the corrected line" contains "$o" "!! corrected by no. 7"
check "the correction keeps the event time" bash -c "tail -1 '$J' | grep -q '\"kind\":\"correct\".*\"event\":\"2026-11-22T06:15:00Z\".*\"corrects\":3'"
"$R" courante list --case "$C" --who bob >"$o"
check "--who filters (case-insensitive)" bash -c "grep -c '^#' '$o' | grep -qx 1"
"$R" courante list --case "$C" --target pc-042 >"$o"
check "--target filters" bash -c "grep -c '^#' '$o' | grep -qx 2"
"$R" courante list --case "$C" --since 2026-11-22T07:00:00Z >"$o"
check "--since filters on the event time" bash -c "! grep -q '^#3 ' '$o'"
# one --since grammar for every applet: days as d or j, hours, minutes
"$R" courante list --case "$C" --since 36500j >"$o"
check "--since 36500j (French days): the old lines are in" grep -q '^#3 ' "$o"
"$R" courante list --case "$C" --since 1m >"$o"
check "--since 1m: lines of 2026-11-22 are out" bash -c "! grep -q '^#3 ' '$o'"
check_rc "--since 0d: usage" 2 "$R" courante list --case "$C" --since 0d >"$o" 2>"$e"
"$R" courante list --case "$C" --status fait >"$o"
check "--status filters on the current status (French word accepted)" bash -c "[ \"\$(grep -o '^#[0-9]*' '$o' | tr '\n' ' ')\" = '#2 ' ]"
check_rc "--status with an unknown word is a usage error" 2 "$R" courante list --case "$C" --status bientôt >"$o" 2>"$e"
# an action corrected, then closed under its first number: closed for good
A=$T_DIR/case-actions
"$R" courante add --case "$A" --who A --status todo "Révoquer les sessions de bob" >"$o" 2>"$e"
"$R" courante correct --case "$A" --who A 1 "Révoquer les sessions de bob et d'alice" >"$o" 2>"$e"
"$R" courante actions --case "$A" >"$o" 2>"$e"
check "after a correction, actions shows the corrected action" bash -c "grep -q '^#2 .*\[todo\]' '$o' && ! grep -q '^#1 ' '$o'"
"$R" courante status --case "$A" --who A 1 done >"$o" 2>"$e"
"$R" courante actions --case "$A" >"$o" 2>"$e"
check "status on the first number closes its correction too" bash -c "grep -q '^0 lines shown of 3' '$o'"
"$R" courante list --case "$A" >"$o" 2>"$e"
check "list shows the correction as done, by the status line" bash -c "grep -A4 '^#2 ' '$o' | grep -q 'status updated by no. 3' && grep -q '^#2 .*\[done\]' '$o'"
# a correction of the time itself: --at moves the corrected entry where it happened
"$R" courante add --case "$A" --who A --at "2026-11-22 10:00 +01:00" "Appel du SOC" >"$o" 2>"$e"
"$R" courante correct --case "$A" --who A --at "2026-11-22 08:30 +01:00" 4 "Appel du SOC (à 8 h 30 en fait)" >"$o" 2>"$e"
"$R" courante list --case "$A" >"$o" 2>"$e"
check "correct --at: the correction takes the time given, and sorts there" bash -c "tail -1 '$A/courante.jsonl' | grep -q '\"event\":\"2026-11-22T07:30:00Z\".*\"corrects\":4' && [ \"\$(grep -o '^#[0-9]*' '$o' | head -1)\" = '#5' ]"
check_rc "verify a clean logbook" 0 "$R" courante verify --case "$C" >"$o" 2>"$e"
check "verify prints the head hash" contains "$o" "Head hash \(note it in the paper logbook\): [0-9a-f]{64}$"

# ---- French ---------------------------------------------------------------
LANG=fr_FR.UTF-8 "$R" courante list --case "$C" >"$o" 2>"$e"
check "list in French from LANG" bash -c "grep -q 'corrigée par le n° 7' '$o' && grep -q 'cibles : bob@contoso.fr' '$o' && grep -q '\[fait\]' '$o' && grep -q '^Chaîne intègre' '$o'"
"$R" courante --lang fr verify --case "$C" >"$o" 2>"$e"
check "verify in French with --lang" contains "$o" "chaîne intègre"
"$R" courante add --lang fr --case "$C" --who A --status peut-être x >"$o" 2>"$e"
check "usage error in French" contains "$e" "statut inconnu « peut-être »"
"$R" courante --help >"$o" 2>"$e"
check "help in English" contains "$o" "^usage: reflexe courante SUBCOMMAND"
LANG=fr_FR.UTF-8 "$R" courante --help >"$o" 2>"$e"
check "help in French" contains "$o" "^usage : reflexe courante SOUS-COMMANDE"

# ---- which case --------------------------------------------------------------
D=$T_DIR/disc; mkdir -p "$D"
(cd "$D" && "$R" courante list >"$o" 2>"$e"); rc=$?
check "no case folder here: usage error" bash -c "[ $rc = 2 ] && grep -q 'give --case DIR' '$e'"
cp -r "$C" "$D/case-contoso-2026-11-22"
(cd "$D" && "$R" courante verify >"$o" 2>"$e"); rc=$?
check "the only case-* folder is found" bash -c "[ $rc = 0 ] && grep -q 'case-contoso-2026-11-22/courante.jsonl' '$o'"
mkdir -p "$D/case-fabrikam-2026-11-22"
(cd "$D" && "$R" courante list >"$o" 2>"$e"); rc=$?
check "two case-* folders: usage error naming them" bash -c "[ $rc = 2 ] && grep -q 'case-contoso' '$e' && grep -q 'case-fabrikam' '$e'"
(cd "$D" && REFLEXE_CASE=case-contoso-2026-11-22 "$R" courante verify >"$o" 2>"$e"); rc=$?
check "REFLEXE_CASE picks the case" bash -c "[ $rc = 0 ]"
check_rc "list on a missing case folder is a usage error" 2 "$R" courante list --case "$T_DIR/nope" >"$o" 2>"$e"

# ---- tampering -----------------------------------------------------------------
tamper() {  # tamper NAME LINE PYTHON-EXPR-ON-lines
	local name=$1 want=$2 expr=$3 T=$T_DIR/t-$RANDOM
	cp -r "$C" "$T"
	python3 - "$T/courante.jsonl" "$expr" <<'PY'
import sys
p, expr = sys.argv[1], sys.argv[2]
lines = open(p, 'rb').read().split(b'\n')[:-1]
exec(expr)
open(p, 'wb').write(b''.join(l + b'\n' for l in lines))
PY
	"$R" courante verify --case "$T" >"$o" 2>"$e"; local rc=$?
	if [ $rc = 1 ] && grep -q "line $want: " "$o"; then pass "verify: $name (line $want, exit 1)"
	else fail "verify: $name (exit $rc, want 1 naming line $want): $(cat "$o")"; fi
}
tamper "one byte changed" 3 'lines[2] = lines[2].replace(b"Premier", b"premier")'
tamper "line deleted" 3 'del lines[2]'
tamper "two lines swapped" 2 'lines[1], lines[2] = lines[2], lines[1]'
tamper "forged line appended with a wrong prev" 8 '
import json, hashlib
f = json.loads(lines[-1]); f["seq"] = 8; f["what"] = "rien vu"; f["prev"] = json.loads(lines[-2])["hash"]
del f["hash"]
body = json.dumps(f, ensure_ascii=False, separators=(",", ":")).encode()[:-1]
lines.append(body + b",\"hash\":\"" + hashlib.sha256(body).hexdigest().encode() + b"\"}")
'
tamper "line inserted" 5 'lines.insert(4, lines[3])'
tamper "hash of the last line edited" 7 'lines[6] = lines[6][:-3] + (b"0" if lines[6][-3:-2] != b"0" else b"1") + lines[6][-2:]'

# ---- a planted logbook: a link or a pipe in place of the file ---------------------------
L=$T_DIR/case-link; mkdir -p "$L"; echo "ne pas toucher" >"$T_DIR/victim"
ln -s "$T_DIR/victim" "$L/courante.jsonl"
check_rc "add refuses a logbook that is a link (exit 3)" 3 "$R" courante add --case "$L" --who A x >"$o" 2>"$e"
check "the link is named, its target untouched" bash -c "grep -q 'not a regular file' '$e' && [ \"\$(cat '$T_DIR/victim')\" = 'ne pas toucher' ]"
check_rc "list refuses it too" 3 "$R" courante list --case "$L" >"$o" 2>"$e"
rm "$L/courante.jsonl"; mkfifo "$L/courante.jsonl"
check_rc "list on a pipe fails at once instead of hanging" 3 timeout 10 "$R" courante list --case "$L" >"$o" 2>"$e"
check_rc "add on a pipe fails too" 3 timeout 10 "$R" courante add --case "$L" --who A x >"$o" 2>"$e"

# ---- the head hash noted on paper: cutting lines off the end shows ---------------------
head5=$(sed -n 5p "$J" | sed 's/.*"hash":"\([0-9a-f]*\)"}$/\1/')
headN=$(tail -1 "$J" | sed 's/.*"hash":"\([0-9a-f]*\)"}$/\1/')
check_rc "verify HASH: an older head, still there" 0 "$R" courante verify --case "$C" "${head5:0:16}" >"$o" 2>"$e"
check "verify HASH names its line" contains "$o" "The noted hash ${head5:0:16} is line 5's"
T=$T_DIR/cut; cp -r "$C" "$T"; head -n -2 "$C/courante.jsonl" >"$T/courante.jsonl"
check_rc "the chain alone cannot see the last lines cut off" 0 "$R" courante verify --case "$T" >"$o" 2>"$e"
check_rc "verify with the head noted before: exit 1" 1 "$R" courante verify --case "$T" "$headN" >"$o" 2>"$e"
check "and it says the end was cut off or rewritten" contains "$o" "no line has the noted hash $headN: the end of the logbook was cut off"
LANG=fr_FR.UTF-8 "$R" courante verify --case "$T" "${headN:0:12}" >"$o" 2>"$e"
check "the same in French" contains "$o" "aucune ligne n'a l'empreinte notée ${headN:0:12}"
check_rc "a noted hash too short to be safe is a usage error" 2 "$R" courante verify --case "$C" "${head5:0:8}" >"$o" 2>"$e"

# ---- torn tail, repair ------------------------------------------------------------
T=$T_DIR/torn; cp -r "$C" "$T"
printf '{"seq":8,"kind":"note","recorded":"2026-11-2' >>"$T/courante.jsonl"
check_rc "verify reports a torn tail (exit 1)" 1 "$R" courante verify --case "$T" >"$o" 2>"$e"
check "verify names the torn line" contains "$o" "line 8 incomplete .*courante repair"
"$R" courante list --case "$T" >"$o" 2>"$e"
check "list warns about the torn tail" contains "$e" "last line \(no. 8\) incomplete"
before=$(sum "$T/courante.jsonl")
check_rc "add refuses to chain onto a torn tail" 3 "$R" courante add --case "$T" --who A x >"$o" 2>"$e"
check "add points at repair" contains "$e" "run 'reflexe courante repair' before adding"
check "refused add left the file alone" bash -c "[ '$before' = \"\$(sha256sum '$T/courante.jsonl' | cut -d' ' -f1)\" ]"
check_rc "repair" 0 "$R" courante repair --case "$T" --who Alice >"$o" 2>"$e"
check "repair names the quarantine file" contains "$o" "courante.quarantine-[0-9]{8}T[0-9]{6}Z.txt; repair recorded \(#8\)"
check "the quarantine file holds the torn bytes" bash -c "cat '$T'/courante.quarantine-*.txt | grep -q '^{\"seq\":8,\"kind\":\"note\",\"recorded\":\"2026-11-2$'"
check_rc "verify after repair" 0 "$R" courante verify --case "$T" >"$o" 2>"$e"
check "the repair is in the logbook" bash -c "tail -1 '$T/courante.jsonl' | grep -q '\"kind\":\"repair\".*quarantine'"
check_rc "add after repair" 0 "$R" courante add --case "$T" --who A x >"$o" 2>"$e"
"$R" courante repair --case "$T" >"$o" 2>"$e"
check "repair on a clean logbook does nothing" contains "$o" "nothing to repair"

# ---- exports -------------------------------------------------------------------------
"$R" courante export --case "$C" --format csv >"$T_DIR/x.csv" 2>"$e"
check "CSV starts with a UTF-8 BOM and uses ';'" bash -c "head -c 3 '$T_DIR/x.csv' | od -An -tx1 | grep -q 'ef bb bf' && head -1 '$T_DIR/x.csv' | grep -q '^.*no\.;date;time;offset;UTC;who;what;'"
check "CSV rows end in CRLF" bash -c "[ \$(grep -c \$'\r\$' '$T_DIR/x.csv') -ge 8 ]"
LANG=fr_FR.UTF-8 "$R" courante export --case "$C" --format csv >"$T_DIR/fr.csv" 2>"$e"
check "CSV header in French" bash -c "head -1 '$T_DIR/fr.csv' | grep -q 'n°;date;heure;décalage;UTC;qui;quoi;cibles;statut'"
check_rc "export html to a file" 0 "$R" courante export --case "$C" --format html -o "$T_DIR/x.html" >"$o" 2>"$e"
check "HTML is self-contained with a print stylesheet" bash -c "grep -q '@media print' '$T_DIR/x.html' && ! grep -Eq 'https?://|<link|<script|<img' '$T_DIR/x.html'"
check "HTML escapes text" bash -c "grep -q 'Premier signalement (par téléphone)' '$T_DIR/x.html'"
"$R" courante export --case "$C" --format md >"$T_DIR/x.md" 2>"$e"
check "Markdown table" bash -c "grep -q '^| no\. | date (local time) | UTC | who | what | targets | status | source |$' '$T_DIR/x.md'"
check_rc "export in json is refused" 2 "$R" courante export --case "$C" --format json >"$o" 2>"$e"

# ---- import ---------------------------------------------------------------------------
I=$T_DIR/case-import
printf '\xef\xbb\xbfDate;Heure;Qui;Quoi;Cibles;Statut;Source\r\n22/11/2026;09:40;Alice;"Compte ""admin"" désactivé ; MFA réinitialisée";"alice@contoso.fr, PC-042";fait;EDR\r\n2026-11-22;9:05;Bob;"Appel du RSSI\r\nà rappeler 😀";;à faire;\r\n' >"$T_DIR/in.csv"
check_rc "import --dry-run" 0 "$R" courante import --case "$I" --dry-run "$T_DIR/in.csv" >"$o" 2>"$e"
check "dry run shows the rows and writes nothing" bash -c "grep -q '2 entries would be added' '$o' && grep -q 'Appel du RSSI' '$o' && [ ! -e '$I/courante.jsonl' ]"
check_rc "import" 0 "$R" courante import --case "$I" "$T_DIR/in.csv" >"$o" 2>"$e"
check "import reports the numbers" contains "$o" "2 entries imported \(#1 to #2\)"
"$R" courante import --case "$I" --dry-run "$T_DIR/in.csv" >"$o" 2>"$e"
check "a dry run numbers the rows as they would come (#3, #4)" bash -c "grep -q '^#3 ' '$o' && grep -q '^#4 ' '$o' && [ \$(wc -l <'$I/courante.jsonl') = 2 ]"
check "imported text is whole (quotes, ';', line break, accents, emoji)" bash -c "grep -q '\"what\":\"Compte \\\\\"admin\\\\\" désactivé ; MFA réinitialisée\"' '$I/courante.jsonl' && grep -q 'Appel du RSSI\\\\nà rappeler 😀' '$I/courante.jsonl'"
printf 'date;heure;qui;quoi\n2026-11-22;09:00;A;ok\n2026-13-01;09:00;A;mauvaise date\n2026-11-22;09:00;A;"jamais fermé\n' >"$T_DIR/bad.csv"
before=$(sum "$I/courante.jsonl")
check_rc "a malformed CSV is refused" 3 "$R" courante import --case "$I" "$T_DIR/bad.csv" >"$o" 2>"$e"
check "bad rows are named by line number" bash -c "grep -q '^line 3: unreadable date' '$e' && grep -q '^line 4: quote not closed' '$e' && ! grep -q '^line 2' '$e'"
check "nothing was imported" bash -c "[ '$before' = \"\$(sha256sum '$I/courante.jsonl' | cut -d' ' -f1)\" ]"
LANG=fr_FR.UTF-8 "$R" courante import --case "$I" "$T_DIR/bad.csv" >"$o" 2>"$e"
check "bad rows in French" bash -c "grep -q '^ligne 3 : date ou heure illisible' '$e' && grep -q 'import refusé, rien n.a été ajouté' '$e'"
# round trip through the command line: export A, import into B, same facts
B=$T_DIR/case-b
"$R" courante export --case "$C" --format csv -o "$T_DIR/rt.csv" 2>"$e"
check_rc "re-import an export" 0 "$R" courante import --case "$B" --who X "$T_DIR/rt.csv" >"$o" 2>"$e"
check "round trip keeps who, what, targets, status, source, event, offset" python3 - "$J" "$B/courante.jsonl" <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
b = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
key = lambda e: (e["event"], e["what"])
fields = ("who", "what", "targets", "status", "source", "event", "offset")
a = sorted(({f: e[f] for f in fields} for e in a), key=key)
b = sorted(({f: e[f] for f in fields} for e in b), key=key)
sys.exit(0 if a == b else (print(a, b, sep="\n") or 1))
PY

# ---- the medium fails --------------------------------------------------------------------
M=$T_DIR/mnt; mkdir -p "$M"
if mount -t tmpfs -o size=64k tmpfs "$M" 2>/dev/null; then
	"$R" courante init --case "$M/case" --who A >"$o" 2>"$e"
	big=$(head -c 20000 /dev/zero | tr '\0' 'x')
	rc=0; n=0
	while [ $rc = 0 ] && [ $n -lt 50 ]; do
		before=$(sum "$M/case/courante.jsonl")
		"$R" courante add --case "$M/case" --who A "$big" >"$o" 2>"$e"; rc=$?; n=$((n + 1))
	done
	check "full disk (64 KiB tmpfs): exit 3" bash -c "[ $rc = 3 ]"
	check "full disk: one clear line" bash -c "[ \$(wc -l <'$e') = 1 ] && grep -q 'cannot write, logbook unchanged: no space left on the device' '$e'"
	check "full disk: file unchanged" bash -c "[ '$before' = \"\$(sha256sum '$M/case/courante.jsonl' | cut -d' ' -f1)\" ]"
	check_rc "full disk: the logbook still verifies" 0 "$R" courante verify --case "$M/case" >"$o" 2>"$e"
	if mount -o remount,ro "$M" 2>/dev/null; then
		check_rc "read-only medium: exit 3" 3 "$R" courante add --case "$M/case" --who A x >"$o" 2>"$e"
		check "read-only medium: said plainly" contains "$e" "read-only medium"
		check_rc "read-only medium: list still works" 0 "$R" courante list --case "$M/case" >"$o" 2>"$e"
	else
		fail "remount read-only refused (cannot test a read-only medium)"
	fi
	umount "$M"
else
	echo "note: tmpfs mount refused; the full-disk case relies on ulimit -f below"
fi
# File size limit: write(2) fails with EFBIG (SIGXFSZ is ignored by the
# applet), a real kernel failure path even without a mount.
U=$T_DIR/case-ulimit
"$R" courante init --case "$U" --who A >"$o" 2>"$e"
before=$(sum "$U/courante.jsonl")
big=$(head -c 20000 /dev/zero | tr '\0' 'y')
(ulimit -f 8; "$R" courante add --case "$U" --who A "$big" >"$o" 2>"$e"); rc=$?
check "ulimit -f: exit 3" bash -c "[ $rc = 3 ]"
check "ulimit -f: said plainly" contains "$e" "logbook unchanged: file too large"
check "ulimit -f: file unchanged" bash -c "[ '$before' = \"\$(sha256sum '$U/courante.jsonl' | cut -d' ' -f1)\" ]"
# Permission denied: as nobody, on root's logbook.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	chmod 755 "$U"; chmod 644 "$U/courante.jsonl"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$R" courante add --case "$U" --who A x >"$o" 2>"$e"; rc=$?
	check "permission denied: exit 3, said plainly" bash -c "[ $rc = 3 ] && grep -q 'permission denied' '$e'"
	check "permission denied: file unchanged" bash -c "[ '$before' = \"\$(sha256sum '$U/courante.jsonl' | cut -d' ' -f1)\" ]"
fi

# ---- durability, seen from the system calls ------------------------------------------
# The order that makes "printed" mean "on disk": the line written, the
# logbook fsynced, its folder fsynced (new file) and every new folder's
# parent too (new case folder), and only then the number on stdout.
if command -v strace >/dev/null && [ -z "${REFLEXE_SANITIZED:-}" ]; then
	S=$T_DIR/strace; mkdir -p "$S/stick"
	(cd "$S" && strace -f -qq -o "$S/trace" -e trace=open,openat,mkdir,mkdirat,write,writev,fsync,fdatasync \
		"$R" courante add --case stick/cases/case-new --who A "premier" >"$o" 2>"$e")
	check "strace: first add into a new case folder" contains "$o" "^#1 recorded"
	check "strace: one write, fsync file, fsync folders, then print" python3 - "$S/trace" <<'PY'
import re, sys
fd_path, ev = {}, []
for l in open(sys.argv[1]):
    l = re.sub(r"^\d+\s+", "", l.strip())
    m = re.match(r'open(?:at)?\((?:AT_FDCWD, )?"([^"]*)".*\)\s+=\s+(\d+)$', l)
    if m:
        fd_path[m.group(2)] = m.group(1)
        continue
    m = re.match(r'(writev|write|fsync|fdatasync)\((\d+)(.*)\)\s+=\s+(-?\d+)', l)
    if m:
        fd, call = m.group(2), m.group(1).rstrip("v")
        what = "stdout" if fd == "1" else fd_path.get(fd, "?")
        if call == "write" and fd == "1" and "#1 recorded" not in m.group(3):
            continue
        ev.append((call, what))
want = [("write", "stick/cases/case-new/courante.jsonl"),
        ("fsync", "stick/cases/case-new/courante.jsonl"),
        ("fsync", "stick/cases/case-new"),
        ("write", "stdout")]
pos = [ev.index(w) if w in ev else -1 for w in want]
parents = ("fsync", "stick/cases") in ev and ("fsync", "stick") in ev
one_write = ev.count(want[0]) == 1      # the line in one write(2)
ok = -1 not in pos and pos == sorted(pos) and parents and one_write
if not ok:
    print(ev)
sys.exit(0 if ok else 1)
PY
fi

# ---- the kit's spreadsheet template imports as is ---------------------------------------
check_rc "kit/courante-modele.csv imports (dry run)" 0 "$R" courante import --case "$T_DIR/case-kit" --who A --dry-run "$TOP/kit/courante-modele.csv" >"$o" 2>"$e"
check "the template's example rows say they are examples (an import cannot be undone)" bash -c "[ \$(grep -c 'EXEMPLE à supprimer' '$TOP/kit/courante-modele.csv') = \$((\$(wc -l <'$TOP/kit/courante-modele.csv') - 1)) ] && grep -q 'EXEMPLE à supprimer' '$o'"
check "the template has a BOM, ';' and the French headers" bash -c "head -1 '$TOP/kit/courante-modele.csv' | grep -q \$'^\xef\xbb\xbfdate;heure;qui;quoi;cibles;statut;source\r\$'"

# ---- on a terminal, the name is asked once and remembered ---------------------------------
P=$T_DIR/case-tty
python3 - "$R" "$P" >"$o" 2>"$e" <<'PY'
import os, pty, sys, time
def run(args, answer=None):
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(sys.argv[1], ["reflexe", "courante"] + args)
    out = b""
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            chunk = os.read(fd, 1000)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
        if answer and b": " in out:
            os.write(fd, answer)
            answer = None
    os.waitpid(pid, 0)
    return out.decode()
first = run(["add", "--case", sys.argv[2], "--lang", "fr", "premier"], "Zoé Dupont\n".encode())
second = run(["add", "--case", sys.argv[2], "second"])
ok = "Votre nom pour la main courante" in first and "#1 " in first and "#2 " in second and "name" not in second
print(first, second)
sys.exit(0 if ok else 1)
PY
check "on a terminal the name is asked once, then remembered" bash -c "[ $? = 0 ] && [ \"\$(grep -c '\"who\":\"Zoé Dupont\"' '$P/courante.jsonl')\" = 2 ] && grep -qx 'Zoé Dupont' '$P/courante.who'"
