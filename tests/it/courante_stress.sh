# courante under load and under SIGKILL: several writers at once, and a
# writer killed at random moments. Counts and presence are asserted, never
# durations.
. "$(dirname "$0")/../lib.sh"
R=$REFLEXE

# ---- 4 processes × 500 adds ------------------------------------------------
C=$T_DIR/case-concurrent
"$R" courante init --case "$C" --who init >/dev/null 2>&1
for p in 1 2 3 4; do
	(
		for i in $(seq 500); do
			"$R" courante add --case "$C" --who "w$p" "p$p-$i" >>"$T_DIR/out.$p" 2>>"$T_DIR/err.$p" \
				|| echo "add p$p-$i failed" >>"$T_DIR/failed"
		done
	) &
done
wait
J=$C/courante.jsonl
check "every concurrent add succeeded" bash -c "[ ! -s '$T_DIR/failed' ]"
check "2,000 entries (+ the opening line)" bash -c "[ \$(wc -l <'$J') = 2001 ]"
check "sequence numbers are 1..2001, each once" python3 - "$J" <<'PY'
import json, sys
seqs = [json.loads(l)["seq"] for l in open(sys.argv[1], encoding="utf-8")]
sys.exit(0 if seqs == list(range(1, 2002)) else 1)
PY
check "each writer's 500 texts are there exactly once" python3 - "$J" <<'PY'
import json, sys, collections
c = collections.Counter(json.loads(l)["what"] for l in open(sys.argv[1], encoding="utf-8"))
want = {f"p{p}-{i}" for p in range(1, 5) for i in range(1, 501)}
sys.exit(0 if all(c[w] == 1 for w in want) and len(c) == 2001 else 1)
PY
check "printed numbers match the file" python3 - "$J" "$T_DIR"/out.1 "$T_DIR"/out.2 "$T_DIR"/out.3 "$T_DIR"/out.4 <<'PY'
import json, re, sys
by_seq = {json.loads(l)["seq"]: json.loads(l)["who"] for l in open(sys.argv[1], encoding="utf-8")}
ok = True
for p, f in enumerate(sys.argv[2:], 1):
    seqs = [int(m.group(1)) for m in re.finditer(r"^#(\d+) ", open(f).read(), re.M)]
    ok &= len(seqs) == 500 and all(by_seq.get(s) == f"w{p}" for s in seqs)
sys.exit(0 if ok else 1)
PY
check_rc "the chain verifies" 0 "$R" courante verify --case "$C" >"$T_DIR/v" 2>&1

# ---- SIGKILL at random moments ---------------------------------------------------
K=$T_DIR/case-kill
"$R" courante init --case "$K" --who init >/dev/null 2>&1
big=$(head -c 30000 /dev/zero | tr '\0' 'k')
: >"$T_DIR/printed"
repairs=0 killed=0
# A third of the kills come at once, the rest after a sleep of up to
# ~1.5x what one add takes here (the sleep's own start-up comes on top):
# a sanitizer build or a loaded machine is slower, and a fixed window
# would then kill every add, or none, before it could finish.
t0=$(date +%s%N)
"$R" courante add --case "$K" --who k "calibration" >/dev/null 2>&1
span=$(( ($(date +%s%N) - t0) / 1000 * 3 / 2 ))
[ "$span" -lt 1000 ] && span=1000
[ "$span" -gt 999999 ] && span=999999
for i in $(seq 300); do
	# large texts make the write span several pages, where a fatal signal
	# can cut it short (mm/filemap.c checks between pages)
	if [ $((i % 3)) = 0 ]; then text="kill-$i $big"; else text="kill-$i"; fi
	# emptied here, not by the redirection below: a kill that lands
	# between fork and the child's open leaves last round's output, whose
	# number would be credited to this round's text
	: >"$T_DIR/k.out"; : >"$T_DIR/k.err"
	"$R" courante add --case "$K" --who k "$text" >"$T_DIR/k.out" 2>"$T_DIR/k.err" &
	pid=$!
	[ $((RANDOM % 3)) = 0 ] || sleep "$(printf '0.%06d' $(( (RANDOM * 32768 + RANDOM) % span )))"
	kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
	wait "$pid" 2>/dev/null
	# what was printed was promised: remember it
	sed -n "s/^#\([0-9]*\) .*/\1 kill-$i/p" "$T_DIR/k.out" >>"$T_DIR/printed"
	if grep -q "courante repair" "$T_DIR/k.err"; then
		"$R" courante repair --case "$K" --who k >/dev/null 2>&1 && repairs=$((repairs + 1))
	fi
done
echo "crash loop (kills within $((span / 1000)) ms of the start): $killed kills, $(wc -l <"$T_DIR/printed") adds printed, $repairs repairs during the loop"
"$R" courante verify --case "$K" >"$T_DIR/v" 2>&1; rc=$?
if [ $rc = 1 ] && grep -q "incomplete" "$T_DIR/v"; then
	check "a torn tail left by SIGKILL is repaired" "$R" courante repair --case "$K" --who k >/dev/null 2>&1
	"$R" courante verify --case "$K" >"$T_DIR/v" 2>&1; rc=$?
fi
check "after the kills the logbook verifies (or did after one repair)" bash -c "[ $rc = 0 ]"
check "every add that printed its number is in the logbook" python3 - "$K/courante.jsonl" "$T_DIR/printed" <<'PY'
import json, sys
got = {}
for l in open(sys.argv[1], encoding="utf-8"):
    e = json.loads(l)
    got[e["seq"]] = e["what"].split(" ")[0]
missing = [l for l in open(sys.argv[2]).read().split("\n") if l and got.get(int(l.split()[0])) != l.split()[1]]
print("missing:", missing[:5]) if missing else None
sys.exit(1 if missing else 0)
PY
check "some adds completed and some were killed" bash -c "[ -s '$T_DIR/printed' ] && [ $killed -gt 0 ]"
