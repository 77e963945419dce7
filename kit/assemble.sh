#!/bin/sh
# Assembles the USB crisis kit (make kit):
#   kit/assemble.sh [-o DIR] [--bin FILE]... [--tar] [--any-binary]
# into DIR/reflexe-kit-<version>/ (DIR: build/kit), <version> being what
# the binaries' --version says (the same for all):
#   reflexe                   the launcher (kit/launcher.sh): runs the binary
#                             that fits the machine's processor (uname -m)
#   reflexe-x86_64            the static, stripped binary for 64-bit PCs
#   reflexe-aarch64           the same for 64-bit ARM
#   README.txt                usage, one screen per applet
#   playbook-fr.md            the printable step-by-step (French, the main one)
#   playbook-en.md            the same in English
#   baseline-modele.ini       baseline template, to fill in peacetime
#   courante-modele.csv       paper / spreadsheet logbook template
#   demo-case/                a fictitious case, recorded live from the fake
#                             Microsoft servers (tests/fake/) at assembly time
#   demo-case-baseline.ini    the fictitious tenant's baseline
#   SHA256SUMS                every file above; `sha256sum -c SHA256SUMS`
# --bin FILE, once per binary: its architecture is read from its ELF
# header (default: the release binaries make builds, ./reflexe and
# build/rel-*/reflexe). A binary for another processor than the host's is
# run under qemu-user (Debian's qemu-user-static) to read its version.
# --tar also writes DIR/reflexe-kit-<version>.tar.gz (reproducible options).
# --any-binary accepts binaries that are not static and stripped, and a
# kit without both architectures (make check's sanitizer build, in
# tests/it/kit.sh); never for a real kit.
#
# Sticks are FAT or exFAT: no symlinks, names ASCII and unique without
# regard to case, nothing relies on an executable bit but the launcher's
# and the binaries' (and the launcher copes without those:
# `sh reflexe`). Assembling again replaces the kit whole (built beside
# it, then renamed). Needs python3 and openssl (the fake servers and
# their throw-away CA).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/kit
bins=
tar=0
any=0
die() { echo "kit/assemble.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
	case $1 in
	-o) [ $# -ge 2 ] || die "-o needs a folder"; out=$2; shift ;;
	--bin) [ $# -ge 2 ] || die "--bin needs a file"; bins="$bins
$2"; shift ;;
	--tar) tar=1 ;;
	--any-binary) any=1 ;;
	-h|--help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument: $1 (see --help)" ;;
	esac
	shift
done

# ---- the binaries ----------------------------------------------------------------
# One per line (paths may hold spaces, not newlines).
if [ -z "$bins" ]; then
	bins=$top/reflexe
	for b in "$top"/build/rel-*/reflexe; do
		[ -f "$b" ] && bins="$bins
$b"
	done
fi
# elf_arch FILE: x86_64 or aarch64 from the ELF header (64-bit
# little-endian, e_machine 62 or 183), or nothing.
elf_arch() {
	[ "$(od -An -tx1 -N6 "$1" 2>/dev/null | tr -d ' \n')" = 7f454c460201 ] || return 0
	case $(od -An -tu2 -j18 -N2 "$1" | tr -d ' ') in
	62) echo x86_64 ;;
	183) echo aarch64 ;;
	esac
}
host=$(uname -m)
ver= arches=
IFS_=$IFS
IFS='
'
for bin in $bins; do
	IFS=$IFS_
	[ -f "$bin" ] && [ -x "$bin" ] ||
		die "no reflexe binary at $bin: build it first ('make', or 'make kit' which builds it)"
	a=$(elf_arch "$bin")
	[ -n "$a" ] || die "$bin is not a 64-bit x86_64 or aarch64 ELF binary"
	case " $arches " in *" $a "*) die "two binaries for $a: give one per architecture" ;; esac
	run=
	if [ "$a" != "$host" ]; then
		run=$(command -v "qemu-$a-static" || command -v "qemu-$a") ||
			die "$bin is for $a: qemu-user is needed to read its version (apt-get install qemu-user-static)"
	fi
	v=$($run "$bin" --version 2>/dev/null | sed -n '1s/^reflexe \([0-9A-Za-z.+~-]*\)$/\1/p') || v=
	[ -n "$v" ] || die "$bin --version does not say 'reflexe VERSION': not a reflexe binary?"
	[ -z "$ver" ] || [ "$v" = "$ver" ] || die "$bin is version $v, another binary $ver: rebuild both ('make')"
	ver=$v
	if [ $any = 0 ]; then
		command -v readelf >/dev/null || die "readelf (binutils) is needed to check that $bin is static and stripped"
		# A program interpreter means dynamic linking: the kit must run on any
		# Linux without its libraries. A symbol table means not stripped.
		readelf -lW "$bin" | grep -q 'INTERP' && die "$bin is dynamically linked: build the release binary with 'make'"
		readelf -SW "$bin" | grep -q '\.symtab' && die "$bin is not stripped: build the release binary with 'make'"
	fi
	arches="$arches $a"
	eval "bin_$a=\$bin"
	IFS='
