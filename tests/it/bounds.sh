# Bounds (issue 15): an answer of 2 GiB (claimed by Content-Length, or
# streamed chunked), a display name of 10 MB, JSON nested 100,000 deep,
# a CSV of 1 GiB in one line. Each ends in one clear error naming where it
# came from and the limit; memory stays bounded (the release binary runs
# under ulimit -v: 768 MiB of address space, where a 2 GiB answer held in
# memory could not fit); and nothing already in the case folder is lost
# (every file of the first collection is still listed with its hash, at
# its place or under superseded/, and the manifest checks). The fake
# Microsoft server streams the big answers (--fault huge, huge_chunked):
# nothing large is stored, the sparse 1 GiB file takes no disk.
# The "1 million inbox rules in one mailbox" bound belongs to check-mail.
. "$(dirname "$0")/graph_env.sh"
export AZURE_TENANT_ID=contoso.onmicrosoft.com AZURE_CLIENT_ID=$APP AZURE_CLIENT_SECRET=$SECRET
export REFLEXE_KEYRING=off REFLEXE_WHO=tests
unset REFLEXE_SANDBOX REFLEXE_CASE

# Under make check the sanitizers reserve terabytes of address space:
# no ulimit there (the limits are checked by the messages alone).
limited() {
	if [ -z "${REFLEXE_SANITIZED:-}" ]; then
		(ulimit -v 786432 && exec "$@")
	else
		"$@"
	fi
}
live() {
	local n=$1; shift
	limited "$REFLEXE" check-admins --case "$T/$n" --format json "$@" >"$T/$n.json" 2>"$T/$n.err"
	RC=$?
}
# kept DIR: every "<sha>  <path>" of $T/first.sums is in DIR's manifest,
# at its path or moved under superseded/, and the file there has it
kept() {
	python3 - "$1" "$T/first.sums" <<'EOF'
import hashlib, os, re, sys
d, sums = sys.argv[1], sys.argv[2]
man = [l.rstrip("\n").split("  ", 1) for l in open(os.path.join(d, "manifest.sha256")) if l.strip()]
for l in open(sums):
    h, p = l.rstrip("\n").split("  ", 1)
    where = [q for (g, q) in man if g == h and (q == p or re.fullmatch(r"superseded/[^/]+/" + re.escape(p), q))]
    if not any(hashlib.sha256(open(os.path.join(d, q), "rb").read()).hexdigest() == h for q in where):
        sys.exit("lost: " + p)
EOF
}

# ---- a first collection: the evidence that must survive ------------------------------
fake first --tenant-file "$TOP/tests/fake/tenants/clean.json"
live case
check "first collection: exit 0" [ "$RC" = 0 ]
cp "$T/case/manifest.sha256" "$T/first.sums"
check "first collection: evidence listed" test "$(wc -l <"$T/first.sums")" -gt 10

# ---- 2 GiB claimed by Content-Length -----------------------------------------------------
fake huge --tenant-file "$TOP/tests/fake/tenants/clean.json" \
	--fault 'kind=huge,path=^/beta/roleManagement/directory/roleDefinitions,count=inf'
live case
check "2 GiB by Content-Length: exit 3" [ "$RC" = 3 ]
check "2 GiB by Content-Length: refused on the header, naming the request, the host and the limit" \
	grep -q "answer to GET https://127.0.0.1:[0-9]*/beta/roleManagement/directory/roleDefinitions?.*: 127.0.0.1:[0-9]*: response body too large (limit 33554432 bytes)" "$T/case.err"
logok "2 GiB by Content-Length: asked once, not retried" \
	'sum(1 for e in L if e.get("fault") == "huge") == 1'
check "2 GiB by Content-Length: nothing of the first collection lost" kept "$T/case"
check "2 GiB by Content-Length: the manifest checks" manifest_ok "$T/case"

# ---- 2 GiB streamed, chunked (a display name that never ends) -------------------------------
fake stream --tenant-file "$TOP/tests/fake/tenants/clean.json" \
	--fault 'kind=huge_chunked,path=^/v1.0/\$batch,count=inf'
live case
check "2 GiB chunked: exit 3" [ "$RC" = 3 ]
check "2 GiB chunked: stopped at the limit, naming the request, the host and the limit" \
	grep -q "answer to POST https://127.0.0.1:[0-9]*/v1.0/\$batch: 127.0.0.1:[0-9]*: response body too large (limit 33554432 bytes)" "$T/case.err"
logok "2 GiB chunked: asked once, not retried" 'sum(1 for e in L if e.get("fault") == "huge_chunked") == 1'
check "2 GiB chunked: nothing of the first collection lost" kept "$T/case"
check "2 GiB chunked: the manifest checks" manifest_ok "$T/case"
# ---- 2 GiB from the token endpoint (limit 256 KiB) -------------------------------------------
fake token --tenant-file "$TOP/tests/fake/tenants/clean.json" --fault 'kind=huge_chunked,path=/oauth2/v2.0/token,count=inf'
limited "$REFLEXE" login --case "$T/case" >"$T/login.out" 2>"$T/login.err"; RC=$?
check "2 GiB token answer: exit 3, naming the limit (262144 bytes)" bash -c "[ $RC = 3 ] && grep -q '262144' '$T/login.err'"
check "2 GiB token answer: nothing of the case lost" kept "$T/case"

