"""Exchange Online admin API (the REST endpoint behind ExchangeOnlineManagement v3):

  POST /adminapi/beta/{tenant}/InvokeCommand
       {"CmdletInput": {"CmdletName": "Get-Mailbox", "Parameters": {...}}}
  headers: Authorization (audience https://outlook.office365.com), X-ResponseFormat: json,
           X-AnchorMailbox, Prefer: odata.maxpagesize=N
  paging: the client POSTs the same body to @odata.nextLink.

Only Get-* cmdlets are served; anything else is refused (400) and flagged
in the log as a write attempt.  Cmdlets are served from the tenant model:
Get-Mailbox (derived from users), Get-InboxRule, Get-MailboxPermission,
Get-RecipientPermission, Get-TransportRule, Get-RemoteDomain,
Get-HostedContentFilterPolicy, Get-AdminAuditLogConfig,
Get-OrganizationConfig, and any Get-X listed under "exchange" in the
tenant file.
"""
import datetime
import hashlib
import json
import random
import re
import threading
import time
import urllib.parse

from . import tokens
from .common import Resp
from .odata import ODataError, compile_filter
from .util import b64url, b64url_decode, dumps, public

CT = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

# cmdlet -> parameters accepted (besides the common ones)
PARAMS = {
    "Get-Mailbox": {"Identity", "ResultSize", "RecipientTypeDetails", "Filter", "IncludeInactiveMailbox",
                    "SoftDeletedMailbox", "Anr"},
    "Get-InboxRule": {"Mailbox", "Identity", "IncludeHidden", "BypassScopeCheck"},
    "Get-MailboxPermission": {"Identity", "User", "Owner", "ResultSize"},
    "Get-RecipientPermission": {"Identity", "Trustee", "AccessRights", "ResultSize"},
    "Get-TransportRule": {"Identity", "State", "ResultSize", "Filter"},
    "Get-RemoteDomain": {"Identity", "ResultSize"},
    "Get-HostedContentFilterPolicy": {"Identity"},
    "Get-AdminAuditLogConfig": set(),
    "Get-OrganizationConfig": set(),
    "Get-AcceptedDomain": {"Identity", "ResultSize"},
    "Get-MailboxAuditBypassAssociation": {"Identity", "ResultSize"},
    "Get-InboundConnector": {"Identity"},
    "Get-OutboundConnector": {"Identity", "IncludeTestModeConnectors"},
    "Get-OwaMailboxPolicy": {"Identity"},
    "Get-TransportConfig": set(),
    "Get-HostedConnectionFilterPolicy": {"Identity"},
    "Get-HostedOutboundSpamFilterPolicy": {"Identity"},
    "Get-HostedOutboundSpamFilterRule": {"Identity", "State"},
    "Get-AntiPhishPolicy": {"Identity"},
    "Get-TenantAllowBlockListItems": {"ListType", "Entry", "Allow", "Block", "ExpirationDate", "NoExpiration",
                                      "ListSubType", "OutputJson"},
    "Get-TenantAllowBlockListSpoofItems": {"Identity", "Action", "SpoofType"},
    "Get-Recipient": {"Identity", "ResultSize", "RecipientTypeDetails", "Filter"},
}
# Per-mailbox cmdlets: --exo-mailbox-latency-ms applies to them (a mailbox
# is opened on its own server; CIPP's developers call them "incredibly slow").
PER_MAILBOX = {"Get-InboxRule", "Get-MailboxPermission"}
# The role a tenant's caller holds (settings.exoRole): Global Reader reads
# the configuration but not these (check-mail.md §2).
GR_DENIED = {"Get-RecipientPermission": 401, "Get-InboxRule": 400}
COMMON = {"ErrorAction", "WarningAction", "Verbose", "Debug"}
GENERIC = {"Identity", "ResultSize", "Filter"}
MAILBOX_KEYS = ("Identity", "Name", "Alias", "UserPrincipalName", "PrimarySmtpAddress", "Guid",
                "ExternalDirectoryObjectId", "DisplayName", "DistinguishedName", "ExchangeGuid", "Id")