'
done
IFS=$IFS_
[ -n "$ver" ] || die "no reflexe binary given"
if [ $any = 0 ]; then
	for a in x86_64 aarch64; do
		case " $arches " in *" $a "*) ;; *) die "no $a binary: a kit holds both (x86_64 and aarch64); build them with 'make' (./build.sh)" ;; esac
	done
fi
case " $arches " in *" $host "*) ;; *) die "no binary for this machine ($host): the demo case is recorded with it" ;; esac
for t in python3 openssl sha256sum; do
	command -v $t >/dev/null || die "$t is needed to record the demo case"
done

name=reflexe-kit-$ver
mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$out/.$name.partial
work=$(mktemp -d "${TMPDIR:-/tmp}/reflexe-kit.XXXXXX")
fake_pid=
cleanup() {
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
	rm -rf "$work" "$stage"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
rm -rf "$stage"
mkdir -p "$stage"

for a in $arches; do
	eval "cp \"\$bin_$a\" \"\$stage/reflexe-$a\""
done
cp "$top/kit/launcher.sh" "$stage/reflexe"
chmod 755 "$stage/reflexe" "$stage"/reflexe-*
cp "$top/README.txt" "$top/kit/playbook-fr.md" "$top/kit/playbook-en.md" \
	"$top/kit/baseline-modele.ini" "$top/kit/courante-modele.csv" "$stage/"

# ---- the demo case ----------------------------------------------------------------
# Recorded the way a responder records a real one (through the launcher;
# logbook first, then a live check-admins signed in as an application),
# against the fake Microsoft servers serving
# tests/fake/tenants/admins-rogue.json (a global administrator created and
# granted within the window, no MFA, risky sign-ins, a password spray)
# with a CA made for this run only. Its
# timestamps are relative to now; --offline judges the case against the
# time it was recorded, so it gives the same findings on any day.
sh "$top/tests/pki.sh" "$work/pki" >"$work/pki.log" 2>&1 ||
	{ cat "$work/pki.log" >&2; die "tests/pki.sh failed (openssl)"; }
app=3c9e2f1a-7b4d-4c8e-9f0a-1b2c3d4e5f6a
secret="demo-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
python3 "$top/tests/fake/msfake.py" --cert "$work/pki/rsa.chain.pem" --key "$work/pki/rsa.key" \
	--port 0 --port-file "$work/port" --log "$work/fake.jsonl" \
	--client-id "$app" --client-secret "$secret" \
	--tenant-file "$top/tests/fake/tenants/admins-rogue.json" 2>"$work/fake.err" &
fake_pid=$!
i=0
while [ ! -s "$work/port" ] && [ $i -lt 300 ]; do
	kill -0 $fake_pid 2>/dev/null || break
	sleep 0.1; i=$((i + 1))
done
[ -s "$work/port" ] || { cat "$work/fake.err" >&2; die "the fake Microsoft servers (tests/fake/msfake.py) did not start"; }
url=https://127.0.0.1:$(cat "$work/port")

# A clean environment: nothing of the assembler's own sessions, proxy,
# case or name leaks into the demo, and no keyring is touched.
demo() {
	(cd "$stage" && env -i PATH="$PATH" HOME="$work" TZ=UTC LANG=C.UTF-8 \
		REFLEXE_KEYRING=off REFLEXE_CA_FILE="$work/pki/ca.pem" \
		AZURE_AUTHORITY_HOST="$url" REFLEXE_GRAPH_URL="$url" REFLEXE_EXO_URL="$url" \
		AZURE_TENANT_ID=contoso.onmicrosoft.com AZURE_CLIENT_ID="$app" AZURE_CLIENT_SECRET="$secret" \
		sh "$stage/reflexe" "$@")
}
who="reflexe kit (DEMO)"
demo courante add "DÉMO — cas fictif / DEMO — fictitious case (reflexe kit $ver, tests/fake/tenants/admins-rogue.json)" \
	--case demo-case --who "$who" --source "kit/assemble.sh" >"$work/add1" 2>&1 ||
	{ cat "$work/add1" >&2; die "demo: courante add failed"; }
rc=0
demo check-admins --case demo-case --who "$who" --format json >"$work/live.json" 2>"$work/live.err" || rc=$?
# 1: findings, as this scenario must give; anything else is a failure.
[ $rc = 1 ] || { cat "$work/live.err" >&2; die "demo: check-admins against the fake exited $rc, want 1 (findings)"; }
demo courante add "DÉMO — à faire : réinitialiser le mot de passe de it.support@contoso.com, révoquer ses sessions / DEMO — to do: reset it.support's password, revoke its sessions" \
	--case demo-case --who "$who" --targets it.support@contoso.com --status todo >"$work/add2" 2>&1 ||
	{ cat "$work/add2" >&2; die "demo: courante add failed"; }
kill $fake_pid 2>/dev/null; wait $fake_pid 2>/dev/null || :
fake_pid=
(cd "$stage/demo-case" && sha256sum -c --strict --quiet manifest.sha256 >/dev/null) ||
	die "demo: the case's manifest.sha256 does not verify"
{
	echo "; DÉMO — cas fictif / DEMO — fictitious case"
	echo "; Référentiel du tenant fictif de demo-case/ (faux serveurs Microsoft des tests)."
	echo "; Baseline of demo-case/'s fictitious tenant (the tests' fake Microsoft servers)."
	echo ";   reflexe check-admins --offline --case demo-case --baseline demo-case-baseline.ini"
	grep -v '^;' "$top/tests/fixtures/admins/fake-baseline.ini"
} >"$stage/demo-case-baseline.ini"

# ---- FAT/exFAT-safe, then the sums ---------------------------------------------
find "$stage" -type d -exec chmod 755 {} +
find "$stage" -type f -exec chmod 644 {} +
chmod 755 "$stage/reflexe" "$stage"/reflexe-*
bad=$(find "$stage" ! -type f ! -type d)
[ -z "$bad" ] || die "not a plain file or folder (a stick cannot hold it): $bad"
bad=$(cd "$stage" && find . -mindepth 1 | sed 's|^\./||' | tr '/' '\n' | LC_ALL=C grep -v '^[A-Za-z0-9._@+-]*$' || :)
[ -z "$bad" ] || die "names a FAT/exFAT stick may mangle: $bad"
bad=$(cd "$stage" && find . | LC_ALL=C tr 'A-Z' 'a-z' | LC_ALL=C sort | uniq -d)
[ -z "$bad" ] || die "names that differ only by case (one file on FAT/exFAT): $bad"
# (Written outside the kit first: find must not see a half-written list.)
(cd "$stage" && find . -type f | sed 's|^\./||' | LC_ALL=C sort |
	while IFS= read -r f; do sha256sum -- "$f"; done) >"$work/SHA256SUMS"
mv "$work/SHA256SUMS" "$stage/SHA256SUMS"
(cd "$stage" && sha256sum -c --strict --quiet SHA256SUMS >/dev/null) || die "SHA256SUMS does not verify"

rm -rf "${out:?}/$name"
mv "$stage" "$out/$name"

if [ $tar = 1 ]; then
	epoch=${SOURCE_DATE_EPOCH:-$(git -C "$top" log -1 --format=%ct 2>/dev/null || date +%s)}
	tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
		-C "$out" -cf - "$name" | gzip -9n >"$out/$name.tar.gz.tmp"
	mv "$out/$name.tar.gz.tmp" "$out/$name.tar.gz"
fi

n=$(wc -l <"$out/$name/SHA256SUMS")
sums=$(sha256sum "$out/$name/SHA256SUMS" | cut -d' ' -f1)
echo "kit: $out/$name ($n files)"
[ $tar = 1 ] && echo "kit: $out/$name.tar.gz"
echo "SHA256SUMS itself: $sums"
echo "  (write it on the printed playbook: it vouches for SHA256SUMS, which vouches for the rest)"
echo "Verify the stick before use (copy reflexe-kit-$ver/ onto it, then from the folder holding it):"
echo "  cd $name && sha256sum -c SHA256SUMS"
