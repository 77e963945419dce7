# Shared helpers for integration tests (sourced). Each check prints
# "PASS name" or "FAIL name"; tests/run.sh counts those lines.
: "${REFLEXE:?REFLEXE must point at the binary under test}"
: "${TESTBIN:?TESTBIN must point at the build folder}"
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
T_NAME=$(basename "$0" .sh)
T_DIR="$TOP/tests/out/$T_NAME"
rm -rf "$T_DIR"; mkdir -p "$T_DIR"
# The caller's AZURE_*, REFLEXE_*, proxies and locale are cleared here,
# once for every test: a test sets what it needs after sourcing this.
. "$TOP/tests/env.sh"

# Results go to fd 3 (the real stdout) so that a check's own redirections
# cannot swallow them.
exec 3>&1
pass() { echo "PASS $T_NAME: $*" >&3; }
fail() { echo "FAIL $T_NAME: $*" >&3; }
# check NAME CMD...: passes when CMD succeeds
check() { local n=$1; shift; if "$@"; then pass "$n"; else fail "$n"; fi; }
# check_rc NAME WANT CMD...: passes when CMD exits with WANT
check_rc() {
	local n=$1 want=$2; shift 2
	"$@"; local rc=$?
	if [ "$rc" = "$want" ]; then pass "$n"; else fail "$n (exit $rc, want $want)"; fi
}
# contains FILE PATTERN (grep -E)
contains() { grep -Eq -- "$2" "$1"; }

# Processes started with bg are killed when the script exits.
T_PIDS=()
bg() { "$@" & T_PIDS+=($!); }
# t_stop PID: SIGTERM, up to 5 s to finish, then SIGKILL: a server whose
# shutdown hangs on a handler thread must not hang the suite.
t_stop() {
	kill "$1" 2>/dev/null || { wait "$1" 2>/dev/null; return 0; }
	for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}
t_cleanup() { for p in "${T_PIDS[@]:-}"; do [ -n "$p" ] && t_stop "$p"; done; }
trap t_cleanup EXIT

# wait_file FILE [SECONDS]: waits for FILE to exist and be non-empty
wait_file() {
	local i=0 max=$(( ${2:-10} * 10 ))
	while [ ! -s "$1" ] && [ $i -lt $max ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$1" ]
}