# ---- a display name of 10 MB in a Graph page ---------------------------------------------------
python3 - "$T/big-name.json" <<'EOF'
import json, sys
json.dump({"users": [{"id": "a1000000-0000-4000-8000-000000000001", "displayName": "A" * (10 << 20)}]},
          open(sys.argv[1], "w"))
EOF
fake bigname --tenant-file "$TOP/tests/fake/tenants/clean.json" --tenant-file "$T/big-name.json"
live case
check "10 MB display name: exit 3" [ "$RC" = 3 ]
# "Unknown is an answer": the source is unreadable, each check that needs
# it says why in the document, and the run could not complete (exit 3).
unknown_has() {  # unknown_has JSON REGEX: an "unknown" reason matches
	python3 -c 'import json, re, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if any(re.search(sys.argv[2], u["reason"]) for u in d["unknown"]) else 1)' "$@"
}
check "10 MB display name: the document names the page, the field and the limit (2047 bytes)" \
	unknown_has "$T/case.json" "evidence graph/v1\.0/users@ids/0001/page-0001\.json: JSON: the value of 'displayName' is too long \(at most 2047 bytes\)"
check "10 MB display name: and the sign-in activity read from the same records says so too" \
	unknown_has "$T/case.json" "signInActivity: evidence unreadable \(evidence graph/v1\.0/users@ids/.*2047 bytes"
check "10 MB display name: verdict undetermined, never clean" python3 -c "
import json; d = json.load(open('$T/case.json')); assert d['verdict']['answer'] == 'undetermined'"
check "10 MB display name: nothing of the first collection lost" kept "$T/case"
check "10 MB display name: the manifest checks" manifest_ok "$T/case"
rm -f "$T/big-name.json"

# ---- JSON nested 100,000 deep, in a saved page (--offline) ------------------------------------------
cp -r "$T/case" "$T/deep"
P=graph/v1.0/roleManagement/directory/roleAssignments/page-0001.json
python3 - "$T/deep" "$P" <<'EOF'
import hashlib, sys
d, p = sys.argv[1], sys.argv[2]
body = b'{"value":' + b"[" * 100000 + b"]" * 100000 + b"}"
open(d + "/" + p, "wb").write(body)
h = hashlib.sha256(body).hexdigest()
lines = [l for l in open(d + "/manifest.sha256") if not l.rstrip("\n").endswith("  " + p)]
open(d + "/manifest.sha256", "w").write("".join(lines) + "%s  %s\n" % (h, p))
EOF
limited "$REFLEXE" check-admins --offline --case "$T/deep" --format json >"$T/deep.json" 2>"$T/deep.err"; RC=$?
check "JSON 100,000 deep: exit 3" [ "$RC" = 3 ]
check "JSON 100,000 deep: the document names the page and the depth limit (64)" \
	unknown_has "$T/deep.json" "evidence graph/v1\.0/roleManagement/directory/roleAssignments/page-0001\.json: JSON nested too deeply \(more than 64 levels\)"

# ---- a CSV of 1 GiB in one line (courante import) ------------------------------------------------
"$REFLEXE" courante --case "$T/case" add "before the import" >/dev/null 2>&1
sha256sum "$T/case/courante.jsonl" >"$T/log.sum"
truncate -s 1G "$T/huge.csv"
limited "$REFLEXE" courante --case "$T/case" import "$T/huge.csv" >"$T/csv.out" 2>"$T/csv.err"; RC=$?
check "CSV of 1 GiB: exit 3, naming the file and the limit (16 MiB)" bash -c "
	[ $RC = 3 ] && grep -q 'huge.csv: file too large (more than 16777216 bytes)' '$T/csv.err'"
check "CSV of 1 GiB: the logbook untouched" sha256sum -c --quiet "$T/log.sum"
rm -f "$T/huge.csv"
# under the file limit, one line of 15 MiB: the field limit says so
python3 -c "
import sys; sys.stdout.write('date;heure;qui;quoi\n2026-11-22;09:40;Alice;' + 'x' * (15 << 20) + '\n')" >"$T/long.csv"
limited "$REFLEXE" courante --case "$T/case" import "$T/long.csv" >"$T/long.out" 2>"$T/long.err"; RC=$?
check "CSV line of 15 MiB: refused, naming the file, the line and the limit" bash -c "
	[ $RC = 3 ] && grep -qx '$T/long.csv: line 2: cell too long (at most 32768 bytes)' '$T/long.err'"
check "CSV line of 15 MiB: the logbook untouched" sha256sum -c --quiet "$T/log.sum"
rm -f "$T/long.csv"
