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
#   reponses-modele.ini       the blank questionnaire (report --questions)
#   demo-case/                a fictitious case, recorded live from the fake
#                             Microsoft servers (tests/fake/) at assembly time
#                             by kit/demo.sh
#   demo-case-answers.ini     its answers, for qualify
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
# it, then renamed). Needs python3 and openssl (kit/demo.sh: the fake
# servers and their throw-away CA).
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
cleanup() {
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
	"$top/kit/baseline-modele.ini" "$top/kit/courante-modele.csv" "$top/kit/reponses-modele.ini" "$stage/"

# ---- the demo case ----------------------------------------------------------------
# Recorded live from the fake Microsoft servers by kit/demo.sh, through the
# launcher as a responder runs it (the same script regenerates the
# repository's kit/demo/), with its answers for qualify and its baseline
# beside it.
sh "$top/kit/demo.sh" "$stage/reflexe" "$stage/demo-case" || die "demo: kit/demo.sh failed"
cp "$top/kit/demo-answers.ini" "$stage/demo-case-answers.ini"
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
