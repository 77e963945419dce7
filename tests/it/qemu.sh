# Binaries under qemu-user (Debian's qemu-user-static) on this x86_64
# machine. The kit's aarch64 binary: what it is (ELF aarch64, static,
# stripped, within the size limit), every C unit test built for aarch64
# (3 to 4 s), --version, the logbook (add/verify, and read across
# architectures), TLS to the fake servers with its compiled-in
# verification (a chain it must refuse, the test CA accepted; AES-GCM
# first, qemu's default CPU having the ARMv8 crypto extensions), a live
# check-admins giving the x86_64 binary's findings. Then the x86_64
# binary on a CPU without AES-NI, PCLMULQDQ or SSSE3 (qemu64): AES-GCM
# in software, and no instruction the CPU lacks.
# make test passes TESTBIN_aarch64 (build/rel-aarch64) when ARCH holds
# aarch64 (the default).
. "$(dirname "$0")/graph_env.sh"
. "$TOP/tests/servers/netlib.sh"
if [ -n "${REFLEXE_SANITIZED:-}" ]; then
	echo "qemu: not under make check (the sanitizer build is for the host only)"
	exit 0
fi
if [ "$(uname -m)" = aarch64 ]; then
	echo "qemu: this machine is aarch64: every other test ran the aarch64 binary"
	exit 0
fi
if [ -z "${TESTBIN_aarch64:-}" ]; then
	echo "qemu: not built in this run (make test builds it when ARCH holds aarch64, the default)"
	exit 0
fi
A=$TESTBIN_aarch64
RA=$A/reflexe
QEMU=$(command -v qemu-aarch64-static || command -v qemu-aarch64) ||
	{ fail "qemu-user is installed (apt-get install qemu-user-static; ./build.sh does)"; exit 1; }
q() { "$QEMU" "$@"; }
o=$T/out e=$T/err

# ---- the binary ---------------------------------------------------------------------
check "binary: built ($RA)" test -f "$RA"
check "binary: ELF 64-bit little-endian for aarch64 (e_machine 183)" bash -c \
	"[ \"\$(od -An -tx1 -N6 '$RA' | tr -d ' \n')\" = 7f454c460201 ] && [ \"\$(od -An -tu2 -j18 -N2 '$RA' | tr -d ' ')\" = 183 ]"
check "binary: static (no program interpreter)" bash -c "! readelf -lW '$RA' | grep -q INTERP"
check "binary: stripped" bash -c "! readelf -SW '$RA' | grep -q '\.symtab'"
check "binary: at most 700 KB ($(stat -c %s "$RA") bytes)" test "$(stat -c %s "$RA")" -le 716800
q "$RA" --version >"$o" 2>"$e"; rc=$?
check "--version: exit 0 under qemu" test $rc = 0
"$REFLEXE" --version >"$T/x86.version" 2>&1
# but the sandbox line: qemu-user passes no Landlock call to the kernel
check "--version: the x86_64 binary's, line for line (version, mbedTLS, build date, roots)" \
	cmp -s <(grep -v '^sandbox: ' "$o") <(grep -v '^sandbox: ' "$T/x86.version")
check "--version under qemu: says it is not sandboxed" grep -q '^sandbox: none' "$o"

# ---- the unit tests, built for aarch64 ----------------------------------------------------
n=0
for t in "$A"/tests/test_*; do
	[ -x "$t" ] || continue
	u=unit/$(basename "$t")
	n=$((n + 1))
	# In the environment run.sh gives the x86_64 ones (no test CA).
	env -u REFLEXE_CA_FILE "$QEMU" "$t" >"$o" 2>&1; rc=$?
	while IFS= read -r l; do
		case $l in
		"PASS "*) pass "$u: ${l#PASS }" ;;
		"FAIL "*) fail "$u: ${l#FAIL }" ;;
		esac
	done <"$o"
	if [ $rc != 0 ] && ! grep -q '^FAIL ' "$o"; then
		fail "$u: exited $rc without naming a failure"
		tail -5 "$o"
	fi
done
check "unit/*: built for aarch64 ($n), as many as for x86_64" \
	test "$n" = "$(find "$TESTBIN/tests" -maxdepth 1 -name 'test_*' -type f | wc -l)"

# ---- the logbook ------------------------------------------------------------------
C=$T/case
export REFLEXE_WHO=tests
q "$RA" courante init --case "$C" >"$o" 2>"$e"; rc=$?
check "courante init: exit 0" test $rc = 0
q "$RA" courante add "premier / first (aarch64)" --case "$C" --targets admin@contoso.com >"$o" 2>"$e"; rc=$?
check "courante add: exit 0" test $rc = 0
q "$RA" courante add "second (aarch64)" --case "$C" --status todo >"$o" 2>"$e"
check "courante verify: chain intact" bash -c "'$QEMU' '$RA' courante verify --case '$C' | grep -q '3 lines, chain intact'"
check "courante verify: the x86_64 binary reads the aarch64 logbook" bash -c "'$REFLEXE' courante verify --case '$C' >/dev/null"
"$REFLEXE" courante add "third (x86_64)" --case "$C" >/dev/null 2>&1
check "courante verify: the aarch64 binary reads a line the x86_64 one added" bash -c \
	"'$QEMU' '$RA' courante verify --case '$C' | grep -q '4 lines, chain intact'"