INBOX_RULE_DEFAULTS = {
    "Enabled": True, "Description": "", "From": None, "SubjectContainsWords": None, "BodyContainsWords": None,
    "SubjectOrBodyContainsWords": None, "FromAddressContainsWords": None, "ForwardTo": None,
    "ForwardAsAttachmentTo": None, "RedirectTo": None, "DeleteMessage": False, "MoveToFolder": None,
    "MarkAsRead": False, "StopProcessingRules": False, "InError": False, "SupportedByTask": True,
    "IsValid": True, "ObjectState": "New",
}


class ExoError(Exception):
    def __init__(self, exc_type, message, status=400, code="BadRequest"):
        super().__init__(message)
        self.exc_type, self.message, self.status, self.code = exc_type, message, status, code


def exo_error(ctx, status, exc_type, message, code="BadRequest"):
    tag = "Ex%06X" % random.randrange(1 << 24)
    body = {"error": {
        "code": code, "message": "|%s|%s" % (exc_type, message),
        "details": [{"code": "Context", "target": "", "message": "%s|%s|%s" % (tag, exc_type, message)}],
        "innererror": {"message": message, "type": "Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
                       "stacktrace": "", "internalexception": {"message": message, "type": exc_type,
                                                               "stacktrace": ""}}}}
    r = Resp(status, dumps(body), CT)
    r.add("request-id", ctx.request_id)
    return r


def exo_role_error(ctx, cmdlet):
    """401 for a cmdlet the caller's roles do not grant (check-mail.md §1.5)."""
    msg = "User is not allowed to call %s" % cmdlet
    body = {"error": {"code": "Unauthorized", "message": msg,
                      "innererror": {"message": msg, "type": "Microsoft.Exchange.Admin.OData.Core.ODataServiceException"}}}
    r = Resp(401, dumps(body), CT)
    r.add("request-id", ctx.request_id)
    return r


def exo_invalid_operation(ctx, exc_type, message):
    """A cmdlet's own error as the admin API wraps it (400, check-mail.md §1.5):
    "Invalid Operation" outside, the text in details and internalexception."""
    body = {"error": {"code": "BadRequest", "message": "Invalid Operation",
                      "details": [{"code": "Client", "target": "", "message": "|%s|%s" % (exc_type, message)}],
                      "innererror": {"message": "Invalid Operation",
                                     "type": "Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
                                     "stacktrace": "", "internalexception": {"message": message, "type": exc_type,
                                                                             "stacktrace": ""}}}}
    r = Resp(400, dumps(body), CT)
    r.add("request-id", ctx.request_id)
    return r


class Repeat:
    """A rule row repeated n times without n dicts in memory (a mailbox
    with a million inbox rules: the client must stop at its own bound)."""
    def __init__(self, base, n):
        self.base, self.n = base, n

    def __len__(self):
        return self.n

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(self.n))]
        row = dict(self.base)
        row["Name"] = "%s %d" % (row.get("Name", "rule"), k + 1)
        row["RuleIdentity"] = str(10 ** 15 + k)
        row["Identity"] = "%s\\%s" % (row.get("MailboxOwnerId", "?"), row["RuleIdentity"])
        row["Priority"] = k + 1
        return row


# Multi-valued properties come with an "X@odata.type" companion and typed
# scalars with "X@data.type" (the 2024 capture, check-mail.md §1.3).
DATES = {"WhenChanged", "WhenChangedUTC", "WhenCreated", "WhenCreatedUTC", "LastModifiedDateTime",
         "ExpirationDate"}


def annotate(row):
    out = {}
    for k, v in row.items():
        if isinstance(v, list):
            out[k + "@odata.type"] = "#Collection(String)"
        elif k in DATES and v is not None:
            out[k + "@data.type"] = "System.DateTime"
        out[k] = v
    return out


