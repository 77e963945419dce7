# Logbook figures: appends per second with fsync on this machine's disk
# (through the library and through the command line), and the time verify,
# list and export take on a 100,000-line logbook (target for verify: < 1 s).
set -u
R=${REFLEXE:?} B=${TESTBIN:?}
W=$(mktemp -d "${TMPDIR:-/tmp}/reflexe-bench-courante.XXXXXX")
trap 'rm -rf "$W"' EXIT
ms() { date +%s%N | cut -c1-13; }

df -h "$W" | tail -1 | awk '{print "disk: " $1 " mounted on " $6}'
if [ -x "$B/bench/courante_append" ]; then
	"$B/bench/courante_append" "$W/lib" 1000
fi
n=300
t0=$(ms)
for i in $(seq $n); do "$R" courante add --case "$W/cli" --who bench "entrée $i" >/dev/null || exit 1; done
t1=$(ms)
echo "command line: $n adds (a process each, fsync each) in $((t1 - t0)) ms: $((n * 1000 / (t1 - t0 + 1))) adds/s"

# 100,000 lines: one import (one write, one fsync), then read them back.
python3 - "$W/big.csv" <<'PY'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("date;heure;qui;quoi;cibles;statut;source\n")
    for i in range(100000):
        f.write(f"2026-11-22;{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d};Alice;"
                f"\"Entrée {i} : compte désactivé, sessions révoquées\";user{i}@contoso.fr;fait;EDR\n")
PY
t0=$(ms); "$R" courante import --case "$W/big" --who bench "$W/big.csv" >/dev/null || exit 1; t1=$(ms)
echo "import of 100,000 CSV rows: $((t1 - t0)) ms ($(stat -c %s "$W/big/courante.jsonl") bytes of logbook)"
t0=$(ms); "$R" courante verify --case "$W/big" >/dev/null; rc=$?; t1=$(ms)
echo "verify, 100,000 lines: $((t1 - t0)) ms (exit $rc; target < 1000 ms)"
t0=$(ms); "$R" courante list --case "$W/big" >/dev/null; t1=$(ms)
echo "list, 100,000 lines: $((t1 - t0)) ms"
t0=$(ms); "$R" courante export --case "$W/big" --format html >/dev/null; t1=$(ms)
echo "export html, 100,000 lines: $((t1 - t0)) ms"
t0=$(ms); "$R" courante add --case "$W/big" --who bench "une de plus" >/dev/null; t1=$(ms)
echo "one add on a 100,000-line logbook: $((t1 - t0)) ms (reads only the tail)"