cp -r "$C" "$T/tampered"
sed -i 's/premier/Premier/' "$T/tampered/courante.jsonl"
q "$RA" courante verify --case "$T/tampered" >"$o" 2>"$e"; rc=$?
check "courante verify: an edited line is caught (exit 1, got $rc)" test $rc = 1
check "courante verify: ... and named" bash -c "cat '$e' '$o' | grep -Eq 'line [0-9]+: hash mismatch'"

# ---- TLS ------------------------------------------------------------------------------
net_listen t13 rsa 1.3
net_listen t13c rsa 1.3,client
net_listen t12 ecdsa 1.2
net_listen bad unknownroot 1.3
net_start
HG=$A/tests/tools/httpget
N=1048576
expected_body $N >"$T/want"
for l in t13:TLSv1.3 t12:TLSv1.2; do
	name=${l%%:*} ver=${l#*:}
	q "$HG" -o "$T/body-$name" "https://localhost:$(port "$name")/cl?n=$N" >"$o" 2>"$e"; rc=$?
	check "httpget $name: 1 MB over $ver, exit 0" test $rc = 0
	check "httpget $name: the body, byte for byte" cmp -s "$T/body-$name" "$T/want"
	check "httpget $name: server saw $ver" srv_wait "^tls $name $ver$"
	check "httpget $name: an AEAD suite ($(grep "^cipher $name " "$SRV_LOG" | tail -1 | cut -d' ' -f3))" \
		srv_wait "^cipher $name .*(GCM|CHACHA20)"
done
q "$HG" -o "$T/body-t13c" "https://localhost:$(port t13c)/cl?n=$N" >"$o" 2>"$e"
check "httpget t13c: the body, byte for byte" cmp -s "$T/body-t13c" "$T/want"
check "httpget t13c: a server that takes the client's order: AES-128-GCM, first on a CPU with AES and PMULL" \
	srv_wait '^cipher t13c TLS_AES_128_GCM_SHA256$'
q "$HG" "https://localhost:$(port bad)/small" >"$o" 2>"$e"; rc=$?
check "TLS: a chain to another root refused (exit 3, got $rc)" test $rc = 3
check "TLS: ... as an unknown authority" contains "$e" "unknown certificate authority"
(unset REFLEXE_CA_FILE; q "$HG" "https://localhost:$(port t13)/small") >"$o" 2>"$e"; rc=$?
check "TLS: compiled-in roots only: the test CA is not trusted (exit 3, got $rc)" test $rc = 3
check "TLS: compiled-in roots only: ... unknown authority" contains "$e" "unknown certificate authority"
check "TLS: no HTTP request reached the server on a refused chain" bash -c "[ \$(grep -c '^req bad ' '$SRV_LOG') = 0 ]"

# ---- a live check-admins against the fake Microsoft servers --------------------------------
fake rogue --tenant-file "$TOP/tests/fake/tenants/admins-rogue.json"
export AZURE_TENANT_ID=contoso.onmicrosoft.com AZURE_CLIENT_ID=$APP AZURE_CLIENT_SECRET=$SECRET
export REFLEXE_KEYRING=off
chk() { python3 "$TOP/tests/fixtures/admins/check.py" "$@"; }
"$REFLEXE" check-admins --case "$T/x86" --format json >"$T/x86.json" 2>"$T/x86.err"
q "$RA" check-admins --case "$T/arm" --format json >"$T/arm.json" 2>"$T/arm.err"; rc=$?
check "check-admins live: exit 1 (findings)" test $rc = 1
check "check-admins live: ADM-006 critical, confirmed" chk "$T/arm.json" has ADM-006 critical confirmed it.support@contoso.com
check "check-admins live: the x86_64 binary's findings and unknowns" chk "$T/arm.json" same "$T/x86.json"
check "check-admins live: manifest.sha256 verifies" bash -c "cd '$T/arm' && sha256sum -c --strict --quiet manifest.sha256"
q "$RA" check-admins --offline --case "$T/x86" --format json >"$T/arm-off.json" 2>"$e"
check "check-admins --offline on the x86_64 binary's case: the same findings" chk "$T/arm-off.json" same "$T/x86.json"


# ---- the x86_64 binary on a CPU without AES-NI -------------------------------------------
# qemu64: SSE3 only. aesni.c is built with -mssse3 (Makefile): a SSSE3
# instruction reached here would be SIGILL, exit 132.
Q64=$(command -v qemu-x86_64-static || command -v qemu-x86_64) ||
	{ fail "qemu-user for x86_64 is installed (qemu-user-static)"; exit 1; }
X=$TESTBIN/tests/tools/httpget
for l in t13c:TLS_AES_128_GCM_SHA256 t13:TLS_AES_256_GCM_SHA384 t12:ECDHE-ECDSA-AES256-GCM-SHA384; do
	name=${l%%:*} suite=${l#*:}
	: >"$SRV_LOG"
	"$Q64" -cpu qemu64 "$X" -o "$T/body64-$name" "https://localhost:$(port "$name")/cl?n=$N" >"$o" 2>"$e"; rc=$?
	check "no AES-NI, $name: exit 0 (got $rc), the body byte for byte" bash -c "[ $rc = 0 ] && cmp -s '$T/body64-$name' '$T/want'"
	check "no AES-NI, $name: $suite" srv_wait "^cipher $name $suite$"
done