def opath_to_odata(text):
    """A small OPATH subset (Exchange -Filter) -> an OData filter string."""
    toks = re.findall(r"""\s*(-and|-or|-not|-eq|-ne|-like|-notlike|-gt|-ge|-lt|-le|\$null|\$true|\$false|
                          '(?:[^']|'')*'|"(?:[^"]|"")*"|[()]|[A-Za-z_][\w.]*|\d+)""", text.strip(), re.X | re.I)
    if re.sub(r"\s+", "", "".join(toks)) != re.sub(r"\s+", "", text.strip()):
        raise ExoError("Microsoft.Exchange.Configuration.Tasks.ThrowTerminatingErrorException",
                       "Cannot bind parameter 'Filter' to the target. Exception setting \"Filter\": \"Invalid filter "
                       "syntax (this fake understands -eq -ne -like -gt -ge -lt -le -and -or -not, $null "
                       "$true $false).\"")
    out, i = [], 0
    while i < len(toks):
        t = toks[i]
        low = t.lower()
        if low in ("-and", "-or", "-not"):
            out.append(low[1:])
        elif low in ("-eq", "-ne", "-gt", "-ge", "-lt", "-le"):
            out.append(low[1:])
        elif low in ("-like", "-notlike"):
            prop = out.pop()
            pat = toks[i + 1][1:-1]
            i += 1
            neg = low == "-notlike"
            core = pat.strip("*")
            q = "'" + core.replace("'", "''") + "'"
            if "*" in core:
                raise ExoError("Microsoft.Exchange.Configuration.Tasks.ThrowTerminatingErrorException",
                               "Wildcards are supported only at the start or the end of a -like pattern here.")
            if pat.startswith("*") and pat.endswith("*") and len(pat) > 1:
                raise ExoError("Microsoft.Exchange.Configuration.Tasks.ThrowTerminatingErrorException",
                               "Patterns '*x*' are not supported by this fake.")
            if pat.endswith("*"):
                e = "startswith(%s,%s)" % (prop, q)
            elif pat.startswith("*"):
                e = "endswith(%s,%s)" % (prop, q)
            else:
                e = "%s eq %s" % (prop, q)
            out.append(("not (%s)" % e) if neg else e)
        elif low == "$null":
            out.append("null")
        elif low in ("$true", "$false"):
            out.append(low[1:])
        elif t.startswith('"'):
            out.append("'" + t[1:-1].replace('""', '"').replace("'", "''") + "'")
        else:
            out.append(t)
        i += 1
    return " ".join(out)


