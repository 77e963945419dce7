# The sandbox (core/sandbox.c) end to end, from inside the applets:
# tests/tools/sbxrun runs courante, login and logout as reflexe does,
# with a hook that, once the applet has narrowed itself, tries to write
# outside the case, read the responder's files, run a program and open a
# connection; each must be refused, and the applet's own work must still
# be done. REFLEXE_SANDBOX=off and a kernel without Landlock (a seccomp
# filter that makes the calls ENOSYS) show the same tries succeeding:
# the refusals come from the sandbox, not from the test.

# Own anonymous session keyring (as tests/it/login.sh): logout wipes
# reflexe keys, and must wipe none but this test's.

. "$(dirname "$0")/../lib.sh"
t_own_session_keyring "$@"
T=$T_DIR
SBX=$TESTBIN/tests/tools/sbxrun
unset AZURE_TENANT_ID AZURE_CLIENT_ID AZURE_CLIENT_SECRET AZURE_CLIENT_CERTIFICATE_PATH \
	AZURE_AUTHORITY_HOST REFLEXE_GRAPH_URL REFLEXE_EXO_URL REFLEXE_CA_FILE REFLEXE_CASE \
	REFLEXE_SANDBOX REFLEXE_JWT_ALG REFLEXE_CLOUD https_proxy HTTPS_PROXY no_proxy NO_PROXY \
	SBX_TRY_WRITE SBX_TRY_READ SBX_TRY_EXEC SBX_TRY_CONNECT SBX_NO_LANDLOCK
export REFLEXE_WHO=tester REFLEXE_KEYRING=off
mkdir -p "$T/work" "$T/elsewhere"
cd "$T/work"
echo "the responder's own file" >"$T/elsewhere/secret.txt"

# A listening port nobody named: a connection there must be refused.
rm -f "$T/lport"
bg python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
while True:
    c, _ = s.accept(); c.close()' "$T/lport"
wait_file "$T/lport" 10 || { fail "listener did not start"; exit 1; }
LPORT=$(cat "$T/lport")

# hook FILE N WHAT TARGET RESULT: the line the hook printed at narrowing N
hook() { grep -qxF "sbx-hook $2: $3 $4: $5" "$1"; }

# ---- --version -----------------------------------------------------------------
"$REFLEXE" --version >"$T/v.out" 2>&1
ABI=$(sed -n 's/^sandbox: Landlock ABI \([0-9][0-9]*\) .*/\1/p' "$T/v.out")
check "--version says whether this kernel sandboxes" grep -Eq '^sandbox: (Landlock ABI [0-9]+ \(|none \()' "$T/v.out"
"$REFLEXE" --lang fr --version >"$T/vfr.out" 2>&1
check "--version in French too" grep -Eq '^bac à sable : (Landlock ABI [0-9]+|aucun)' "$T/vfr.out"

# ---- without Landlock: one line, and the run goes on ------------------------------
"$SBX" courante --case "$T/work/case-a" init >/dev/null 2>&1
SBX_NO_LANDLOCK=1 SBX_TRY_WRITE=$T/elsewhere/nolandlock.txt SBX_TRY_EXEC=/bin/true \
	"$SBX" courante --case "$T/work/case-a" add "no Landlock" >"$T/nl.out" 2>"$T/nl.err"; rc=$?
check "no Landlock: the add is done (exit 0)" bash -c "[ $rc = 0 ] && grep -q '^#2 recorded' '$T/nl.out'"
check "no Landlock: one line says the run is not sandboxed and why" bash -c "
	[ \$(grep -c 'not sandboxed' '$T/nl.err') = 1 ] &&
	grep -qx 'reflexe: not sandboxed: this kernel has no Landlock (Linux 5.13 or later needed)' '$T/nl.err'"
check "no Landlock: so the hook's tries went through (write, exec)" bash -c "
	grep -qx 'sbx-hook 1: narrowed no' '$T/nl.err' && [ -f '$T/elsewhere/nolandlock.txt' ] &&
	grep -qx 'sbx-hook 1: exec /bin/true: ok' '$T/nl.err'"
