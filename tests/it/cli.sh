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
check_rc "unknown applet exits 2" 2 "$REFLEXE" frobnicate >"$o" 2>"$e"
check "unknown applet is named and applets listed" bash -c "grep -q \"unknown applet: 'frobnicate'\" '$e' && grep -q '  courante ' '$e'"
"$REFLEXE" --lang=fr frobnicate >"$o" 2>"$e"
check "unknown applet in French" contains "$e" "applet inconnu : « frobnicate »"
check_rc "bad --lang is a usage error" 2 "$REFLEXE" --lang de --help >"$o" 2>"$e"
# Called through a copy named after an applet (FAT sticks have no links).
cp "$REFLEXE" "$T_DIR/logout"
"$T_DIR/logout" --help >"$o" 2>"$e"; rc=$?
check "dispatch on argv[0] reaches the applet" bash -c "[ $rc -ne 2 ] && ! grep -q 'unknown applet' '$e'"
[ -n "${REFLEXE_SANITIZED:-}" ] || check "binary is static" bash -c "file '$REFLEXE' | grep -Eq 'statically linked|static-pie' || ! ldd '$REFLEXE' >/dev/null 2>&1"
