#!/bin/sh
# Records the demo case, a fictitious case marked DÉMO, against the fake
# Microsoft servers of the tests:
#   kit/demo.sh BIN DIR
# BIN: the reflexe binary, or the kit's launcher (a script, run with sh);
# DIR: the case folder, made anew. One mechanism for both demos:
# kit/assemble.sh records the kit's demo-case/ with it at every assembly
# (through the launcher, as a responder runs it), and
# `kit/demo.sh ./reflexe kit/demo` regenerates the repository's kit/demo/
# (README.txt's third command qualifies it).
#
# Recorded the way a responder records a real case (logbook first, then a
# live check-admins, check-mail and check-apps signed in as an
# application), against tests/fake/msfake.py serving
# tests/fake/tenants/demo.json (a global administrator created and
# granted within the window, no MFA, risky sign-ins, a password spray; the
# sprayed account's mailbox forwarded outside, with an inbox rule hiding
# payment words), with a CA made for this run only.
# Its times are relative to when it is recorded; --offline judges the case
# against that time, so it gives the same findings on any day. Its answers
# for `qualify` are kit/demo-answers.ini (not in the case: qualify copies
# the file it is given into the case, hashed and cited).
# Needs python3 and openssl.
set -eu

[ $# = 2 ] || { echo "usage: kit/demo.sh BIN DIR" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir=$2
die() { echo "kit/demo.sh: $*" >&2; exit 1; }
[ -f "$bin" ] || die "no reflexe binary at $1"
# the launcher is a script: sh runs it wherever its executable bit is lost
run=""
[ "$(head -c 2 "$bin")" = "#!" ] && run=sh
for t in python3 openssl; do
	command -v $t >/dev/null || die "$t is needed to record the demo case"
done
ver=$($run "$bin" --version 2>/dev/null | sed -n '1s/^reflexe //p')

work=$(mktemp -d "${TMPDIR:-/tmp}/reflexe-demo.XXXXXX")
fake_pid=
cleanup() {
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

sh "$top/tests/pki.sh" "$work/pki" >"$work/pki.log" 2>&1 ||
	{ cat "$work/pki.log" >&2; die "tests/pki.sh failed (openssl)"; }
app=3c9e2f1a-7b4d-4c8e-9f0a-1b2c3d4e5f6a
secret="demo-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
python3 "$top/tests/fake/msfake.py" --cert "$work/pki/rsa.chain.pem" --key "$work/pki/rsa.key" \
	--port 0 --port-file "$work/port" --log "$work/fake.jsonl" \
	--client-id "$app" --client-secret "$secret" \
	--tenant-file "$top/tests/fake/tenants/demo.json" 2>"$work/fake.err" &
fake_pid=$!
i=0
while [ ! -s "$work/port" ] && [ $i -lt 300 ]; do
	kill -0 $fake_pid 2>/dev/null || break
	sleep 0.1; i=$((i + 1))
done
[ -s "$work/port" ] || { cat "$work/fake.err" >&2; die "the fake Microsoft servers (tests/fake/msfake.py) did not start"; }
url=https://127.0.0.1:$(cat "$work/port")

# The case is recorded in a scratch folder, then moved into place: a
# recording that fails leaves DIR as it was.
mkdir -p "$work/out"
base=$(basename "$dir")
# A clean environment: nothing of the caller's own sessions, proxy, case
# or name leaks into the demo, and no keyring is touched.
demo() {
	(cd "$work/out" && env -i PATH="$PATH" HOME="$work" TZ=UTC LANG=C.UTF-8 \
		REFLEXE_KEYRING=off REFLEXE_CA_FILE="$work/pki/ca.pem" \
		AZURE_AUTHORITY_HOST="$url" REFLEXE_GRAPH_URL="$url" REFLEXE_EXO_URL="$url" \
		AZURE_TENANT_ID=contoso.onmicrosoft.com AZURE_CLIENT_ID="$app" AZURE_CLIENT_SECRET="$secret" \
		$run "$bin" "$@")
}
who="reflexe kit (DEMO)"
demo courante add "DÉMO — cas fictif / DEMO — fictitious case (reflexe $ver, tests/fake/tenants/demo.json)" \
	--case "$base" --who "$who" --source "kit/demo.sh" >"$work/add1" 2>&1 ||
	{ cat "$work/add1" >&2; die "courante add failed"; }
demo courante add "DÉMO — alerte : connexions inhabituelles d'un compte d'assistance / DEMO — alert: unusual sign-ins of a support account" \
	--case "$base" --who "$who" --source "astreinte" >"$work/add2" 2>&1 ||
	{ cat "$work/add2" >&2; die "courante add failed"; }
rc=0
demo check-admins --case "$base" --who "$who" --format json >"$work/live.json" 2>"$work/live.err" || rc=$?
# 1: findings, as this scenario must give; anything else is a failure.
[ $rc = 1 ] || { cat "$work/live.err" >&2; die "check-admins against the fake exited $rc, want 1 (findings)"; }
for c in check-mail check-apps; do
	rc=0
	demo $c --case "$base" --who "$who" --format json >"$work/$c.json" 2>"$work/$c.err" || rc=$?
	# check-mail finds the mailbox traces (1); check-apps, the clean
	# tenant's applications (0, or 1 for low findings)
	[ $rc -le 1 ] || { cat "$work/$c.err" >&2; die "$c against the fake exited $rc, want 0 or 1"; }
done
demo courante add "DÉMO — à faire : réinitialiser le mot de passe de it.support@contoso.com, révoquer ses sessions / DEMO — to do: reset it.support's password, revoke its sessions" \
	--case "$base" --who "$who" --targets it.support@contoso.com --status todo >"$work/add3" 2>&1 ||
	{ cat "$work/add3" >&2; die "courante add failed"; }
kill $fake_pid 2>/dev/null; wait $fake_pid 2>/dev/null || :
fake_pid=
(cd "$work/out/$base" && sha256sum -c --strict --quiet manifest.sha256 >/dev/null) ||
	die "the case's manifest.sha256 does not verify"
# the demo's secret must not be anywhere in it
! grep -rq "$secret" "$work/out/$base" || die "the demo's client secret leaked into the case"

rm -rf "$dir"
mkdir -p "$(dirname "$dir")"
mv "$work/out/$base" "$dir"