SBX_NO_LANDLOCK=1 "$SBX" courante --case "$T/work/case-a" list --lang fr >/dev/null 2>"$T/nl-fr.err"
check "no Landlock: the line in French" grep -qx "reflexe: exécution hors bac à sable : ce noyau n'a pas Landlock (Linux 5.13 ou plus récent requis)" "$T/nl-fr.err"
REFLEXE_SANDBOX=off SBX_TRY_WRITE=$T/elsewhere/off.txt "$SBX" courante --case "$T/work/case-a" add "off" \
	>"$T/off.out" 2>"$T/off.err"; rc=$?
check "REFLEXE_SANDBOX=off: said once, the add is done, nothing refused" bash -c "[ $rc = 0 ] &&
	grep -qx 'reflexe: not sandboxed: turned off by REFLEXE_SANDBOX=off' '$T/off.err' && [ -f '$T/elsewhere/off.txt' ]"

if [ -z "$ABI" ]; then
	echo "sandbox: this kernel has no Landlock: the refusals are not checked here" >&2
	exit 0
fi

# ---- courante: the case folder only -------------------------------------------------
TRY_OUT="$T/elsewhere/escaped.txt:$T/work/beside-case.txt"
SBX_TRY_WRITE="$TRY_OUT:$T/work/case-a/inside.txt" SBX_TRY_READ="$T/elsewhere/secret.txt:/etc/passwd" \
	SBX_TRY_EXEC=/bin/true SBX_TRY_CONNECT=$LPORT \
	"$SBX" courante --case "$T/work/case-a" add "narrowed" >"$T/add.out" 2>"$T/add.err"; rc=$?
check "courante add, narrowed: done (exit 0), no line about the sandbox" bash -c "[ $rc = 0 ] &&
	grep -q '^#4 recorded' '$T/add.out' && ! grep -q 'not sandboxed' '$T/add.err' &&
	grep -qx 'sbx-hook 1: narrowed yes' '$T/add.err'"
check "courante add: a write outside the case is refused" bash -c "
	grep -qx 'sbx-hook 1: write $T/elsewhere/escaped.txt: EACCES' '$T/add.err' &&
	grep -qx 'sbx-hook 1: write $T/work/beside-case.txt: EACCES' '$T/add.err' &&
	[ ! -e '$T/elsewhere/escaped.txt' ] && [ ! -e '$T/work/beside-case.txt' ]"
check "courante add: a write inside the case is allowed" hook "$T/add.err" 1 write "$T/work/case-a/inside.txt" ok
check "courante add: running a program is refused" hook "$T/add.err" 1 exec /bin/true EACCES
check "courante add: reading the responder's files is refused" bash -c "
	grep -qx 'sbx-hook 1: read $T/elsewhere/secret.txt: EACCES' '$T/add.err' &&
	grep -qx 'sbx-hook 1: read /etc/passwd: EACCES' '$T/add.err'"
if [ "$ABI" -ge 4 ]; then
	check "courante add: no network at all (Landlock ABI >= 4)" hook "$T/add.err" 1 connect "$LPORT" EACCES
fi
check "courante verify after the narrowed runs: the chain holds" bash -c \
	"'$REFLEXE' courante --case '$T/work/case-a' verify | grep -q '4 line'"

SBX_TRY_WRITE="$T/work/case-a/list.txt" "$SBX" courante --case "$T/work/case-a" list >"$T/list.out" 2>"$T/list.err"; rc=$?
check "courante list: the case is only read (a write into it is refused)" bash -c "[ $rc = 0 ] &&
	grep -q narrowed '$T/list.out' && grep -qx 'sbx-hook 1: write $T/work/case-a/list.txt: EACCES' '$T/list.err'"

mkdir -p "$T/exports"
echo keep >"$T/exports/older.html"
SBX_TRY_WRITE="$T/exports/older.html" "$SBX" courante --case "$T/work/case-a" export --format html \
	-o "$T/exports/timeline.html" >/dev/null 2>"$T/exp.err"; rc=$?
