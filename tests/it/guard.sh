# The read-only guard end to end (DESIGN.md principle 2): writes, POSTs
# elsewhere, $batch with a non-GET or a malformed body, non-Get cmdlets
# and their tricks, and a redirect to another host are all refused by the
# product's own request path (graphget → ms/ → net/), and the fake's
# request log shows that not one of them arrived. A legitimate GET, sent
# last through the same set-up, does arrive: the test can fail.
. "$(dirname "$0")/graph_env.sh"
. "$TOP/tests/servers/netlib.sh"

# A JWT-shaped token: nothing may get far enough to present it.
export REFLEXE_TEST_TOKEN="eyJhbGciOiJSUzI1NiJ9.eyJ0aWQiOiJ4In0.Z3VhcmQtdGVzdA"
export REFLEXE_TEST_EXO_TOKEN=$REFLEXE_TEST_TOKEN
fake guard --no-auth
C=$T/case
INV=$B/adminapi/beta/contoso.onmicrosoft.com/InvokeCommand

# refused NAME WHAT-IN-MESSAGE GRAPHGET-ARGS...: exit 3, message on stderr
refused() {
	local n=$1 why=$2; shift 2
	gg "$n" --case "$C" -q --tenant contoso.onmicrosoft.com "$@"
	check "$n: refused (exit 3)" test "$RC" = 3
	check "$n: says why" grep -qF -- "$why" "$T/$n.err"
}

refused patch "PATCH $B/v1.0/users/x request refused: reflexe only reads the tenant" \
	raw PATCH "$B/v1.0/users/x" --body '{"accountEnabled":false}'
refused delete "DELETE $B/v1.0/users/x request refused" raw DELETE "$B/v1.0/users/x"
refused put "PUT $B/v1.0/users/x/manager/\$ref request refused" raw PUT "$B/v1.0/users/x/manager/\$ref" --body '{}'
refused post-create "POST $B/v1.0/users request refused" raw POST "$B/v1.0/users" --body '{"displayName":"x"}'
refused post-revoke "POST $B/v1.0/users/x/revokeSignInSessions request refused" \
	raw POST "$B/v1.0/users/x/revokeSignInSessions"
refused post-elsewhere "POST https://127.0.0.1:1/organizations/oauth2/v2.0/token request refused: this host is not one of the configured Microsoft endpoints" \
	raw POST "https://127.0.0.1:1/organizations/oauth2/v2.0/token" --body 'grant_type=x'
refused get-body "GET $B/v1.0/users request refused" raw GET "$B/v1.0/users" --body 'x'
refused batch-delete 'a $batch may hold GETs only (a sub-request is not a GET)' raw POST "$B/v1.0/\$batch" \
	--body '{"requests":[{"id":"1","method":"GET","url":"/users"},{"id":"2","method":"DELETE","url":"/users/x"}]}'
refused batch-patch 'a $batch may hold GETs only' raw POST "$B/beta/\$batch" \
	--body '{"requests":[{"id":"1","method":"PATCH","url":"/users/x","body":{"accountEnabled":false}}]}'
refused batch-twice 'JSON member given twice' raw POST "$B/v1.0/\$batch" \
	--body '{"requests":[{"id":"1","method":"GET","method":"DELETE","url":"/users/x"}]}'
refused batch-malformed 'unreadable body, invalid JSON' raw POST "$B/v1.0/\$batch" \
	--body '{"requests":[{"id":"1","method":"GET","url":"/users"}'
refused batch-absolute 'sub-request URL not relative' raw POST "$B/v1.0/\$batch" \
	--body '{"requests":[{"id":"1","method":"GET","url":"https://evil.example/x"}]}'
refused set-mailbox "Exchange cmdlet refused: 'Set-Mailbox'" exo Set-Mailbox --param '{"Identity":"a"}'
refused remove-rule "Exchange cmdlet refused: 'Remove-InboxRule'" exo Remove-InboxRule
refused trick-semicolon "cmdlet 'get-mailbox; Set-Mailbox -Identity x' refused" raw POST "$INV" \
	--body '{"CmdletInput":{"CmdletName":"get-mailbox; Set-Mailbox -Identity x"}}'
refused trick-raw-set "cmdlet 'Set-Mailbox' refused" raw POST "$INV" \
	--body '{"CmdletInput":{"CmdletName":"Set-Mailbox","Parameters":{"Identity":"a"}}}'
refused trick-escaped "cmdlet 'Set-Mailbox' refused" raw POST "$INV" \
	--body '{"CmdletInput":{"CmdletName":"Set\u002dMailbox"}}'
refused trick-twice 'JSON member given twice' raw POST "$INV" \
	--body '{"CmdletInput":{"CmdletName":"Get-Mailbox","CmdletName":"Set-Mailbox"}}'
refused trick-script 'unknown JSON member' raw POST "$INV" \
	--body '{"CmdletInput":{"CmdletName":"Get-Mailbox","Script":"Set-Mailbox -Identity a"}}'
LANG=fr_FR.UTF-8 refused french "requête DELETE $B/v1.0/users/x refusée" raw DELETE "$B/v1.0/users/x"

# ---- a redirect to another host: refused at the hop, nothing reaches it ----
net_listen redir rsa
net_listen evil rsa
net_start
EVIL=https://127.0.0.1:$(port evil)
REFLEXE_GRAPH_URL=https://localhost:$(port redir) \
	refused redirect "GET $EVIL/v1.0/users request refused: this host is not one of the configured Microsoft endpoints" \
	list "/redirect?to=$EVIL/v1.0/users"
check "redirect: the redirecting server was asked" srv_wait "^req redir GET /redirect"
check "redirect: not a connection to the other host" test "$(srv_count ' evil')" = 0

# ---- nothing arrived at the fake; every refusal is in requests.jsonl ----------
check "the fake received no request at all" test ! -s "$LOG"
check "requests.jsonl records the refusals" test "$(grep -c '"status":0,.*refused' "$C/requests.jsonl")" -ge 15
check "no token in the request log" no_secret "$C"

# The same set-up does reach the fake with a read: the checks above can fail.
gg get --case "$C" -q list /v1.0/organization
check "a GET through the same path arrives" test "$RC" = 0 -a "$(grep -c '"path": *"/v1.0/organization' "$LOG")" = 1
