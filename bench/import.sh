# reflexe import + check-events on a synthetic Purview audit export
# (bench/gen_ual.py): 1,000,000 UAL CSV rows imported then analysed, with
# rows per second and peak memory of each step (target for both together:
# under 60 s and 64 MB on the 2-core machine), then a file of more than
# 1 GiB imported to show the memory does not grow with the file.
# Figures only: nothing here asserts.
set -u
R=${REFLEXE:?}
W=$(mktemp -d "${TMPDIR:-/tmp}/reflexe-bench-import.XXXXXX")
trap 'rm -rf "$W"' EXIT
ms() { date +%s%N | cut -c1-13; }
# peak RSS (kB), wall time (ms) and CPU time (user + system: what the
# run costs on an idle machine, the wall time following the load of a
# shared one) of a command: GNU time when there is one
measure() {  # measure LABEL ROWS CMD...
	local label=$1 rows=$2; shift 2
	local t0 t1 rss="" cpu=""
	t0=$(ms)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%M %U %S' -o "$W/rss" "$@" >"$W/out" 2>"$W/err"
	else
		"$@" >"$W/out" 2>"$W/err"
	fi
	local rc=$?
	t1=$(ms)
	# (its last line: one before says when the command exits non-zero)
	if [ -s "$W/rss" ]; then
		set -- $(tail -n 1 "$W/rss")
		rss=$1
		cpu=$(awk -v u="$2" -v s="$3" 'BEGIN { printf "%.1f", u + s }')
	fi
	local dt=$((t1 - t0))
	echo "$label: $rows rows in $dt ms ($((rows * 1000 / (dt + 1))) rows/s), CPU ${cpu:-?} s, peak RSS ${rss:-?} kB, exit $rc"
	return 0
}

df -h "$W" | tail -1 | awk '{print "disk: " $1 " mounted on " $6 " (" $4 " free)"}'
N=${BENCH_IMPORT_ROWS:-1000000}
t0=$(ms)
python3 "$(dirname "$0")/gen_ual.py" $N "$W/ual.csv" 1 attack
t1=$(ms)
echo "generated $N rows ($(stat -c %s "$W/ual.csv") bytes) in $((t1 - t0)) ms"
ta=$(ms)
measure "import" $N "$R" import --case "$W/case" -q "$W/ual.csv"
# (exit 1: the export holds an attack, gen_ual.py's "attack")
measure "check-events" $N "$R" check-events --case "$W/case" --format json
tb=$(ms)
echo "import + analyse, $N rows: $((tb - ta)) ms (target < 60000 ms, < 65536 kB each)"
grep -o '"answer":"[a-z_]*"' "$W/out" | head -1 | sed 's/^/check-events: /'
du -sh "$W/case/imports" | awk '{print "case: imports " $1 " (original + events)"}'
rm -rf "$W/case" "$W/ual.csv"

# more than 1 GiB: memory must not follow the file's size
N=1400000
python3 "$(dirname "$0")/gen_ual.py" $N "$W/big.csv" 2
echo "large file: $(stat -c %s "$W/big.csv") bytes"
measure "import (>1 GiB)" $N "$R" import --case "$W/big" -q "$W/big.csv"
