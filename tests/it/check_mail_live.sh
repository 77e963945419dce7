# check-mail live against the fake Exchange admin API (tests/fake): what it
# asks (Get-* only, the mailbox as anchor, 4 in flight, paging by POSTing
# the same body to the next link), what it saves, --offline gives the live
# document, an interrupted run resumes, roles that are missing (Global
# Reader, no role at all) become unanswered, throttling and the Rate-Limit
# budget are honoured, and a mailbox answering a million inbox rules ends
# at the bound with the rest of the case intact.
. "$(dirname "$0")/graph_env.sh"
export AZURE_TENANT_ID=contoso.onmicrosoft.com AZURE_CLIENT_ID=$APP AZURE_CLIENT_SECRET=$SECRET
export REFLEXE_KEYRING=off REFLEXE_WHO=tests
chk() { python3 "$TOP/tests/fixtures/admins/check.py" "$@"; }
live() {
	local n=$1; shift
	"$REFLEXE" check-mail --case "$T/$n" --format json "$@" >"$T/$n.json" 2>"$T/$n.err"
	RC=$?
}
offline() {
	local n=$1; shift
	"$REFLEXE" check-mail --offline --case "$T/$n" --format json "$@" >"$T/$n.off.json" 2>"$T/$n.off.err"
	RC=$?
}
# A tenant of the fake with mail traces on top of clean.json.
cat >"$T/bec.json" <<EOF
{"extends": "$TOP/tests/fake/tenants/clean.json",
 "users": [{"id": "a1000000-0000-4000-8000-000000000004",
            "_mailbox": {"ForwardingSmtpAddress": "smtp:david.perso@gmail.com", "DeliverToMailboxAndForward": false}}],
 "exchange": {
  "Get-InboxRule": [{"_mailbox": "emma.robert@contoso.com", "Name": "..", "SubjectOrBodyContainsWords": ["virement", "RIB"],
                     "MoveToFolder": "RSS Feeds", "MarkAsRead": true},
                    {"_mailbox": "emma.robert@contoso.com", "Name": "Junk E-mail Rule"}],
  "Get-TransportRule": [{"Name": "Archive", "Identity": "Archive", "State": "Enabled", "Mode": "Enforce",
                         "BlindCopyTo": ["collecte@evil.example"], "WhenChanged": "@now-2d"}],
  "Get-TenantAllowBlockListSpoofItems": [{"Identity": "Default\\\\s1", "Action": "Allow", "SpoofedUser": "contoso.com",
                                          "SendingInfrastructure": "evil.example", "SpoofType": "External"}]}}
EOF

# ---- the clean tenant --------------------------------------------------------------------
fake clean --tenant-file "$TOP/tests/fake/tenants/clean.json" --exo-mailbox-latency-ms 100
live clean
check "clean live: exit 0 or 1 (low findings only)" [ "$RC" -le 1 ]
check "clean live: three answers, not detected" bash -c "for a in 1.b 1.c 1.e; do python3 '$TOP/tests/fixtures/admins/check.py' '$T/clean.json' action \$a not_detected || exit 1; done"
check "clean live: findings saved in the case" cmp -s "$T/clean.json" "$T/clean/findings/check-mail.json"
check "clean live: manifest checks" manifest_ok "$T/clean"
check "clean live: no token or secret in the case folder" no_secret "$T/clean" "$T/clean.json" "$T/clean.err"
logok "clean live: Exchange asked only POST InvokeCommand of Get-* cmdlets" '
all(e["method"] == "POST" and e["path"].split("?")[0].endswith("/InvokeCommand") and e["exo"]["cmdlet"].startswith("Get-")
    for e in L if e["service"] == "exo")'
logok "clean live: Get-InboxRule with -IncludeHidden, one per mailbox (9)" '
sorted(e["exo"]["params"].get("IncludeHidden") for e in L if e.get("exo", {}).get("cmdlet") == "Get-InboxRule") == [True] * 9'
logok "clean live: per-mailbox cmdlets anchored on the mailbox" '
all(e["headers"]["x-anchormailbox"] == "UPN:" + e["exo"]["params"].get("Mailbox", e["exo"]["params"].get("Identity"))
    for e in L if e.get("exo", {}).get("cmdlet") in ("Get-InboxRule", "Get-MailboxPermission"))'
