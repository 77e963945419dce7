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

# t_own_session_keyring "$@" (first thing in a script that touches the
# kernel keyring): runs the script again in an anonymous session keyring
# of its own (KEYCTL_JOIN_SESSION_KEYRING), inherited by every reflexe it
# starts, so that it neither sees nor wipes anyone else's keys.
t_own_session_keyring() {
	[ -n "${T_OWN_SESSION:-}" ] && return 0
	export T_OWN_SESSION=1
	exec python3 -c '
import ctypes, os, platform, sys
nr = {"x86_64": 250, "aarch64": 219}.get(platform.machine())
if nr is not None:
    ctypes.CDLL(None, use_errno=True).syscall(ctypes.c_long(nr), ctypes.c_long(1), ctypes.c_void_p(None))
os.execvp(sys.argv[1], sys.argv[1:])' bash "$0" "$@"
}
