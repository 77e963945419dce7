#!/usr/bin/env bash
# Runs every test: C unit tests, then integration scripts (tests/it/*.sh).
# Each prints "PASS name" / "FAIL name" lines; the last line here is the
# total, "N passed, M failed". Exit 1 if anything failed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/tests/env.sh"    # a responder's shell exports what reflexe reads
: "${REFLEXE:=$top/reflexe}" "${TESTBIN:=$top/build/rel}"
export REFLEXE TESTBIN
out="$top/tests/out"
mkdir -p "$out"
log="$out/run.log"
: >"$log"
only=${TESTS:-}

run_one() {  # run_one LABEL CMD...
	local label=$1; shift
	case "$label" in *"$only"*) ;; *) return ;; esac
	local f="$out/$(basename "$label").out"
	"$@" >"$f" 2>&1
	local rc=$?
	cat "$f" >>"$log"
	grep -E '^(PASS|FAIL) ' "$f"
	if [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$f"; then
		echo "FAIL $label: exited $rc without naming a failure (see $f)"
	fi
	if grep -q '^FAIL ' "$f" || [ $rc -ne 0 ]; then
		grep -vE '^(PASS|FAIL) ' "$f" | tail -20 | sed 's/^/    /'
	fi
}

{
	for t in "$TESTBIN"/tests/test_*; do
		[ -x "$t" ] || continue
		run_one "unit/$(basename "$t")" "$t"
	done
	for s in "$top"/tests/it/*.sh; do
		[ -f "$s" ] || continue
		run_one "it/$(basename "$s" .sh)" bash "$s"
	done
} | tee "$out/results.txt"

npass=$(grep -c '^PASS ' "$out/results.txt")
nfail=$(grep -c '^FAIL ' "$out/results.txt")
echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ] && [ "$npass" -gt 0 ]