check "courante export -o: that file written, its neighbour refused" bash -c "[ $rc = 0 ] &&
	grep -q narrowed '$T/exports/timeline.html' && grep -q '</html>' '$T/exports/timeline.html' &&
	grep -qx 'sbx-hook 1: write $T/exports/older.html: EACCES' '$T/exp.err' &&
	[ \"\$(cat '$T/exports/older.html')\" = keep ]"

printf 'date;heure;qui;quoi;cibles;statut;source\n2026-11-22;09:40;Alice;Alerte EDR;PC-042;fait;EDR\n' >"$T/elsewhere/in.csv"
SBX_TRY_READ="$T/elsewhere/secret.txt" "$SBX" courante --case "$T/work/case-b" import "$T/elsewhere/in.csv" \
	>"$T/imp.out" 2>"$T/imp.err"; rc=$?
check "courante import: the CSV named is read, not its neighbour" bash -c "[ $rc = 0 ] &&
	grep -q '^1 ' '$T/imp.out' && grep -qx 'sbx-hook 1: read $T/elsewhere/secret.txt: EACCES' '$T/imp.err'"
check "courante import into a new case: its folder made first, its parent never writable" bash -c "
	[ -f '$T/work/case-b/courante.jsonl' ] && grep -q 'Alerte EDR' '$T/work/case-b/courante.jsonl'"

# ---- import: the exports named, read; nothing beside them ----------------------------
cp "$TOP/tests/fixtures/exports/own/portal-signins.csv" "$T/elsewhere/signins.csv"
SBX_TRY_READ="$T/elsewhere/secret.txt" SBX_TRY_WRITE="$T/elsewhere/escaped.txt:$T/work/case-i/inside.txt" \
	SBX_TRY_EXEC=/bin/true "$SBX" import --case "$T/work/case-i" "$T/elsewhere/signins.csv" \
	>"$T/ei.out" 2>"$T/ei.err"; rc=$?
check "import, narrowed: the export imported (exit 0)" bash -c "[ $rc = 0 ] &&
	grep -qx 'sbx-hook 1: narrowed yes' '$T/ei.err' && ls '$T/work/case-i/imports/'*/events.jsonl >/dev/null"
check "import: the file beside the export is not readable" hook "$T/ei.err" 1 read "$T/elsewhere/secret.txt" EACCES
check "import: a write outside the case refused, inside allowed" bash -c "
	grep -qx 'sbx-hook 1: write $T/elsewhere/escaped.txt: EACCES' '$T/ei.err' &&
	grep -qx 'sbx-hook 1: write $T/work/case-i/inside.txt: ok' '$T/ei.err' && [ ! -e '$T/elsewhere/escaped.txt' ]"
check "import: running a program is refused" hook "$T/ei.err" 1 exec /bin/true EACCES

# ---- a check on the runner (check-events, offline by nature): its case, its
# --make-baseline file (the copy FILE~ made before), nothing else --------------------------
echo "; kept" >"$T/elsewhere/base.ini"
SBX_TRY_READ="$T/elsewhere/secret.txt" SBX_TRY_WRITE="$T/elsewhere/escaped.txt" \
	"$SBX" check-events --case "$T/work/case-i" --format json >"$T/ce.out" 2>"$T/ce.err"; rc=$?
check "check-events, narrowed: it runs (exit 0 or 1)" bash -c "[ $rc -le 1 ] &&
	grep -qx 'sbx-hook 1: narrowed yes' '$T/ce.err' && grep -q '\"verdict\"' '$T/ce.out'"
check "check-events: reading the responder's files refused" hook "$T/ce.err" 1 read "$T/elsewhere/secret.txt" EACCES
check "check-events: a write outside the case refused" hook "$T/ce.err" 1 write "$T/elsewhere/escaped.txt" EACCES
check "check-events: its findings logged in the case" grep -q 'check-events' "$T/work/case-i/courante.jsonl"

# ---- login (application sign-in) against the fake: two narrowings -----------------------
sh "$TOP/tests/pki.sh" "$T/pki" >/dev/null 2>&1 || { fail "pki.sh"; exit 1; }
TENANT=6b1f9a3e-2c4d-4e5f-8a9b-0c1d2e3f4a5b
APP=3c9e2f1a-7b4d-4c8e-9f0a-1b2c3d4e5f6a
SECRET="s3cr3t-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
rm -f "$T/port"
bg python3 "$TOP/tests/fake/msfake.py" --cert "$T/pki/rsa.chain.pem" --key "$T/pki/rsa.key" \
	--port 0 --port-file "$T/port" --log "$T/fake.jsonl" --client-id "$APP" --client-secret "$SECRET" \
	2>"$T/fake.err"
wait_file "$T/port" 20 || { fail "fake did not start"; cat "$T/fake.err"; exit 1; }
B=https://127.0.0.1:$(cat "$T/port")
export REFLEXE_CA_FILE=$T/pki/ca.pem AZURE_AUTHORITY_HOST=$B REFLEXE_GRAPH_URL=$B REFLEXE_EXO_URL=$B
# In a folder of its own: with no case folder there, login names one
# after the tenant and makes it.
mkdir -p "$T/work/signin"
cd "$T/work/signin"
AZURE_TENANT_ID=contoso.com AZURE_CLIENT_ID=$APP AZURE_CLIENT_SECRET=$SECRET \
	SBX_TRY_WRITE="$T/elsewhere/login.txt:$T/work/signin/beside-login.txt" SBX_TRY_READ="$T/elsewhere/secret.txt" \
	SBX_TRY_EXEC=/bin/true SBX_TRY_CONNECT=$LPORT \
	"$SBX" login >"$T/login.out" 2>"$T/login.err"; rc=$?
CASE=$(ls -d "$T"/work/signin/case-contoso.com-* 2>/dev/null | head -1)
check "login, narrowed twice: signed in, probe saved, logbook line" bash -c "[ $rc = 0 ] &&
	grep -qx 'sbx-hook 1: narrowed yes' '$T/login.err' && grep -qx 'sbx-hook 2: narrowed yes' '$T/login.err' &&
	grep -q '^Application' '$T/login.out' && [ -n '$CASE' ] && grep -q '$TENANT' '$CASE/probe.json' &&
	grep -q 'login' '$CASE/courante.jsonl' && (cd '$CASE' && sha256sum -c --quiet manifest.sha256)"
check "login, before the case folder is made: only its parent written, no program, no other file read" bash -c "
	grep -qx 'sbx-hook 1: write $T/elsewhere/login.txt: EACCES' '$T/login.err' &&
	grep -qx 'sbx-hook 1: read $T/elsewhere/secret.txt: EACCES' '$T/login.err' &&
	grep -qx 'sbx-hook 1: exec /bin/true: EACCES' '$T/login.err'"
# The case folder is not there yet: the first narrowing lets its parent be
# written (to make it); the second, once it is made, takes that back.
check "login, once the case folder is made: its parent no longer writable" bash -c "
	grep -qx 'sbx-hook 1: write $T/work/signin/beside-login.txt: ok' '$T/login.err' &&
	grep -qx 'sbx-hook 2: write $T/work/signin/beside-login.txt: EACCES' '$T/login.err' &&
	grep -qx 'sbx-hook 2: write $T/elsewhere/login.txt: EACCES' '$T/login.err' &&
	[ ! -e '$T/elsewhere/login.txt' ]"
if [ "$ABI" -ge 4 ]; then
	check "login: connections to the endpoints' ports only (Landlock ABI >= 4)" bash -c "
		grep -qx 'sbx-hook 1: connect $LPORT: EACCES' '$T/login.err' &&
		grep -qx 'sbx-hook 2: connect $LPORT: EACCES' '$T/login.err'"
fi

# ---- logout: the case's logbook, nothing else -------------------------------------------
SBX_TRY_WRITE="$T/elsewhere/logout.txt" SBX_TRY_CONNECT=$(cat "$T/port") \
	"$SBX" logout --case "$CASE" >"$T/logout.out" 2>"$T/logout.err"; rc=$?
check "logout: done, its line in the logbook, nothing written elsewhere" bash -c "[ $rc = 0 ] &&
	grep -q logout '$CASE/courante.jsonl' &&
	grep -qx 'sbx-hook 1: write $T/elsewhere/logout.txt: EACCES' '$T/logout.err' && [ ! -e '$T/elsewhere/logout.txt' ]"
if [ "$ABI" -ge 4 ]; then
	check "logout connects nowhere, not even to the login server" hook "$T/logout.err" 1 connect "$(cat "$T/port")" EACCES
fi
