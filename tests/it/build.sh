# Set-up and build: vendor/fetch.sh works with no network from VENDOR_SRC,
# refuses a tarball whose SHA-256 is not the pinned one, and does nothing
# the second time; ./build.sh in an up-to-date tree changes nothing and
# calls neither apt nor the network. apt, curl and wget are replaced by
# stubs that log their calls and fail, so any attempt shows.
. "$(dirname "$0")/../lib.sh"
o=$T_DIR/out e=$T_DIR/err

stub=$T_DIR/stub
mkdir -p "$stub"
for c in apt-get apt-cache apt curl wget; do
	printf '#!/bin/sh\necho "%s $*" >>"%s"\nexit 1\n' "$c" "$T_DIR/stub.log" >"$stub/$c"
	chmod +x "$stub/$c"
done
: >"$T_DIR/stub.log"
OFFLINE_PATH=$stub:$PATH
no_network() { [ ! -s "$T_DIR/stub.log" ]; }

# A fresh vendor/ folder: only what git holds (the script and the sums).
fresh() { rm -rf "$1"; mkdir -p "$1"; cp "$TOP/vendor/fetch.sh" "$TOP/vendor/SHA256SUMS" "$1/"; }

# ---- the pins are the issue's ------------------------------------------------
check "mbedTLS 3.6.6 pinned to Debian's orig tarball sum" grep -qx \
	'8fb65fae8dcae5840f793c0a334860a411f884cc537ea290ce1c52bb64ca007a  mbedtls_3.6.6.orig.tar.bz2' \
	"$TOP/vendor/SHA256SUMS"
check "jsmn 1.1.0 pinned" grep -Eqx '[0-9a-f]{64}  jsmn_1\.1\.0\.orig\.tar\.gz' "$TOP/vendor/SHA256SUMS"
check "fetched sources are git-ignored" bash -c "grep -qx '/vendor/dl/' '$TOP/.gitignore' && grep -qx '/vendor/src/' '$TOP/.gitignore'"

# ---- offline, from VENDOR_SRC ------------------------------------------------
src=$T_DIR/tarballs
mkdir -p "$src"
cp "$TOP/vendor/dl/mbedtls_3.6.6.orig.tar.bz2" "$TOP/vendor/dl/jsmn_1.1.0.orig.tar.gz" "$src/"
v=$T_DIR/v1
fresh "$v"
PATH=$OFFLINE_PATH VENDOR_SRC=$src sh "$v/fetch.sh" >"$o" 2>"$e"; rc=$?
check "VENDOR_SRC: fetch succeeds (exit $rc)" test $rc = 0
check "VENDOR_SRC: both sums checked" bash -c \
	"grep -q 'mbedtls_3.6.6.orig.tar.bz2: SHA-256 OK' '$e' && grep -q 'jsmn_1.1.0.orig.tar.gz: SHA-256 OK' '$e'"
check "VENDOR_SRC: sources unpacked" test -f "$v/src/mbedtls-3.6.6/.verified" -a -f "$v/src/jsmn-1.1.0/jsmn.h"
check "VENDOR_SRC: no apt, no network" no_network

# ---- idempotent --------------------------------------------------------------
touch -d '2001-01-01' "$v/src/mbedtls-3.6.6/.verified"
PATH=$OFFLINE_PATH sh "$v/fetch.sh" >"$o" 2>"$e"; rc=$?
check "second run: exit 0, says nothing" bash -c "[ $rc = 0 ] && [ ! -s '$o' ] && [ ! -s '$e' ]"
check "second run: nothing unpacked again" test "$(stat -c %Y "$v/src/mbedtls-3.6.6/.verified")" = "$(date -d 2001-01-01 +%s)"
check "second run: no apt, no network" no_network

# ---- a tarball that is not the pinned one ------------------------------------
bad=$T_DIR/bad
mkdir -p "$bad"
cp "$src/mbedtls_3.6.6.orig.tar.bz2" "$bad/"
{ cat "$src/jsmn_1.1.0.orig.tar.gz"; printf 'x'; } >"$bad/jsmn_1.1.0.orig.tar.gz"
v=$T_DIR/v2
fresh "$v"
PATH=$OFFLINE_PATH VENDOR_SRC=$bad sh "$v/fetch.sh" >"$o" 2>"$e"; rc=$?
check "mismatch: the build stops (exit $rc)" test $rc != 0
check "mismatch: clear message naming the file and both sums" bash -c \
	"grep -q 'SHA-256 MISMATCH for jsmn_1.1.0.orig.tar.gz: expected [0-9a-f]\{64\}, got [0-9a-f]\{64\}. Refusing to build.' '$e'"
check "mismatch: message in French too" contains "$e" "EMPREINTE SHA-256 INCORRECTE"
check "mismatch: nothing of it unpacked" test ! -e "$v/src/jsmn-1.1.0"
check "mismatch: the file is set aside, not kept as good" bash -c \
	"[ ! -e '$v/dl/jsmn_1.1.0.orig.tar.gz' ] && [ -e '$v/dl/jsmn_1.1.0.orig.tar.gz.rejected' ]"
# The same bad file already in vendor/dl and no VENDOR_SRC: it is thrown
# away and a download attempted (here: the apt stub fails), clearly.
cp "$bad/jsmn_1.1.0.orig.tar.gz" "$v/dl/"
PATH=$OFFLINE_PATH sh "$v/fetch.sh" >"$o" 2>"$e"; rc=$?
check "bad cached tarball, no network: fails clearly" bash -c \
	"[ $rc != 0 ] && grep -q 'could not download jsmn_1.1.0.orig.tar.gz' '$e'"
check "bad cached tarball: not unpacked" test ! -e "$v/src/jsmn-1.1.0"
: >"$T_DIR/stub.log"

# ---- ./build.sh in this tree: up to date, so nothing happens -----------------
# (Not under make check: there the release tree may be stale on purpose.)
if [ -z "${REFLEXE_SANITIZED:-}" ]; then
	before=$(stat -c %Y "$TOP/reflexe")
	(cd "$TOP" && PATH=$OFFLINE_PATH ./build.sh) >"$o" 2>&1; rc=$?
	check "build.sh again: exit 0 (got $rc)" test $rc = 0
	check "build.sh again: compiles and links nothing" bash -c "! grep -Eq '^  (CC|LD) ' '$o'"
	check "build.sh again: ./reflexe untouched" test "$(stat -c %Y "$TOP/reflexe")" = "$before"
	check "build.sh again: no apt, no network" no_network
	check "build.sh prints the final size of both binaries" bash -c \
		"grep -Eq '^reflexe x86_64: [0-9]+ bytes' '$o' && grep -Eq '^reflexe aarch64: [0-9]+ bytes' '$o'"
fi
