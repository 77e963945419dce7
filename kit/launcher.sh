#!/bin/sh
# reflexe — the kit's launcher (kit/launcher.sh, copied as `reflexe` into
# the kit by kit/assemble.sh). It runs the binary of this kit that fits
# the machine's processor, with the same arguments:
#   reflexe-x86_64    64-bit PCs
#   reflexe-aarch64   64-bit ARM (recent laptops, Raspberry Pi with a
#                     64-bit kernel: a static binary needs no 64-bit userland)
# and says so, and exits 3, when none fits (a 32-bit system, another
# processor). `./reflexe …`, or `sh reflexe …` on a stick mounted without
# the right to run programs (noexec; vfat's showexec, a desktop's usual
# mount, leaves only *.exe runnable): the binary then cannot be run from
# the stick either, so it is copied into a private temporary folder,
# checked against the kit's SHA256SUMS, run from there and removed.
# POSIX sh only (dash, busybox). The binary cannot speak for a launcher
# that could not start it: its messages are here, French then English.

say() { printf 'reflexe : %s\nreflexe: %s\n' "$1" "$2" >&2; }

here=$(dirname -- "$0")
machine=$(uname -m 2>/dev/null) || machine=
case $machine in
x86_64 | amd64) arch=x86_64 ;;
aarch64 | arm64) arch=aarch64 ;;
*) arch= ;;
esac
held=
for f in "$here"/reflexe-*; do
	[ -f "$f" ] && held="$held ${f##*/reflexe-}"
done
if [ -z "$arch" ] || [ ! -f "$here/reflexe-$arch" ]; then
	say "aucun binaire de ce kit ne convient à ce processeur (uname -m : ${machine:-?}) ; le kit contient :${held:- rien}. Il faut un PC 64 bits (x86_64) ou une machine ARM 64 bits (aarch64) ; un système 32 bits (armv7l, i686) ne convient pas : prenez un autre poste." \
	    "no binary of this kit fits this processor (uname -m: ${machine:-?}); the kit holds:${held:- nothing}. It needs a 64-bit PC (x86_64) or a 64-bit ARM machine (aarch64); a 32-bit system (armv7l, i686) will not do: use another machine."
	exit 3
fi
bin=$here/reflexe-$arch

# Straight from the stick when it lets programs run (a probe, since a
# failed exec would end this script).
if "$bin" --version >/dev/null 2>&1; then
	exec "$bin" "$@"
fi

# The stick does not: a private copy elsewhere, verified first.
want=
if [ -f "$here/SHA256SUMS" ]; then
	want=$(sed -n "s/^\([0-9a-f]\{64\}\)  reflexe-$arch\$/\1/p" "$here/SHA256SUMS")
fi
tmp=
cleanup() { [ -n "$tmp" ] && rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
for d in "${XDG_RUNTIME_DIR:-}" "${TMPDIR:-/tmp}" /dev/shm; do
	[ -n "$d" ] && [ -d "$d" ] && [ -w "$d" ] || continue
	tmp=$(umask 077 && mktemp -d "$d/reflexe.XXXXXX" 2>/dev/null) || { tmp=; continue; }
	if cp "$bin" "$tmp/reflexe-$arch" 2>/dev/null && chmod 700 "$tmp/reflexe-$arch"; then
		if [ -n "$want" ] && command -v sha256sum >/dev/null 2>&1; then
			got=$(sha256sum "$tmp/reflexe-$arch" | cut -d' ' -f1)
			if [ "$got" != "$want" ]; then
				say "reflexe-$arch ne correspond pas à SHA256SUMS : kit abîmé ou modifié, rien n'est lancé (sha256sum -c SHA256SUMS)." \
				    "reflexe-$arch does not match SHA256SUMS: a damaged or altered kit, nothing is run (sha256sum -c SHA256SUMS)."
				exit 3
			fi
		fi
		if "$tmp/reflexe-$arch" --version >/dev/null 2>&1; then
			"$tmp/reflexe-$arch" "$@"
			exit $?
		fi
	fi
	rm -rf "$tmp"
	tmp=
done
say "impossible de lancer reflexe-$arch, ni depuis la clé (montée sans droit d'exécution ?) ni depuis un dossier temporaire : copiez le dossier du kit sur le disque du poste et lancez ./reflexe depuis cette copie." \
    "cannot run reflexe-$arch, neither from the stick (mounted without the right to run programs?) nor from a temporary folder: copy the kit folder onto the machine's disk and run ./reflexe from that copy."
exit 3
