#!/usr/bin/env bash
# Runs every benchmark (bench/*.sh except this one). They print figures;
# nothing here asserts on time.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
: "${REFLEXE:=$top/reflexe}" "${TESTBIN:=$top/build/rel}"
export REFLEXE TESTBIN
echo "== size"
echo "reflexe: $(stat -c %s "$REFLEXE") bytes (stripped, static; target <= 700 KB)"
for b in "$top"/build/rel-*/reflexe; do
	[ -f "$b" ] || continue
	a=${b%/reflexe}
	echo "reflexe ${a##*/rel-}: $(stat -c %s "$b") bytes"
done
for b in bench/*.sh; do
	[ "$(basename "$b")" = run.sh ] && continue
	case "$b" in *"${BENCH:-}"*) ;; *) continue ;; esac
	echo "== $(basename "$b" .sh)"
	bash "$b" || echo "(benchmark $b failed: exit $?)"
done
