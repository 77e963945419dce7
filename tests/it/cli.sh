# The multi-call front door: help, version, unknown applet, languages.
. "$(dirname "$0")/../lib.sh"
o=$T_DIR/out e=$T_DIR/err

check_rc "no args is a usage error" 2 "$REFLEXE" >"$o" 2>"$e"
check "usage lists every applet" bash -c "for a in check-admins check-mail check-apps courante report login logout qualify; do grep -q \"  \$a \" '$e' || exit 1; done"
check_rc "--help exits 0" 0 "$REFLEXE" --help >"$o" 2>"$e"
check "--help in English by default" contains "$o" "^Applets:"
LANG=fr_FR.UTF-8 "$REFLEXE" --help >"$o" 2>&1
check "--help in French from LANG" contains "$o" "^Applets :"
"$REFLEXE" --lang fr --help >"$o" 2>&1
check "--lang fr before --help" contains "$o" "^Applets :"
check_rc "--version exits 0" 0 "$REFLEXE" --version >"$o" 2>"$e"
check "--version names mbedTLS 3.6.6" contains "$o" "^mbedTLS 3\.6\.6$"
check "--version gives the build date" contains "$o" "^built on [0-9]{4}-[0-9]{2}-[0-9]{2}$"
check "--version gives the roots' SHA-256" contains "$o" "\(SHA-256\): [0-9a-f]{64}$"
# README.txt documents the roots; it must say what the binary holds.
for fp in $(sed -n 's/^\t  "\([0-9a-f]\{64\}\)" },$/\1/p' "$TOP/src/net/roots.c"); do
	colons=$(echo "$fp" | tr a-f A-F | sed 's/../&:/g; s/:$//')
	check "README lists root ${fp:0:16}…" grep -q "$colons" "$TOP/README.txt"
done
set_hash=$(env -u REFLEXE_CA_FILE "$REFLEXE" --version | sed -n 's/^compiled-in trust roots (SHA-256): //p')
check "README gives the set's hash that --version prints" grep -q "^    $set_hash$" "$TOP/README.txt"
printf 'not a certificate\n' >"$T_DIR/bad.pem"
check_rc "--version with an unreadable REFLEXE_CA_FILE: exit 3" 3 env REFLEXE_CA_FILE="$T_DIR/bad.pem" "$REFLEXE" --version >"$o" 2>"$e"
check_rc "unknown applet exits 2" 2 "$REFLEXE" frobnicate >"$o" 2>"$e"
check "unknown applet is named and applets listed" bash -c "grep -q \"unknown applet: 'frobnicate'\" '$e' && grep -q '  courante ' '$e'"
"$REFLEXE" --lang=fr frobnicate >"$o" 2>"$e"
check "unknown applet in French" contains "$e" "applet inconnu : « frobnicate »"
check_rc "an option instead of an applet: usage error" 2 "$REFLEXE" --frobnicate >"$o" 2>"$e"
check "an option instead of an applet: named as an option" contains "$e" "^reflexe: unknown option: --frobnicate$"
check_rc "--lang without a value: usage error" 2 "$REFLEXE" --lang >"$o" 2>"$e"
check "--lang without a value: said so" contains "$e" "^reflexe: option --lang needs a value$"
check_rc "bad --lang is a usage error" 2 "$REFLEXE" --lang de --help >"$o" 2>"$e"
# Called through a copy named after an applet (FAT sticks have no links).
cp "$REFLEXE" "$T_DIR/logout"
"$T_DIR/logout" --help >"$o" 2>"$e"; rc=$?
check "dispatch on argv[0] reaches the applet" bash -c "[ $rc = 0 ] && grep -q '^usage: reflexe logout' '$o'"
mkdir -p "$T_DIR/bin"
cp "$REFLEXE" "$T_DIR/bin/check-apps"
check_rc "argv[0] naming a check: its help (exit 0)" 0 "$T_DIR/bin/check-apps" --help >"$o" 2>"$e"
check "argv[0] naming a check: that check's usage" contains "$o" "^usage: reflexe check-apps"

# ---- applets: help in both languages -----------------------------------------
check_rc "APPLET --help exits 0" 0 "$REFLEXE" courante --help >"$o" 2>"$e"
check "APPLET --help in English" contains "$o" "^usage: reflexe courante "
"$REFLEXE" courante --help --lang fr >"$o" 2>"$e"
check "APPLET --help --lang fr" contains "$o" "^usage : reflexe courante "
LANG=fr_FR.UTF-8 "$REFLEXE" logout --help >"$o" 2>"$e"
check "APPLET --help in French from LANG" contains "$o" "^usage : reflexe logout"
check_rc "unknown option of an applet: usage error" 2 "$REFLEXE" logout --no-such-option >"$o" 2>"$e"
check "unknown option named" contains "$e" "unknown option: --no-such-option"
# The issue's size target: 700 KB, stripped.
[ -n "${REFLEXE_SANITIZED:-}" ] || check "binary is at most 700 KB ($(stat -c %s "$REFLEXE") bytes)" \
	test "$(stat -c %s "$REFLEXE")" -le 716800
[ -n "${REFLEXE_SANITIZED:-}" ] || check "binary is stripped" bash -c "file '$REFLEXE' | grep -q ', stripped'"
[ -n "${REFLEXE_SANITIZED:-}" ] || check "binary is static" bash -c "file '$REFLEXE' | grep -Eq 'statically linked|static-pie' || ! ldd '$REFLEXE' >/dev/null 2>&1"