logok "clean live: tenant-wide cmdlets anchored on the system mailbox" '
all(e["headers"]["x-anchormailbox"].startswith("APP:SystemMailbox") for e in L
    if e.get("exo", {}).get("cmdlet") in ("Get-Mailbox", "Get-TransportRule"))'
# requests of the fake overlapping in time: at most 4 in flight
logok "clean live: at most 4 Exchange requests in flight, more than 1" '
(lambda ev: 1 < max(__import__("itertools").accumulate(d for _, d in ev)) <= 4)(
    sorted([(e["t"], 1) for e in L if e["service"] == "exo"] + [(e["t_done"], -1) for e in L if e["service"] == "exo"],
           key=lambda x: (x[0], x[1])))'
logok "clean live: SendAs asked once for the whole tenant" '
sum(1 for e in L if e.get("exo", {}).get("cmdlet") == "Get-RecipientPermission") == 1'
logok "clean live: the tenant allow/block list asked per list type" '
sorted(e["exo"]["params"]["ListType"] for e in L if e.get("exo", {}).get("cmdlet") == "Get-TenantAllowBlockListItems") ==
["FileHash", "IP", "Sender", "Url"]'
offline clean
check "clean: --offline gives the live document" chk "$T/clean.off.json" same "$T/clean.json"

# resumed: the mailboxes already read are not asked again; --refresh asks
cp "$LOG" "$T/first.log"
live clean
logok "run again: no mailbox asked again" '
sum(1 for e in L if e.get("exo", {}).get("cmdlet") in ("Get-InboxRule", "Get-MailboxPermission")) == 18'
check "run again: the same findings" chk "$T/clean.json" same "$T/clean.off.json"
check "run again: manifest checks" manifest_ok "$T/clean"
live clean --refresh --mailbox emma.robert@contoso.com
logok "--refresh --mailbox: that mailbox asked again, alone" '
sum(1 for e in L if e.get("exo", {}).get("cmdlet") in ("Get-InboxRule", "Get-MailboxPermission")) == 20'

# the riskiest first: an executive of the baseline, then the mailboxes
# check-admins named in this case
printf '[executives]\nhugo.durand@contoso.com\n' >"$T/exec.ini"
N0=$(logq 'len(L)')
live order --max-mailboxes 1 --baseline "$T/exec.ini"
logok "--max-mailboxes 1: the baseline's executive read first, alone" "
[e['exo']['params']['Mailbox'] for e in L[$N0:] if e.get('exo', {}).get('cmdlet') == 'Get-InboxRule'] == ['hugo.durand@contoso.com']"
check "--max-mailboxes 1: the 8 others unanswered, saying how to read them" python3 -c "
import json,sys; d=json.load(open('$T/order.json'))
sys.exit(0 if any(u['check']=='MAIL-002' and u['reason'].startswith('8 mailbox(es)') and '--max-mailboxes' in u['needs'] for u in d['unknown']) else 1)"
# check-admins' findings in the case (listed in its manifest, as a run
# saves them): a suspect one, then one that only lists an admin
mkdir -p "$T/order2/findings"
cat >"$T/order2/findings/check-admins.json" <<'EOF'
{"tool":"reflexe","applet":"check-admins","findings":[
 {"id":"ADM-012","severity":"medium","status":"suspect","objects":["gaelle.petit@contoso.com","198.51.100.7"]},
 {"id":"ADM-022","severity":"info","status":"clear","objects":["farid.richard@contoso.com"]}],"unknown":[]}
EOF
(cd "$T/order2" && sha256sum findings/check-admins.json >manifest.sha256)
N0=$(logq 'len(L)')
live order2 --max-mailboxes 2
logok "--max-mailboxes 2: the mailbox a suspect finding names, then the admin check-admins lists" "
[e['exo']['params']['Mailbox'] for e in L[$N0:] if e.get('exo', {}).get('cmdlet') == 'Get-InboxRule'] ==
['gaelle.petit@contoso.com', 'farid.richard@contoso.com']"

