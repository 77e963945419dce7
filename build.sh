#!/bin/sh
# Set-up and build on a fresh Debian machine (bookworm or later):
#   1. installs what is missing with apt (when run as root),
#   2. fetches the pinned vendor sources and checks their SHA-256,
#   3. builds ./reflexe (musl, static, stripped).
# Offline: VENDOR_SRC=DIR ./build.sh takes the tarballs from DIR.
# Running it again when everything is up to date does nothing.
set -eu
cd "$(dirname "$0")"

say() { printf 'build: %s\n' "$*" >&2; }

# command -> Debian package that provides it (build, then tests; chromium
# and pdftotext print the HTML report to PDF in tests/it/report_html.sh)
missing=""
for pair in musl-gcc:musl-tools gcc:gcc make:make tar:tar bzip2:bzip2 \
	    python3:python3 openssl:openssl tinyproxy:tinyproxy curl:curl \
	    file:file chromium:chromium pdftotext:poppler-utils; do
	cmd=${pair%%:*}; pkg=${pair#*:}
	command -v "$cmd" >/dev/null 2>&1 || missing="$missing $pkg"
done

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
	say "apt-get update"
	apt-get update -qq >/dev/null
	if [ -n "$missing" ]; then
		say "installing:$missing"
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
	fi
fi

./vendor/fetch.sh
exec make --no-print-directory
