#!/bin/sh
# Fetch and verify the pinned third-party sources into vendor/src/.
#   vendor/fetch.sh [test]
#   VENDOR_SRC=DIR  take the tarballs from DIR (no network at all)
# With "test" (make test), also the sources of a test tool that is not in
# the binary: fusefatfs, a FUSE driver for FAT over ChaN's FatFs
# (tests/it/fat.sh; Debian's trixie source package fuse-umfuse-fat
# 0.3+dfsg-1, as bookworm's fusefat 0.1a refuses to reopen for writing a
# file smaller than a cluster that it created).
# Sources come from Debian's source packages (deb-src); the SHA-256 sums in
# vendor/SHA256SUMS are the ones Debian publishes in the .dsc files
# (mbedtls 3.6.6-0.1~deb13u1, jsmn 1.1.0-2, fuse-umfuse-fat 0.3+dfsg-1),
# checked before anything is unpacked.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dl="$here/dl"
src="$here/src"
mkdir -p "$dl" "$src"

say() { printf 'vendor: %s\n' "$*" >&2; }
die() { printf 'vendor: %s\n' "$*" >&2; exit 1; }

want() { awk -v f="$1" '$2 == f { print $1 }' "$here/SHA256SUMS"; }

verify() {  # verify FILE -> 0 if its sum matches the pin
	f=$1; exp=$(want "$(basename "$f")")
	[ -n "$exp" ] || die "no pinned sum for $(basename "$f") / aucune empreinte épinglée"
	got=$(sha256sum "$f" | cut -d' ' -f1)
	[ "$got" = "$exp" ]
}

fetch() {  # fetch DEBIAN-SOURCE-PACKAGE TARBALL
	pkg=$1; tb=$2
	if [ -f "$dl/$tb" ] && verify "$dl/$tb"; then return 0; fi
	rm -f "$dl/$tb"
	if [ -n "${VENDOR_SRC:-}" ]; then
		[ -f "$VENDOR_SRC/$tb" ] || die "$tb not found in VENDOR_SRC=$VENDOR_SRC / introuvable dans VENDOR_SRC"
		cp "$VENDOR_SRC/$tb" "$dl/$tb"
	else
		say "fetching $tb (apt-get source $pkg)"
		tmp=$(mktemp -d)
		# apt may fail on a file we do not need (e.g. the .debian.tar.xz);
		# only the pinned .orig tarball matters and it is checked below.
		(cd "$tmp" && apt-get source --download-only -qq "$pkg" >/dev/null 2>&1) || true
		[ -f "$tmp/$tb" ] || { rm -rf "$tmp"; die "could not download $tb: add a deb-src entry for trixie (see build.sh) or set VENDOR_SRC / téléchargement impossible"; }
		mv "$tmp/$tb" "$dl/$tb"; rm -rf "$tmp"
	fi
	if ! verify "$dl/$tb"; then
		mv "$dl/$tb" "$dl/$tb.rejected"
		die "SHA-256 MISMATCH for $tb: expected $(want "$tb"), got $(sha256sum "$dl/$tb.rejected" | cut -d' ' -f1). Refusing to build. / EMPREINTE SHA-256 INCORRECTE : construction refusée."
	fi
	say "$tb: SHA-256 OK"
}

unpack() {  # unpack TARBALL DIRNAME
	[ -f "$src/$2/.verified" ] && return 0
	rm -rf "${src:?}/$2"
	tar -C "$src" -xf "$dl/$1"
	[ -d "$src/$2" ] || die "$1 did not unpack to $2"
	touch "$src/$2/.verified"
}

fetch mbedtls mbedtls_3.6.6.orig.tar.bz2
fetch jsmn jsmn_1.1.0.orig.tar.gz
unpack mbedtls_3.6.6.orig.tar.bz2 mbedtls-3.6.6
unpack jsmn_1.1.0.orig.tar.gz jsmn-1.1.0
if [ "${1:-}" = test ]; then
	fetch fuse-umfuse-fat fuse-umfuse-fat_0.3+dfsg.orig.tar.xz
	unpack fuse-umfuse-fat_0.3+dfsg.orig.tar.xz fusefatfs-0.3
fi
