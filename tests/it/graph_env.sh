# Shared set-up of the Graph / Exchange / guard / case integration tests
# (sourced by tests/it/graph.sh, exo.sh, guard.sh, case.sh): a test PKI,
# the fake Microsoft servers (tests/fake/msfake.py), tokens from the
# fake's own sign-in, and helpers over graphget and the fake's log.
# Run directly (as tests/run.sh does with every tests/it/*.sh), it does
# nothing.
[ "${BASH_SOURCE[0]}" = "$0" ] && exit 0

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
T=$T_DIR
GG=$TESTBIN/tests/tools/graphget
TENANT=6b1f9a3e-2c4d-4e5f-8a9b-0c1d2e3f4a5b
APP=3c9e2f1a-7b4d-4c8e-9f0a-1b2c3d4e5f6a
SECRET="s3cr3t-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"

sh "$TOP/tests/pki.sh" "$T/pki" >"$T/pki.log" 2>&1 || { fail "tests/pki.sh"; cat "$T/pki.log"; exit 1; }
export REFLEXE_CA_FILE=$T/pki/ca.pem

FAKE_PID=
# fake NAME [msfake options]: (re)starts the fake, exports the endpoints,
# sets B (base URL) and LOG (its request log).
fake() {
	local n=$1; shift
	[ -n "$FAKE_PID" ] && t_stop "$FAKE_PID"
	rm -f "$T/port"
	python3 "$TOP/tests/fake/msfake.py" --cert "$T/pki/rsa.chain.pem" --key "$T/pki/rsa.key" \
		--port 0 --port-file "$T/port" --log "$T/fake-$n.jsonl" --device-interval 0.2 \
		--device-scenario ok --client-id "$APP" --client-secret "$SECRET" \
		"$@" 2>"$T/fake-$n.err" &
	FAKE_PID=$!
	T_PIDS+=("$FAKE_PID")
	wait_file "$T/port" 30 || { fail "fake $n did not start"; cat "$T/fake-$n.err"; exit 1; }
	B=https://127.0.0.1:$(cat "$T/port")
	export AZURE_AUTHORITY_HOST=$B REFLEXE_GRAPH_URL=$B REFLEXE_EXO_URL=$B
	LOG=$T/fake-$n.jsonl
}

# token RESOURCE [app]: an access token from the fake's sign-in: device
# code (a user, delegated scopes) or, with "app", client credentials.
# The test never prints it; the grep checks look for it everywhere.
token() {
	python3 - "$B" "$1" "${2:-user}" "$REFLEXE_CA_FILE" "$APP" "$SECRET" <<'EOF'
import json, ssl, sys, urllib.parse, urllib.request
base, res, kind, ca, app, secret = sys.argv[1:]
ctx = ssl.create_default_context(cafile=ca)
def post(path, form):
    data = urllib.parse.urlencode(form).encode()
    try:
        with urllib.request.urlopen(base + path, data, context=ctx, timeout=20) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        return json.load(e)
if kind == "app":
    r = post("/contoso.onmicrosoft.com/oauth2/v2.0/token", {"client_id": app, "client_secret": secret,
             "grant_type": "client_credentials", "scope": res + "/.default"})
else:
    cli = "14d82eec-204b-4c2f-b7e8-296a70dab67e"
    dc = post("/organizations/oauth2/v2.0/devicecode", {"client_id": cli, "scope": res + "/.default"})
    r = post("/organizations/oauth2/v2.0/token", {"client_id": cli, "device_code": dc["device_code"],
             "grant_type": "urn:ietf:params:oauth:grant-type:device_code"})
print(r["access_token"])
EOF
}

# tokens [app]: both tokens into the environment graphget reads.
tokens() {
	REFLEXE_TEST_TOKEN=$(token https://graph.microsoft.com "$@") &&
		REFLEXE_TEST_EXO_TOKEN=$(token https://outlook.office365.com "$@") ||
		{ fail "tokens from the fake"; cat "$T"/fake-*.err; exit 1; }
	export REFLEXE_TEST_TOKEN REFLEXE_TEST_EXO_TOKEN
}

# gg NAME ARGS...: runs graphget, stdout to $T/NAME.out, stderr to
# $T/NAME.err; the exit status in RC.
gg() {
	local n=$1; shift
	"$GG" "$@" >"$T/$n.out" 2>"$T/$n.err"
	RC=$?
}

# result NAME WHAT: the status column of graphget's "result" line for WHAT
result() { awk -F'\t' -v w="$2" '$1 == "result" && $2 == w { print $3 }' "$T/$1.out"; }

# logq PYTHON-EXPR: evaluates an expression over L (the fake's log, a list
# of dicts in arrival order); prints the value.
logq() {
	python3 - "$LOG" "$1" <<'EOF'
import json, sys
L = sorted((json.loads(l) for l in open(sys.argv[1]) if l.strip()), key=lambda e: e["t"])
v = eval("(" + sys.argv[2] + ")")
print(int(v) if isinstance(v, bool) else v)
EOF
}
# logok NAME EXPR: passes when the expression is true
logok() { local n=$1; shift; check "$n" test "$(logq "$1")" = 1; }

# not CMD...: passes when CMD fails
not() { ! "$@"; }
# manifest_ok DIR: sha256sum -c accepts the case folder's manifest
manifest_ok() { (cd "$1" && sha256sum -c --quiet --strict manifest.sha256 >/dev/null 2>&1); }

# no_secret FILE-OR-DIR...: none of the tokens appears (nor their
# signature part alone, nor the client secret)
no_secret() {
	local s
	for s in "$REFLEXE_TEST_TOKEN" "${REFLEXE_TEST_TOKEN##*.}" "$REFLEXE_TEST_EXO_TOKEN" \
		"${REFLEXE_TEST_EXO_TOKEN##*.}" "$SECRET"; do
		[ -n "$s" ] || continue
		grep -rqF -- "$s" "$@" && return 1
	done
	return 0
}
