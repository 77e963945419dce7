# The case folder as the Graph client writes it: case.ini (tenant, case
# id, responder, version, start, clock skew against the server's Date),
# one tenant per folder, a rerun that keeps earlier evidence aside and
# leaves no stale page, and a run killed mid-way (a pulled stick) that
# never leaves a listed file half-written.
. "$(dirname "$0")/graph_env.sh"

fake skew --page-size 3 --clock-skew 120
tokens
C=$T/case
gg first --case "$C" --tenant contoso.onmicrosoft.com -q list /v1.0/users
check "first run: exit 0" test "$RC" = 0
check "case.ini: tenant" grep -q '^tenant = contoso.onmicrosoft.com$' "$C/case.ini"
check "case.ini: case id (UUID)" grep -qE '^case_id = [0-9a-f-]{36}$' "$C/case.ini"
check "case.ini: responder, tool version, start" \
	grep -q '^responder = graphget$' "$C/case.ini" -a -n "$(grep '^tool_version = reflexe ' "$C/case.ini")" \
	-a -n "$(grep -E '^started = 20[0-9-]{8}T' "$C/case.ini")"
# the fake's Date runs 120 s ahead: host minus server is about -120
check "case.ini: clock skew against the server's Date" \
	awk -F' = ' '$1 == "clock_skew_s" { exit !($2 <= -118 && $2 >= -122) }' "$C/case.ini"
check "first run: 4 pages" test -s "$C/graph/v1.0/users/page-0004.json"

# ---- one tenant per folder ------------------------------------------------------
gg other --case "$C" --tenant fabrikam.onmicrosoft.com list /v1.0/users
check "another tenant's folder: refused (exit 3)" test "$RC" = 3
check "another tenant's folder: says whose it is" grep -q 'belongs to tenant contoso.onmicrosoft.com, not fabrikam.onmicrosoft.com' "$T/other.err"
gg probe --case "$C" -q probe
gg byid --case "$C" --tenant "$TENANT" -q list /v1.0/domains
check "the same tenant by its id (learnt by the probe): accepted" test "$RC" = 0

# ---- a rerun with fewer pages ------------------------------------------------------
gg rerun --case "$C" --tenant contoso.onmicrosoft.com -q list /v1.0/users --top 5
check "rerun: exit 0" test "$RC" = 0
check "rerun: 2 pages now, no stale page-0003" test -s "$C/graph/v1.0/users/page-0002.json" -a ! -e "$C/graph/v1.0/users/page-0003.json"
check "rerun: the 4 earlier pages kept under superseded/" \
	test "$(find "$C/superseded" -path '*graph/v1.0/users/page-*.json' | wc -l)" = 4
check "rerun: manifest checks" manifest_ok "$C"
gg rerun-off --case "$C" --offline -q list /v1.0/users
check "rerun: offline reads the new pages only" test "$(grep -c '^item' "$T/rerun-off.out")" = 10

# ---- killed mid-run: every listed file is whole ---------------------------------------
fake slow --gen-users 400 --page-size 4 --latency-ms 40
tokens
C=$T/case-killed
"$GG" --case "$C" -q --print none list /v1.0/users >"$T/killed.out" 2>&1 &
K=$!
i=0
while [ "$(grep -c page- "$C/manifest.sha256" 2>/dev/null || echo 0)" -lt 10 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -9 "$K" 2>/dev/null
wait "$K" 2>/dev/null
n=$(grep -c page- "$C/manifest.sha256")
check "killed: some pages listed ($n), not all" test "$n" -ge 10 -a "$n" -lt 100
check "killed: every listed file checks" manifest_ok "$C"
gg after-kill --case "$C" -q --print none list /v1.0/users
check "after the kill: a new run completes" grep -qP '^result\t/v1.0/users\tok\t400\t100\t' "$T/after-kill.out"
check "after the kill: manifest checks" manifest_ok "$C"
check "after the kill: no temp file left in the folder" test -z "$(find "$C/graph" -name '*.tmp-*')"
check "no token anywhere" no_secret "$T"/case* "$T"/*.out "$T"/*.err
