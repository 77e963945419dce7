# The HTML report in a real browser: Debian's chromium prints it to PDF
# (headless), pdftotext (poppler-utils) reads the PDF back. Every section
# title and the gravity must be there, in French and in English, each
# section on its own A4 sheet (so at least one sheet per section, and not
# dozens more), no script run, nothing fetched. A screenshot of the first
# page is kept in tests/out/report_html/ for a person to look at.
. "$(dirname "$0")/../lib.sh"
unset AZURE_TENANT_ID AZURE_CLIENT_ID AZURE_CLIENT_SECRET REFLEXE_CASE REFLEXE_CA_FILE
export REFLEXE_WHO=tests TZ=UTC
CHROME=$(command -v chromium || command -v chromium-browser || :)
if [ -z "$CHROME" ] || ! command -v pdftotext >/dev/null || ! command -v pdfinfo >/dev/null; then
	fail "chromium and poppler-utils installed (./build.sh installs them)"
	exit 0
fi
F=$T_DIR/cases
python3 "$TOP/tests/fixtures/report/gen.py" "$F" "$REFLEXE" s08-transport s06-bec >"$T_DIR/gen.log" 2>&1 ||
	{ fail "fixtures generated"; cat "$T_DIR/gen.log"; exit 1; }
# a logbook line edited: the banner must print too
for i in 1 2 3; do "$REFLEXE" courante add "ligne $i" --case "$F/s08-transport" >/dev/null 2>&1; done
sed -i '2s/"what":"/"what":"X/' "$F/s08-transport/courante.jsonl"

# print FILE.html -> FILE.pdf, within two minutes, with a fresh profile and
# nothing that would reach the network
print() {
	local prof
	prof=$(mktemp -d "$T_DIR/profile.XXXXXX")
	timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$prof" --no-pdf-header-footer --print-to-pdf="$2" "file://$1" \
		>"$T_DIR/chrome.log" 2>&1
	local rc=$?
	rm -rf "$prof"
	return $rc
}

for l in fr en; do
	H=$T_DIR/s08.$l.html
	"$REFLEXE" report --case "$F/s08-transport" --answers "$F/s08-transport.ini" --no-save --format html \
		--lang $l -o "$H" 2>"$T_DIR/e"
	check "$l: html written" test -s "$H"
	print "$H" "$T_DIR/s08.$l.pdf"
	check "$l: chromium printed it to PDF" test -s "$T_DIR/s08.$l.pdf"
	pdftotext -enc UTF-8 "$T_DIR/s08.$l.pdf" "$T_DIR/s08.$l.txt" 2>/dev/null
	tr '\n' ' ' <"$T_DIR/s08.$l.txt" | tr -s ' ' >"$T_DIR/s08.$l.flat"
	pages=$(pdfinfo "$T_DIR/s08.$l.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
	# 13 sections, each starting a sheet; the 40 forwarding mailboxes and
	# their commands take a few more
	check "$l: one sheet or more per section, not dozens more ($pages)" test "${pages:-0}" -ge 13 -a "${pages:-0}" -le 45
	check "$l: A4 portrait" bash -c "pdfinfo '$T_DIR/s08.$l.pdf' | grep -Eq 'Page size: *59[45](\.[0-9]+)? x 84[12](\.[0-9]+)? pts \(A4\)'"
done
for t in "Couverture" "Synthèse : les cinq réponses de la fiche" "Gravité" "Horloge des 72 heures et déclarations" \
	"Mesure 1 — constats par action de la fiche" "Mesures 2, 3 et 4 — réponses" "Points sans réponse" \
	"Chronologie" "Suite des actions : plan d'endiguement" "Projet de notification (DPO)" \
	"Revue post-incident (projet)" "Main courante" "Sceau et preuves"; do
	[ "$t" = Couverture ] && continue   # the cover shows the report's title instead
	check "fr: « $t » printed" grep -qF "$t" "$T_DIR/s08.fr.flat"
done
for t in "Summary: the fiche's five answers" "Gravity" "The 72-hour clock and declarations" \
	"Mesure 1 — findings per action of the fiche" "Mesures 2, 3 and 4 — answers" "Questions left unanswered" \
	"Timeline" "Next steps: containment plan" "Notification draft (DPO)" "Post-incident review (draft)" \
	"Logbook (main courante)" "Seal and evidence"; do
	check "en: « $t » printed" grep -qF "$t" "$T_DIR/s08.en.flat"
done
check "fr: the gravity in words" grep -qF "Gravité retenue : crise cyber" "$T_DIR/s08.fr.flat"
check "en: the gravity in words" grep -qF "Gravity retained: crise cyber" "$T_DIR/s08.en.flat"
check "fr: the title and PROVISOIRE on the first sheet" bash -c \
	"pdftotext -f 1 -l 1 '$T_DIR/s08.fr.pdf' - | tr '\n' ' ' | grep -q 'Qualification — compromission d.un tenant Azure.*PROVISOIRE'"
check "fr: the altered logbook banner printed" grep -qF "MAIN COURANTE ALTÉRÉE À PARTIR DE LA LIGNE 2" "$T_DIR/s08.fr.flat"
check "fr: the sheets are numbered n / total" bash -c "pdftotext -f 2 -l 2 '$T_DIR/s08.fr.pdf' - | grep -q '^2 / [0-9]'"
check "fr: a containment command printed whole" grep -qF "Disable-TransportRule -Identity '6f1c2d3e-0000-4000-8000-00000000a001'" "$T_DIR/s08.fr.flat"
# each section starts its own sheet: its title is at the top of a page
check "fr: the synthesis starts sheet 2" bash -c "pdftotext -f 2 -l 2 '$T_DIR/s08.fr.pdf' - | head -3 | grep -q 'Synthèse'"
n=$(pdfinfo "$T_DIR/s08.fr.pdf" | sed -n 's/^Pages: *//p')
check "fr: the seal, the last section, on the last sheet" bash -c "pdftotext -f $n -l $n '$T_DIR/s08.fr.pdf' - | head -3 | grep -q 'Sceau et preuves'"

# a screenshot of the first page (A4 at 96 dpi), for a person to look at
prof=$(mktemp -d "$T_DIR/profile.XXXXXX")
timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync --user-data-dir="$prof" \
	--hide-scrollbars --window-size=794,1123 --screenshot="$T_DIR/first-page.png" "file://$T_DIR/s08.fr.html" \
	>"$T_DIR/shot.log" 2>&1
rm -rf "$prof"
check "screenshot of the first page kept (tests/out/report_html/first-page.png)" test -s "$T_DIR/first-page.png"
