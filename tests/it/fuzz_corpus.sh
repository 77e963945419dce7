# Every fuzz harness (tests/fuzz/fuzz_*.c) replayed over its committed
# corpus, tests/fuzz/seeds/NAME/: the seeds taken from the fixtures and
# shared data, and every input that ever crashed it (named crash-*), so a
# known crash cannot come back. Under make check the replays are built
# with ASan and UBSan (gcc), under make test with musl; no new inputs are
# made here (that is make fuzz, with clang's libFuzzer).
. "$(dirname "$0")/../lib.sh"
cd "$T_DIR"
n=0
for src in "$TOP"/tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	bin=$TESTBIN/tests/replay/$name
	seeds=$TOP/tests/fuzz/seeds/$name
	n=$((n + 1))
	if [ ! -x "$bin" ]; then
		fail "$name: replay binary not built ($bin)"
		continue
	fi
	if [ ! -d "$seeds" ] || [ -z "$(ls -A "$seeds")" ]; then
		fail "$name: no corpus in tests/fuzz/seeds/$name"
		continue
	fi
	"$bin" "$seeds" >"$T_DIR/$name.out" 2>"$T_DIR/$name.err"; rc=$?
	count=$(sed -n 's/^\([0-9][0-9]*\) inputs$/\1/p' "$T_DIR/$name.out")
	files=$(find "$seeds" -maxdepth 1 -type f ! -name '.*' | wc -l)
	if [ "$rc" = 0 ] && [ "$count" = "$files" ]; then
		pass "$name: $count inputs replayed, none crashed"
	else
		fail "$name: exit $rc after $count of $files inputs"
		tail -30 "$T_DIR/$name.err" >&2
	fi
done
check "a harness per tests/fuzz/fuzz_*.c (found $n)" test "$n" -ge 3
