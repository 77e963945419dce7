# Exchange admin API end to end against the fake InvokeCommand: the
# request shape (headers, anchor mailbox, body), paging by POSTing the same
# body to @odata.nextLink, Exchange errors surfaced, throttling honoured,
# a tenant without Exchange Online turned into "unknown", --offline.
. "$(dirname "$0")/graph_env.sh"

fake exo --gen-users 2500 --prewarm \
	--fault 'kind=429,path=/InvokeCommand,skip=1,count=1,retry_after=1'
tokens
C=$T/case
# the probe gives the tenant id and the anchor mailbox's domain
gg probe --case "$C" -q probe
check "probe first: exit 0" test "$RC" = 0

TID=$(awk -F'\t' '$1 == "probe" && $2 ~ /^tenant=/ { sub("tenant=", "", $2); print $2 }' "$T/probe.out")
gg mbx --case "$C" --print ids exo Get-Mailbox --param '{"ResultSize":"Unlimited"}'
check "Get-Mailbox: exit 0" test "$RC" = 0
N=$(logq 'sum(e.get("count", 0) for e in L if e["service"] == "exo" and e["status"] == 200)')
check "Get-Mailbox: every mailbox ($N) over 3 pages" grep -qP "^result\tGet-Mailbox\tok\t$N\t3\t" "$T/mbx.out"
check "Get-Mailbox: over 2000 of them" test "$N" -gt 2000
check "Get-Mailbox: pages under exo/Get-Mailbox/" test -s "$C/exo/Get-Mailbox/page-0003.json"
logok "InvokeCommand: POST to /adminapi/beta/{tenant id}/InvokeCommand" \
	"all(e['method'] == 'POST' and e['path'].startswith('/adminapi/beta/$TID/InvokeCommand') for e in L if e['service'] == 'exo')"
logok "InvokeCommand: X-ResponseFormat json, Prefer odata.maxpagesize=1000" \
	'all(e["headers"].get("x-responseformat") == "json" and e["headers"].get("prefer") == "odata.maxpagesize=1000" for e in L if e["service"] == "exo")'
logok "InvokeCommand: X-AnchorMailbox of the organisation's system mailbox" \
	'all(e["headers"].get("x-anchormailbox") == "UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@contoso.onmicrosoft.com" for e in L if e["service"] == "exo")'
logok "InvokeCommand: every page asked with the same cmdlet and parameters" \
	'len({str(e["exo"]) for e in L if e["service"] == "exo" and "exo" in e}) == 1'
logok "InvokeCommand: next pages POSTed to the nextLink (skip token)" \
	'sum(1 for e in L if e["service"] == "exo" and "skiptoken" in e["path"] and e["status"] == 200) == 2'
logok "InvokeCommand: the 429 waited its Retry-After" '
all(f["t"] >= e["t_done"] + float(e["retry_after"]) - 0.005
    for e in L if e["status"] == 429 for f in L if f["t"] > e["t_done"])'
check "InvokeCommand: throttling said on stderr" grep -q 'Exchange: throttled (HTTP 429)' "$T/mbx.err"
logok "InvokeCommand: Exchange audience token" \
	'all(e["auth"]["token"]["aud"] == "https://outlook.office365.com" for e in L if e["service"] == "exo")'

gg nosuch --case "$C" exo Get-Mailbox --param '{"Identity":"nobody@contoso.com"}'
check "Exchange error: exit 3" test "$RC" = 3
check "Exchange error: Exchange's own message surfaced" grep -q "couldn't be found" "$T/nosuch.err"
check "Exchange error: its exception named" grep -qP '^result\tGet-Mailbox\tfailed\t0\t0\tManagementObjectNotFoundException\t' "$T/nosuch.out"
gg param --case "$C" exo Get-Mailbox --param '{"NoSuchParameter":1}'
check "Exchange error: unknown parameter surfaced" grep -q "A parameter cannot be found" "$T/param.err"
gg rules --case "$C" -q --print ids exo Get-InboxRule --param '{"Mailbox":"admin1@contoso.com"}' \
	--save-as exo/Get-InboxRule/admin1@contoso.com
check "per-mailbox cmdlet saved under its own folder" test -s "$C/exo/Get-InboxRule/admin1@contoso.com/page-0001.json"
check "manifest checks" manifest_ok "$C"

# offline: same result from the saved pages, no network
t_stop "$FAKE_PID"; FAKE_PID=
gg mbx-off --case "$C" --offline --print ids exo Get-Mailbox --param '{"ResultSize":"Unlimited"}'
check "offline Get-Mailbox: same items as live" cmp -s <(grep '^item' "$T/mbx.out") <(grep '^item' "$T/mbx-off.out")

# a tenant without Exchange Online: Entra ID P1 only (EXCHANGE_S_FOUNDATION
# comes with non-Exchange products and gives no mailbox)
cat >"$T/noexo.json" <<EOF
{"extends": "$TOP/tests/fake/tenants/clean.json", "licence": {"exchange": false},
 "replace": {"subscribedSkus": [
  {"capabilityStatus": "Enabled", "skuId": "078d2b04-f1bd-4111-bbd4-b4b1b354cef4", "skuPartNumber": "AAD_PREMIUM",
   "id": "x_078d2b04-f1bd-4111-bbd4-b4b1b354cef4", "appliesTo": "User",
   "servicePlans": [
     {"servicePlanId": "41781fb2-bc02-4b7c-bd55-b576c07bb09d", "servicePlanName": "AAD_PREMIUM", "provisioningStatus": "Success", "appliesTo": "User"},
     {"servicePlanId": "113feb6c-3fe4-4440-bddc-54d774bf0318", "servicePlanName": "EXCHANGE_S_FOUNDATION", "provisioningStatus": "Success", "appliesTo": "Company"}]}]}}
EOF
fake noexo --tenant-file "$T/noexo.json"
tokens
C=$T/case2
gg probe2 --case "$C" -q probe
check "probe: P1 but no Exchange Online" grep -qP '\tp1=1\tp2=0\texo=0\t' "$T/probe2.out"
gg noexo --case "$C" exo Get-Mailbox
check "no Exchange Online: exit 0 (unknown is an answer)" test "$RC" = 0
check "no Exchange Online: unknown — needs an Exchange Online subscription" \
	grep -qP '^result\tGet-Mailbox\tunknown\t.*needs an Exchange Online subscription' "$T/noexo.out"
check "no token anywhere" no_secret "$T"/case* "$T"/*.out "$T"/*.err
