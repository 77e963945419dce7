#!/bin/sh
# Set-up and build on a fresh Debian machine (bookworm or later):
#   1. installs what is missing with apt (when run as root),
#   2. fetches the pinned vendor sources and checks their SHA-256,
#   3. builds the kit's two binaries (musl, static, stripped): ./reflexe
#      for this machine (x86_64) and build/rel-aarch64/reflexe.
# ARCH=aarch64 ./build.sh (or x86_64) builds that one only.
# Offline: VENDOR_SRC=DIR ./build.sh takes the tarballs from DIR.
# Running it again when everything is up to date does nothing.
#
# The aarch64 binary is cross-compiled against Debian's own musl for
# arm64 (musl-dev:arm64, through dpkg's multiarch): the very version the
# x86_64 binary links (1.2.3-1, one source package), built and patched by
# Debian, with its aarch64-linux-musl-gcc wrapper over Debian's cross gcc.
# Building musl ourselves from its source package would give the same
# code with one more build step to keep. make test runs that binary and
# the unit tests built for aarch64 under qemu-user, and mounts a FAT32
# image with fusefatfs (built from its Debian source package against
# libfuse): those packages are installed here too.
set -eu
cd "$(dirname "$0")"

say() { printf 'build: %s\n' "$*" >&2; }

arches=$(echo "${ARCH:-x86_64 aarch64}" | sed 's/\barm64\b/aarch64/g; s/\bamd64\b/x86_64/g')
host=$(uname -m)
foreign=""
# command -> Debian package that provides it (build, then tests; chromium
# and pdftotext print the HTML report to PDF in tests/it/report_html.sh)
pairs="gcc:gcc make:make tar:tar bzip2:bzip2 readelf:binutils \
       python3:python3 zopfli:zopfli openssl:openssl tinyproxy:tinyproxy curl:curl \
       file:file mkfs.vfat:dosfstools mcopy:mtools fusermount:fuse pkg-config:pkg-config \
       chromium:chromium pdftotext:poppler-utils"
for a in $arches; do
	case $a in
	x86_64) deb=amd64 gnu=x86-64 ;;
	aarch64) deb=arm64 gnu=aarch64 ;;
	*) say "ARCH: $a is not one of the kit's architectures (x86_64, aarch64)"; exit 1 ;;
	esac
	pairs="$pairs $a-linux-musl-gcc:musl-dev:$deb"
	if [ "$a" != "$host" ]; then
		pairs="$pairs $a-linux-gnu-gcc:gcc-$gnu-linux-gnu qemu-$a-static:qemu-user-static"
		dpkg --print-architecture 2>/dev/null | grep -qx "$deb" ||
			dpkg --print-foreign-architectures 2>/dev/null | grep -qx "$deb" ||
			foreign="$foreign $deb"
	fi
done
missing=""
for pair in $pairs; do
	cmd=${pair%%:*}; pkg=${pair#*:}
	command -v "$cmd" >/dev/null 2>&1 || missing="$missing $pkg"
done
[ -f /usr/include/fuse/fuse.h ] || missing="$missing libfuse-dev"

have_vendor() {
	for f in mbedtls_3.6.6.orig.tar.bz2 jsmn_1.1.0.orig.tar.gz; do
		[ -f "vendor/dl/$f" ] || [ -f "${VENDOR_SRC:-/nonexistent}/$f" ] || return 1
	done
}

# apt-get source needs a deb-src entry carrying mbedtls 3.6.6 (trixie).
need_debsrc=0
if ! have_vendor && ! apt-cache showsrc mbedtls 2>/dev/null | grep -q '^Version: 3\.6\.6'; then
	need_debsrc=1
fi

if [ -n "$missing" ] || [ $need_debsrc = 1 ]; then
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		[ -n "$foreign" ] && say "dpkg --add-architecture$foreign is needed first (Debian's musl for that architecture)"
		[ -n "$missing" ] && say "missing / manquant :$missing — install them (apt-get install$missing) / installez-les"
		[ $need_debsrc = 1 ] && say "no deb-src entry for Debian trixie: add one, or set VENDOR_SRC=DIR with the tarballs"
		exit 1
	fi
	if [ $need_debsrc = 1 ]; then
		say "adding a deb-src entry for Debian trixie (mbedtls 3.6.6 source)"
		cat >/etc/apt/sources.list.d/reflexe-deb-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	fi
	for deb in $foreign; do
		say "dpkg --add-architecture $deb (Debian's musl for $deb: musl-dev:$deb)"
		dpkg --add-architecture "$deb"
	done
	say "apt-get update"
	apt-get update -qq >/dev/null
	if [ -n "$missing" ]; then
		say "installing:$missing"
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
	fi
fi

./vendor/fetch.sh
exec make --no-print-directory ARCH="$arches"
