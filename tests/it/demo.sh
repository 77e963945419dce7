# README.txt's third command, the newcomer's first look at the main job:
# `reflexe qualify --offline --case kit/demo --answers kit/demo-answers.ini`
# on a copy of kit/demo (the tree stays as committed) runs start to end
# without a prompt and prints the report of the demo case. kit/demo itself
# verifies against its manifest and is marked DÉMO.
. "$(dirname "$0")/../lib.sh"
unset AZURE_TENANT_ID AZURE_CLIENT_ID AZURE_CLIENT_SECRET REFLEXE_CASE REFLEXE_CA_FILE
export REFLEXE_WHO=tests TZ=UTC
cmd=$(sed -n 's/^    \.\/reflexe \(qualify .*\)$/\1/p' "$TOP/README.txt" | head -1)
check "README.txt's third command is qualify on kit/demo" test "$cmd" = "qualify --offline --case kit/demo --answers kit/demo-answers.ini"
check "kit/demo: its manifest verifies" bash -c "cd '$TOP/kit/demo' && sha256sum -c --strict --quiet manifest.sha256"
check "kit/demo: marked DÉMO in its logbook" grep -q 'DÉMO — cas fictif / DEMO — fictitious case' "$TOP/kit/demo/courante.jsonl"
check "kit/demo: its check-admins findings are there" test -s "$TOP/kit/demo/findings/check-admins.json"
mkdir -p "$T_DIR/tree/kit" && cp -r "$TOP/kit/demo" "$T_DIR/tree/kit/" && cp "$TOP/kit/demo-answers.ini" "$T_DIR/tree/kit/"
# shellcheck disable=SC2086
(cd "$T_DIR/tree" && timeout 120 "$REFLEXE" $cmd </dev/null >"$T_DIR/out" 2>"$T_DIR/err"); rc=$?
check "runs start to end without a prompt (exit 1: not an anomalie courante)" bash -c "[ $rc = 1 ] && ! grep -q ': $' '$T_DIR/err'"
check "prints the report of the demo case" bash -c "grep -q '^Qualification — Azure tenant compromise' '$T_DIR/out' && grep -q '^DEMO — fictitious case$' '$T_DIR/out' && \
	grep -q '^Gravity retained: incident majeur (major incident), presumed (rule G2)$' '$T_DIR/out'"
check "the demo's answers were used (answers.ini in the case, hashed)" bash -c "cd '$T_DIR/tree/kit/demo' && grep -q '  answers.ini$' manifest.sha256 && sha256sum -c --quiet manifest.sha256"
(cd "$T_DIR/tree" && "$REFLEXE" qualify --offline --case kit/demo --answers kit/demo-answers.ini --lang fr </dev/null >"$T_DIR/fr" 2>&1)
check "in French too" grep -q "^Gravité retenue : incident majeur, présumée (règle G2)$" "$T_DIR/fr"