# interrupted: killed in the middle, then run again
fake slow --tenant-file "$TOP/tests/fake/tenants/clean.json" --exo-mailbox-latency-ms 400
"$REFLEXE" check-mail --case "$T/cut" --format json >/dev/null 2>"$T/cut.err" &
CUT=$!
wait_log() { for _ in $(seq 100); do [ "$(logq 'sum(1 for e in L if e.get("exo", {}).get("cmdlet") == "Get-InboxRule")')" -ge 3 ] && return 0; sleep 0.1; done; return 1; }
wait_log
kill -TERM "$CUT" 2>/dev/null; wait "$CUT" 2>/dev/null
check "interrupted: the case folder's manifest still checks" manifest_ok "$T/cut"
# mailboxes whose two answers were whole in the case when it was cut
( cd "$T/cut" && for d in exo/Get-InboxRule/*/; do m=$(basename "$d")
	grep -q "  exo/Get-InboxRule/$m/page-0001.json\$" manifest.sha256 &&
	grep -q "  exo/Get-MailboxPermission/$m/page-0001.json\$" manifest.sha256 && echo "$m"; done ) >"$T/had.txt"
N0=$(logq 'len(L)')
live cut
check "interrupted, run again: exit 0 or 1" [ "$RC" -le 1 ]
check "interrupted, run again: the answers read before the cut not asked again" python3 - "$LOG" "$T/had.txt" "$N0" <<'EOF'
import json, sys
L = sorted((json.loads(l) for l in open(sys.argv[1]) if l.strip()), key=lambda e: e["t"])[int(sys.argv[3]):]
had = {l.strip() for l in open(sys.argv[2]) if l.strip()}
asked = {e["exo"]["params"].get("Mailbox") or e["exo"]["params"].get("Identity") for e in L
         if e.get("exo", {}).get("cmdlet") in ("Get-InboxRule", "Get-MailboxPermission")}
sys.exit(0 if not asked & had and len(asked | had) == 9 else 1)
EOF
check "interrupted, run again: every mailbox read in the end" grep -q '"inboxRules":{"state":"ok","detail":"9/9 mailboxes read' "$T/cut/collect/check-mail.json"

# ---- traces of BEC, relay and leak -----------------------------------------------------------
# the 429 on the first mailbox's Get-InboxRule, which is asked alone
fake bec --tenant-file "$T/bec.json" --exo-page-max 3 \
	--fault 'kind=429,cmdlet=^Get-InboxRule$,count=1,retry_after=1'
live bec
check "bec live: exit 1" [ "$RC" = 1 ]
check "bec live: forwarding outside (smtp: prefix dropped)" chk "$T/bec.json" has MAIL-001 high suspect david.thomas@contoso.com david.perso@gmail.com
check "bec live: the '..' rule hiding payment mail" chk "$T/bec.json" has MAIL-002 high suspect emma.robert@contoso.com
check "bec live: transport rule copying outside" chk "$T/bec.json" has MAIL-009 high suspect Archive collecte@evil.example
check "bec live: own domain allowed to spoof" chk "$T/bec.json" has MAIL-008 high suspect contoso.com
check "bec live: 1.b, 1.c and 1.e suspected" bash -c "for a in 1.b 1.c 1.e; do python3 '$TOP/tests/fixtures/admins/check.py' '$T/bec.json' action \$a suspected || exit 1; done"
logok "bec live: Get-Mailbox paged by POSTing the same body to the next link" '
(lambda ms: len(ms) >= 3 and len({json.dumps(e["exo"], sort_keys=True) for e in ms}) == 1 and
 sum(1 for e in ms if "skiptoken" in e["path"]) == len(ms) - 1)(
 [e for e in L if e.get("exo", {}).get("cmdlet") == "Get-Mailbox"])'
logok "bec live: the 429 waited its Retry-After" '
sum(1 for e in L if e["status"] == 429) == 1 and
all(f["t"] >= e["t_done"] + float(e["retry_after"]) - 0.005
    for e in L if e["status"] == 429 for f in L if f["t"] > e["t_done"] and f["service"] == "exo")'
check "bec live: throttling said on stderr" grep -q 'Exchange: throttled (HTTP 429)' "$T/bec.err"
offline bec
check "bec: --offline gives the live document" chk "$T/bec.off.json" same "$T/bec.json"

# ---- missing roles -------------------------------------------------------------------------------
fake gr --tenant-file "$TOP/tests/fake/tenants/clean.json" --exo-role global-reader
live gr
check "Global Reader live: 1.b undetermined, Mail Recipients named" chk "$T/gr.json" action 1.b undetermined "Mail Recipients"
check "Global Reader live: MAIL-002 unanswered, what would answer" chk "$T/gr.json" unknown MAIL-002 "Global Reader cannot run Get-InboxRule"
check "Global Reader live: MAIL-004 unanswered (401 not allowed to call)" chk "$T/gr.json" unknown MAIL-004 "Get-RecipientPermission"
check "Global Reader live: 1.e still answered" chk "$T/gr.json" action 1.e not_detected
logok "Global Reader live: one Get-InboxRule refused, no other asked" '
[e["status"] for e in L if e.get("exo", {}).get("cmdlet") == "Get-InboxRule"] == [400]'
check "Global Reader live: the record says denied" grep -q '"inboxRules":{"state":"denied"' "$T/gr/collect/check-mail.json"
fake norole --tenant-file "$TOP/tests/fake/tenants/clean.json" --exo-role none
live norole
check "no Exchange role (403, NUL bytes): exit 3" [ "$RC" = 3 ]
check "no Exchange role: the three actions undetermined" bash -c "for a in 1.b 1.c 1.e; do python3 '$TOP/tests/fixtures/admins/check.py' '$T/norole.json' action \$a undetermined || exit 1; done"
check "no Exchange role: recorded as denied, not failed" grep -q '"mailboxes":{"state":"denied","detail":"HTTP 403' "$T/norole/collect/check-mail.json"

# ---- Exchange's Rate-Limit budget ---------------------------------------------------------------
# Remaining under 5 %: the client holds every request until Reset; only
# those already in flight (3 at most) can meet the empty budget.
fake budget --tenant-file "$TOP/tests/fake/tenants/clean.json" --exo-rate-limit 20/3s
live budget
check "Rate-Limit budget: exit 0 or 1, all read" bash -c "[ $RC -le 1 ] && grep -q '9/9 mailboxes read' '$T/budget/collect/check-mail.json'"
check "Rate-Limit budget: the pause said on stderr" grep -q "call budget nearly used up (0 left of 20)" "$T/budget.err"
logok "Rate-Limit budget: no more refused than were in flight when it ran out" '
sum(1 for e in L if e.get("throttled") == "exo-budget") <= 3 * -(-sum(1 for e in L if e["service"] == "exo") // 20)'

# ---- a mailbox answering a million inbox rules ----------------------------------------------------
cat >"$T/huge.json" <<EOF
{"extends": "$TOP/tests/fake/tenants/clean.json",
 "exchange": {"Get-InboxRule": [{"_mailbox": "hugo.durand@contoso.com", "_repeat": 1000000, "Name": "r",
                                 "SubjectContainsWords": ["x"], "MoveToFolder": "X"}]}}
EOF
fake huge --tenant-file "$T/huge.json"
live huge
check "1,000,000 inbox rules: the run completes (exit 0 or 1)" [ "$RC" -le 1 ]
check "1,000,000 inbox rules: unanswered, naming the mailbox and the bound" python3 -c "
import json,sys; d=json.load(open('$T/huge.json'))
sys.exit(0 if any(u['check']=='MAIL-002' and 'hugo.durand@contoso.com' in u['reason'] and '4096' in u['reason'] for u in d['unknown']) else 1)"
logok "1,000,000 inbox rules: no more than 5 pages of 1000 asked" '
sum(1 for e in L if e.get("exo", {}).get("cmdlet") == "Get-InboxRule" and "hugo" in e["exo"]["params"]["Mailbox"]) <= 5'
check "1,000,000 inbox rules: the others' answers and the manifest intact" bash -c "
(cd '$T/huge' && sha256sum -c --quiet --strict manifest.sha256) && grep -q '8/9 mailboxes read' '$T/huge/collect/check-mail.json'"
offline huge
check "1,000,000 inbox rules: --offline gives the live document" chk "$T/huge.off.json" same "$T/huge.json"