class Budget:
    """Rate-Limit-Limit / -Remaining / -Reset on every answer, as a 2024
    capture shows them (30000 a window; the window itself is not
    documented): --exo-rate-limit N/Ws sets both. Remaining counts down
    within the window; at 0 the service answers 429 until Reset."""
    def __init__(self, spec):
        self.limit, self.window = 30000, 3600.0
        if spec:
            n, _, w = spec.partition("/")
            self.limit, self.window = int(n), float(w.rstrip("s") or 1)
        self.lock = threading.Lock()
        self.start, self.used = time.time(), 0

    def _roll(self):
        now = time.time()
        if now >= self.start + self.window:
            self.start, self.used = now, 0
        return now

    def full(self):
        """Seconds until the window resets when it is used up, else None."""
        with self.lock:
            now = self._roll()
            return self.start + self.window - now if self.used >= self.limit else None

    def take(self):
        with self.lock:
            self._roll()
            self.used += 1
            reset = datetime.datetime.fromtimestamp(self.start + self.window, datetime.timezone.utc)
            return [("Rate-Limit-Limit", str(self.limit)), ("Rate-Limit-Remaining", str(max(0, self.limit - self.used))),
                    ("Rate-Limit-Reset", reset.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (reset.microsecond // 1000)),
                    ("X-Concurrencycount", "0")]


class ExoService:
    def __init__(self, app):
        self.app = app
        self.t = app.tenant

    def handle(self, ctx):
        segs = [s for s in ctx.path.split("/") if s]
        if len(segs) != 4 or segs[0] != "adminapi" or segs[1] != "beta" or segs[3] != "InvokeCommand":
            ctx.log["unrouted"] = True
            return exo_error(ctx, 404, "Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
                             "Resource not found for the segment '%s'." % (segs[-1] if segs else ""), "NotFound")
        tenant = segs[2]
        claims = self.auth(ctx)
        if isinstance(claims, Resp):
            return claims
        tl = tenant.lower()
        if tl != self.t.id.lower() and tl not in [d.lower() for d in self.t.domain_names]:
            return exo_error(ctx, 400, "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException",
                             "The tenant '%s' could not be found." % tenant)
        if ctx.method != "POST":
            return exo_error(ctx, 405, "Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
                             "The HTTP method '%s' is not allowed for InvokeCommand." % ctx.method, "MethodNotAllowed")
        if not self.t.exo:
            return exo_error(ctx, 403, "Microsoft.Exchange.Configuration.Tasks.ThrowTerminatingErrorException",
                             "The tenant has no Exchange Online subscription.", "Forbidden")
        try:
            doc = json.loads(ctx.body.decode("utf-8"))
            ci = doc["CmdletInput"]
            name = ci["CmdletName"]
            params = ci.get("Parameters") or {}
            if not isinstance(name, str) or not isinstance(params, dict):
                raise TypeError
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            return exo_error(ctx, 400, "Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
                             "The request body is not a valid InvokeCommand payload: expected "
                             "{\"CmdletInput\":{\"CmdletName\":...,\"Parameters\":{...}}}.")
        ctx.log["exo"] = {"cmdlet": name, "params": params}
        if not name.lower().startswith("get-"):
            ctx.log["write_attempt"] = True
            return exo_error(ctx, 400, "System.Management.Automation.CommandNotFoundException",
                             "The term '%s' is not recognized as a name of a cmdlet available to this read-only "
                             "fake: only Get-* cmdlets are served." % name)
        canon = self._canonical(name)
        if canon is None:
            return exo_error(ctx, 400, "System.Management.Automation.CommandNotFoundException",
                             "The term '%s' is not recognized as a name of a cmdlet, function, script file, or "
                             "executable program. Check the spelling of the name, or if a path was included, "
                             "verify that the path is correct and try again." % name)
        allowed = PARAMS.get(canon, GENERIC) | COMMON
        for p in params:
            if p not in allowed:
                return exo_error(ctx, 400, "System.Management.Automation.ParameterBindingException",
                                 "A parameter cannot be found that matches parameter name '%s'." % p)
        role = self.t.settings.get("exoRole") or self.app.opts.exo_role or "admin"
        if role == "none":
            # Exchange.ManageAsApp granted, no directory role: a 403 whose
            # body is a run of NUL bytes (graph2otel, check-mail.md §1.5)
            ctx.log["denied"] = "exo-role:none"
            r = Resp(403, b"\x00" * 32, "application/octet-stream")
            r.add("request-id", ctx.request_id)
            return r
        if role == "global-reader" and canon in GR_DENIED:
            ctx.log["denied"] = "exo-role:global-reader"
            if GR_DENIED[canon] == 401:
                return exo_role_error(ctx, canon)
            who = params.get("Mailbox") or params.get("Identity") or "?"
            return exo_invalid_operation(
                ctx, "Microsoft.Exchange.Configuration.Tasks.ThrowTerminatingErrorException",
                "The operation on mailbox \"%s\" failed because it's out of the current user's read scope. "
                "Please check the mailbox's Recipient Scope and the user's management scope." % who)
        wait = self.app.exo_budget.full()
        if wait is not None:
            ctx.log["throttled"] = "exo-budget"
            r = exo_error(ctx, 429, "Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
                          "Too many requests: the tenant is being throttled. Retry later.", "TooManyRequests")
            r.add("Retry-After", "%d" % max(1, int(wait + 0.999)))
            return r
        if canon in PER_MAILBOX and self.app.opts.exo_mailbox_latency_ms:
            time.sleep(self.app.opts.exo_mailbox_latency_ms / 1000.0)
        warnings = []
        try:
            rows = self.run(ctx, claims, canon, params, warnings)
        except ExoError as e:
            return exo_error(ctx, e.status, e.exc_type, e.message, e.code)
        return self.page(ctx, tenant, canon, params, rows, warnings)

    def auth(self, ctx):
        h = ctx.header("authorization") or ""
        scheme, _, tok = h.partition(" ")
        if self.app.opts.no_auth:
            return {"idtyp": "user", "scp": "Exchange.Manage", "upn": self.app.login.signed_in_user()
                    .get("userPrincipalName")}
        claims, why = (tokens.verify(tok.strip()) if scheme.lower() == "bearer" and tok.strip() else (None, "empty"))
        if claims is None or claims.get("aud") not in (tokens.EXO_AUD, tokens.EXO_AUD + "/", tokens.EXO_APPID):
            r = Resp(401, dumps({"error": {"code": "InvalidAuthenticationToken" if claims is None else "InvalidAudience",
                                           "message": "The access token is %s." % (
                                               why if claims is None else "for another audience")}}), CT)
            r.add("WWW-Authenticate", 'Bearer client_id="00000002-0000-0ff1-ce00-000000000000", '
                                      'trusted_issuers="00000001-0000-0000-c000-000000000000@*", '
                                      'token_types="app_asserted_user_v1 service_asserted_app_v1", '
                                      'authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize",'
                                      ' error="invalid_token"')
            r.add("request-id", ctx.request_id)
            return r
        perms = (claims.get("scp") or "").split() if claims.get("idtyp") != "app" else (claims.get("roles") or [])
        need = "Exchange.Manage" if claims.get("idtyp") != "app" else "Exchange.ManageAsApp"
        if not tokens.satisfies(perms, [need]):
            ctx.log["denied"] = "scope:" + need
            return exo_error(ctx, 403, "Microsoft.Exchange.Configuration.Tasks.ThrowTerminatingErrorException",
                             "The token does not carry %s." % need, "Forbidden")
        return claims

    def _canonical(self, name):
        known = set(PARAMS) | set(self.t.exchange_raw)
        for k in known:
            if k.lower() == name.lower():
                return k
        return None

    # ---- cmdlets --------------------------------------------------------------------
    def resolve_mailbox(self, ident):
        il = str(ident).lower()
        idx = getattr(self, "_mbx_index", None)
        if idx is None:
            idx = {}
            for m in self.t.mailboxes():
                for k in MAILBOX_KEYS:
                    if m.get(k) is not None:
                        idx.setdefault(str(m.get(k)).lower(), m)
            self._mbx_index = idx
        if il in idx:
            return idx[il]
        for m in self.t.mailboxes():
            for k in MAILBOX_KEYS:
                v = m.get(k)
                if v is not None and str(v).lower() == il:
                    return m
            if any(str(a).lower() in ("smtp:" + il,) for a in m.get("EmailAddresses") or []):
                return m
        raise ExoError("Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException",
                       "The operation couldn't be performed because object '%s' couldn't be found on "
                       "'PA1PR01A001DC01.EURPR01A001.prod.outlook.com'." % ident)

    @staticmethod
    def _mb_names(mb):
        return {str(mb.get(k)).lower() for k in MAILBOX_KEYS if mb.get(k) is not None}

    def run(self, ctx, claims, name, params, warnings):
        p = params
        if name == "Get-MailboxPermission" and "Identity" not in p:
            raise ExoError("System.Management.Automation.ParameterBindingException",
                           "Cannot process command because of one or more missing mandatory parameters: Identity.")
        rows = list(self.t.exchange(name) or [])
        if name == "Get-InboxRule":
            owner = p.get("Mailbox")
            if owner is None:
                upn = claims.get("upn")
                if not upn:
                    raise ExoError("Microsoft.Exchange.Configuration.Tasks.ThrowTerminatingErrorException",
                                   "Get-InboxRule needs -Mailbox when called by an application.")
                owner = upn
            mb = self.resolve_mailbox(owner)
            names = self._mb_names(mb)
            out = []
            mine = [x for x in rows if str(x.get("_mailbox", x.get("MailboxOwnerId", ""))).lower() in names]
            big = [x for x in mine if x.get("_repeat")]
            if big:
                base = dict(INBOX_RULE_DEFAULTS, MailboxOwnerId=mb["Name"])
                base.update(public(big[0]))
                return Repeat(base, int(big[0]["_repeat"]))
            for i, r in enumerate(mine):
                row = dict(INBOX_RULE_DEFAULTS)
                row["Priority"] = i + 1
                rid = r.get("RuleIdentity") or str(int(hashlib.sha1((mb["Identity"] + r.get("Name", "")).encode())
                                                       .hexdigest()[:15], 16))
                row.update({"MailboxOwnerId": mb["Name"], "RuleIdentity": rid,
                            "Identity": "%s\\%s" % (mb["Name"], rid), "Name": r.get("Name")})
                row.update(r)
                out.append(row)
            rows = out
            if "Identity" in p:
                want = str(p["Identity"]).lower()
                rows = [r for r in rows if want in (str(r.get("Identity")).lower(), str(r.get("Name")).lower(),
                                                    str(r.get("RuleIdentity")).lower())]
        elif name == "Get-TenantAllowBlockListItems":
            if "ListType" not in p:
                raise ExoError("System.Management.Automation.ParameterBindingException",
                               "Cannot process command because of one or more missing mandatory parameters: "
                               "ListType.")
            lt = str(p["ListType"]).lower()
            if lt not in ("sender", "url", "filehash", "ip"):
                raise ExoError("System.Management.Automation.ParameterBindingException",
                               "Cannot bind parameter 'ListType'. Cannot convert value \"%s\"." % p["ListType"])
            rows = [r for r in rows if str(r.get("_list", "Sender")).lower() == lt]
            if not rows:
                # an empty list answers one record of nulls (CIPP skips
                # records without an Identity)
                rows = [{"Identity": None, "Value": None, "Action": None, "ListSubType": None,
                         "ExpirationDate": None, "Notes": None}]
        elif name == "Get-TenantAllowBlockListSpoofItems":
            pass
        elif name in ("Get-MailboxPermission", "Get-RecipientPermission") and "Identity" in p:
            mb = self.resolve_mailbox(p["Identity"])
            names = self._mb_names(mb)
            rows = [r for r in rows if str(r.get("Identity", "")).lower() in names]
        elif "Identity" in p:
            if name == "Get-Mailbox":
                rows = [self.resolve_mailbox(p["Identity"])]
            else:
                want = str(p["Identity"]).lower()
                rows = [r for r in rows if want in {str(r.get(k)).lower() for k in ("Identity", "Name", "Guid")
                                                    if r.get(k) is not None}]
                if not rows:
                    raise ExoError("Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException",
                                   "The operation couldn't be performed because object '%s' couldn't be found on "
                                   "'PA1PR01A001DC01.EURPR01A001.prod.outlook.com'." % p["Identity"])
        if "User" in p and name == "Get-MailboxPermission":
            rows = [r for r in rows if str(r.get("User", "")).lower() == str(p["User"]).lower()]
        if "AccessRights" in p and name == "Get-RecipientPermission":
            want = {str(x).lower() for x in (p["AccessRights"] if isinstance(p["AccessRights"], list)
                                             else [p["AccessRights"]])}
            rows = [r for r in rows if want & {str(x).lower() for x in r.get("AccessRights") or []}]
        if "Trustee" in p:
            rows = [r for r in rows if str(r.get("Trustee", "")).lower() == str(p["Trustee"]).lower()]
        if "RecipientTypeDetails" in p:
            want = p["RecipientTypeDetails"]
            want = {w.strip().lower() for w in (want if isinstance(want, list) else str(want).split(","))}
            rows = [r for r in rows if str(r.get("RecipientTypeDetails", "")).lower() in want]
        if "State" in p:
            rows = [r for r in rows if str(r.get("State", "")).lower() == str(p["State"]).lower()]
        if "Filter" in p:
            try:
                pred = compile_filter(opath_to_odata(str(p["Filter"])))
            except ODataError as e:
                raise ExoError("Microsoft.Exchange.Configuration.Tasks.ThrowTerminatingErrorException",
                               "Cannot bind parameter 'Filter': %s" % e.message)
            rows = [r for r in rows if pred(r)]
        rs = p.get("ResultSize")
        if rs is None and name in ("Get-Mailbox", "Get-MailboxPermission", "Get-RecipientPermission"):
            if len(rows) > 1000:
                warnings.append("By default only the first 1000 items are returned. Use the ResultSize parameter "
                                "to specify the number of items returned. To return all items, specify "
                                "\"-ResultSize Unlimited\". Be aware that, depending on the actual number of items, "
                                "returning all items can take a long time and consume a large amount of memory. "
                                "Also, we don't recommend storing the results in a variable. Instead, pipe the "
                                "results to another task or script to perform batch changes.")
                rows = rows[:1000]
        elif rs is not None and str(rs).lower() != "unlimited":
            try:
                rows = rows[:int(rs)]
            except ValueError:
                raise ExoError("System.Management.Automation.ParameterBindingException",
                               "Cannot bind parameter 'ResultSize'. Cannot convert value \"%s\" to type "
                               "\"Microsoft.Exchange.Data.Unlimited`1[System.UInt32]\"." % rs)
        if isinstance(rows, Repeat):
            return rows
        return [public(r) for r in rows]

    # ---- paging ---------------------------------------------------------------------
    def page(self, ctx, tenant, name, params, rows, warnings):
        prefer = ctx.header("prefer") or ""
        m = re.search(r"odata\.maxpagesize\s*=\s*(\d+)", prefer, re.I)
        size = int(m.group(1)) if m else self.app.opts.exo_page_size
        size = max(1, min(size, 1000, self.app.opts.exo_page_max))
        h = hashlib.sha1(dumps([name.lower(), params])).hexdigest()[:12]
        off = 0
        if "$skiptoken" in ctx.query:
            try:
                tok = json.loads(b64url_decode(ctx.query["$skiptoken"]))
                off = int(tok["o"])
                if tok["h"] != h:
                    raise ValueError
            except (ValueError, KeyError, TypeError):
                return exo_error(ctx, 400, "Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
                                 "The skip token does not belong to this command (the body must be the same as "
                                 "the first request's).")
        chunk = [annotate(r) for r in rows[off:off + size]]
        sel = [p.strip() for p in (ctx.query.get("$select") or "").split(",") if p.strip()]
        if sel:
            chunk = [{k: r.get(k) for k in sel} for r in chunk]
        base = "https://%s/adminapi/beta/%s" % (ctx.host, tenant)
        body = {"@odata.context": base + "/$metadata#Collection(Exchange.GenericHashTable)",
                "adminapi.warnings@odata.type": "#Collection(String)",
                "@adminapi.warnings": warnings if off == 0 else []}
        if off + size < len(rows):
            tok = b64url(json.dumps({"o": off + size, "h": h}, separators=(",", ":")))
            body["@odata.nextLink"] = base + "/InvokeCommand?" + \
                ("%24select=" + urllib.parse.quote(",".join(sel)) + "&" if sel else "") + \
                "%24skiptoken=" + urllib.parse.quote(tok)
        body["value"] = chunk
        ctx.log["count"] = len(chunk)
        r = Resp(200, dumps(body), CT)
        if m:
            r.add("Preference-Applied", "odata.maxpagesize=%d" % size)
        r.add("request-id", ctx.request_id)
        r.add("X-CalculatedBETarget", "PA1PR01MB0000.eurprd01.prod.outlook.com")
        for k, v in self.app.exo_budget.take():
            r.add(k, v)
        return r
