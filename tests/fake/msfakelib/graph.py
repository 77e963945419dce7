"""Microsoft Graph (v1.0 and beta) over the synthetic tenant.

Collections are the tenant's: any key of the tenant file ("users",
"auditLogs/signIns", "identity/conditionalAccess/policies"...) is served at
/{v1.0|beta}/{key}, its items at /{key}/{id}, and nested lists
("domains/{id}/federationConfiguration") below the items.  A few navigations
are computed (memberOf, transitiveMemberOf, members, transitiveMembers,
authentication/methods, me).  Query options: $select $filter $top $skiptoken
$count $orderby $expand (see odata.py).  Read-only: any other method than
GET (except POST $batch) is refused with 405 and flagged in the log.
"""
import collections
import hashlib
import json
import random
import re
import threading
import urllib.parse

from . import builtin, tokens
from .common import GRAPH_CT, Ctx, Resp, graph_error
from .limits import IdentityLimits, ReportsLimits
from .odata import ODataError, compile_filter, filter_mentions, parse_orderby, sort_objects, split_list
from .util import b64url, b64url_decode, dumps, parse_dt, public

NON_PREMIUM = (403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
               "Neither tenant is B2C or tenant doesn't have premium license")
NO_P2 = (400, "AadPremiumLicenseRequired",
         "The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license.")

# (route regex, licence needed) -- first match wins.  Route = collection key,
# then "/{id}" and the navigation, e.g. "users/{id}/memberOf".
LICENCE = [
    (r"^auditLogs/signIns", "p1", NON_PREMIUM),
    (r"^reports/authenticationMethods/", "p1", NON_PREMIUM),
    (r"^identityProtection/", "p1", NON_PREMIUM),
    (r"^roleManagement/directory/role(Eligibility|Assignment)Schedule", "p2", NO_P2),
]

# (route regex, delegated scopes any-of, application roles any-of)
_DIR = ["Directory.Read.All"]
SCOPES = [
    (r"^me/(transitiveMemberOf|memberOf)", ["User.Read", "GroupMember.Read.All"] + _DIR,
     None),
    (r"^me(/|$)", ["User.Read", "User.ReadBasic.All", "User.Read.All"] + _DIR, None),
    (r"^users/\{id\}/authentication/", ["UserAuthenticationMethod.Read.All"], ["UserAuthenticationMethod.Read.All"]),
    (r"^users/\{id\}/mailFolders/", ["MailboxSettings.Read", "Mail.Read"], ["MailboxSettings.Read", "Mail.Read"]),
    (r"^users/\{id\}/(transitive)?[mM]emberOf", ["GroupMember.Read.All", "Group.Read.All"] + _DIR,
     ["GroupMember.Read.All", "Group.Read.All"] + _DIR),
    (r"^users", ["User.ReadBasic.All", "User.Read.All"] + _DIR, ["User.Read.All"] + _DIR),
    (r"^groups", ["GroupMember.Read.All", "Group.Read.All"] + _DIR, ["GroupMember.Read.All", "Group.Read.All"] + _DIR),
    (r"^auditLogs/", ["AuditLog.Read.All"], ["AuditLog.Read.All"]),
    (r"^reports/authenticationMethods/", ["AuditLog.Read.All", "UserAuthenticationMethod.Read.All", "Reports.Read.All"],
     ["AuditLog.Read.All", "UserAuthenticationMethod.Read.All", "Reports.Read.All"]),
    (r"^reports/", ["Reports.Read.All"], ["Reports.Read.All"]),
    (r"^identityProtection/riskyUsers", ["IdentityRiskyUser.Read.All"], ["IdentityRiskyUser.Read.All"]),
    (r"^identityProtection/", ["IdentityRiskEvent.Read.All"], ["IdentityRiskEvent.Read.All"]),
    (r"^(policies|identity/conditionalAccess)/", ["Policy.Read.All"], ["Policy.Read.All"]),
    (r"^domains", ["Domain.Read.All"] + _DIR, ["Domain.Read.All"] + _DIR),
    (r"^(organization|subscribedSkus)", ["User.Read", "Organization.Read.All"] + _DIR,
     ["Organization.Read.All"] + _DIR),
    (r"^roleManagement/directory/roleEligibility",
     ["RoleEligibilitySchedule.Read.Directory", "RoleManagement.Read.Directory", "RoleManagement.Read.All"],
     ["RoleEligibilitySchedule.Read.Directory", "RoleManagement.Read.Directory", "RoleManagement.Read.All"]),
    (r"^(roleManagement|directoryRoles)", ["RoleManagement.Read.Directory", "RoleManagement.Read.All"] + _DIR,
     ["RoleManagement.Read.Directory", "RoleManagement.Read.All"] + _DIR),
    (r"^(servicePrincipals|applications)", ["Application.Read.All"] + _DIR, ["Application.Read.All"] + _DIR),
    (r"^oauth2PermissionGrants", ["DelegatedPermissionGrant.Read.All"] + _DIR,
     ["DelegatedPermissionGrant.Read.All"] + _DIR),
    (r"^devices", ["Device.Read.All"] + _DIR, ["Device.Read.All"] + _DIR),
    (r".", _DIR, _DIR),
]

# $expand: collection -> {name: (target collection or "dir", id property)}
EXPANDS = {
    "roleManagement/directory/roleAssignments": {"principal": ("dir", "principalId"),
                                                 "roleDefinition": ("roleManagement/directory/roleDefinitions",
                                                                    "roleDefinitionId")},
    "roleManagement/directory/roleEligibilityScheduleInstances": {
        "principal": ("dir", "principalId"),
        "roleDefinition": ("roleManagement/directory/roleDefinitions", "roleDefinitionId")},
    "roleManagement/directory/roleAssignmentScheduleInstances": {
        "principal": ("dir", "principalId"),
        "roleDefinition": ("roleManagement/directory/roleDefinitions", "roleDefinitionId")},
    "roleManagement/directory/roleEligibilitySchedules": {
        "principal": ("dir", "principalId"),
        "roleDefinition": ("roleManagement/directory/roleDefinitions", "roleDefinitionId")},
}
# computed navigations (nav -> kind)
NAVS = {
    "users": {"memberOf": "memberOf", "transitiveMemberOf": "transitiveMemberOf",
              "authentication/methods": "authMethods", "mailFolders/inbox/messageRules": "messageRules"},
    "groups": {"members": "members", "transitiveMembers": "transitiveMembers", "memberOf": "memberOf",
               "transitiveMemberOf": "transitiveMemberOf", "owners": "owners"},
    "servicePrincipals": {"memberOf": "memberOf", "transitiveMemberOf": "transitiveMemberOf", "owners": "owners"},
    "applications": {"owners": "owners"},
    "directoryRoles": {"members": "roleMembers"},
}
KNOWN_QUERY = {"$select", "$filter", "$top", "$skiptoken", "$count", "$orderby", "$expand", "$search", "$skip",
               "$format"}


class _LRU:
    """LRU bounded by entry count and, for byte strings, by total size."""

    def __init__(self, size, max_bytes=64 << 20):
        self.size = size
        self.max_bytes = max_bytes
        self.bytes = 0
        self.d = collections.OrderedDict()
        self.lock = threading.Lock()

    @staticmethod
    def _weight(v):
        return len(v[0]) if isinstance(v, tuple) and isinstance(v[0], (bytes, bytearray)) else 0

    def get(self, k):
        with self.lock:
            v = self.d.get(k)
            if v is not None:
                self.d.move_to_end(k)
            return v

    def put(self, k, v):
        w = self._weight(v)
        if w > self.max_bytes // 4:
            return
        with self.lock:
            old = self.d.pop(k, None)
            if old is not None:
                self.bytes -= self._weight(old)
            self.d[k] = v
            self.bytes += w
            while len(self.d) > self.size or self.bytes > self.max_bytes:
                _, ev = self.d.popitem(last=False)
                self.bytes -= self._weight(ev)


class GraphService:
    def __init__(self, app):
        self.app = app
        self.t = app.tenant
        self.opts = app.opts
        s = self.t.settings
        self.licence = [(re.compile(r["path"]), r.get("licence"),
                         (r.get("status", 403), r.get("code", NON_PREMIUM[1]), r.get("message", NON_PREMIUM[2])))
                        for r in s.get("requirements", []) if "licence" in r] + \
            [(re.compile(p), l, e) for p, l, e in LICENCE]
        self.scopes = [(re.compile(r["path"]), r.get("scopes"), r.get("roles", r.get("scopes")))
                       for r in s.get("requirements", []) if "scopes" in r] + \
            [(re.compile(p), d, a) for p, d, a in SCOPES]
        self.page_default = dict(builtin.PAGE_DEFAULT, **s.get("pageSizes", {}))
        self.page_max = dict(builtin.PAGE_MAX, **s.get("pageMax", {}))
        self.empty_404 = set(s.get("emptyAs404", ["domains/{id}/federationConfiguration"]))
        self.list_cache = _LRU(64)
        self.page_cache = _LRU(256)
        self._props = {}
        self._drops = {}
        self._frag = {}
        self._frag_bytes = 0
        self.rnd = random.Random(self.opts.seed)
        self.rnd_lock = threading.Lock()
        keys = set(self.t.colls) | set(self.t._lazy) | set(self.t.singletons)
        self.coll_keys = sorted((k for k in keys if not k.startswith("exo:")), key=lambda k: -k.count("/"))
        spec = getattr(self.opts, "reports_limits", None) or s.get("reportsLimits")
        self.limits = ReportsLimits(spec) if spec else None
        spec = getattr(self.opts, "identity_limits", None) or s.get("identityLimits")
        self.idlimits = IdentityLimits(spec) if spec else None
        if getattr(self.opts, "prewarm", False):
            self.prewarm()

    def prewarm(self):
        """Serialize every object once (v1.0 and beta) so that the first pass of a
        benchmark costs what the later ones do."""
        for key in self.coll_keys:
            if key in self.t.singletons:
                continue
            for o in self.t.coll(key) or []:
                self.fragment(o, key, "v1.0", None, [])
        # Sign-ins are asked per user (`userId eq '…'`): the index _narrow
        # uses is built here rather than by the first request.
        if self.t.has_coll("auditLogs/signIns"):
            self.t.field_index("auditLogs/signIns", ["userId"])

    # ---- authentication ----------------------------------------------------------
    def auth(self, ctx):
        """-> claims dict, or a Resp (401)."""
        if self.opts.no_auth:
            u = self.app.login.signed_in_user()
            return {"idtyp": "user", "oid": u["id"], "scp": " ".join(tokens.DEFAULT_GRAPH_SCOPES + ["User.Read.All"]),
                    "aud": tokens.GRAPH_AUD, "tid": self.t.id}
        h = ctx.header("authorization")
        if not h:
            return self._401(ctx, "Access token is empty.")
        scheme, _, tok = h.partition(" ")
        if scheme.lower() != "bearer" or not tok.strip():
            return self._401(ctx, "Access token is empty.")
        claims, why = tokens.verify(tok.strip())
        if claims is None:
            msg = {"expired": "Lifetime validation failed, the token is expired.",
                   "signature": "Access token validation failure. Invalid signature."}.get(
                why, "IDX14100: JWT is not well formed, there are no dots (.).")
            return self._401(ctx, msg)
        if claims.get("aud") not in (tokens.GRAPH_AUD, tokens.GRAPH_AUD + "/", tokens.GRAPH_APPID):
            return self._401(ctx, "Access token validation failure. Invalid audience.")
        return claims

    def _401(self, ctx, msg):
        r = graph_error(ctx, 401, "InvalidAuthenticationToken", msg)
        r.add("WWW-Authenticate", 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/'
                                  'oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"')
        return r

    @staticmethod
    def granted(claims):
        if claims.get("idtyp") == "app" or "roles" in claims and "scp" not in claims:
            return "app", claims.get("roles") or []
        return "user", (claims.get("scp") or "").split()

    def check_access(self, ctx, claims, route, extra_licence=None):
        """Licence then permission; -> None or an error Resp."""
        for rx, lic, (status, code, msg) in self.licence:
            if rx.search(route):
                if lic and not getattr(self.t, lic, False):
                    ctx.log["denied"] = "licence:" + lic
                    return graph_error(ctx, status, code, msg)
                break
        if extra_licence and not self.t.p1:
            ctx.log["denied"] = "licence:p1"
            return graph_error(ctx, *NON_PREMIUM)
        kind, perms = self.granted(claims)
        for rx, deleg, app in self.scopes:
            if rx.search(route):
                need = deleg if kind == "user" else app
                if need and not tokens.satisfies(perms, need):
                    ctx.log["denied"] = "scope:" + "|".join(need)
                    return graph_error(ctx, 403, "Authorization_RequestDenied",
                                       "Insufficient privileges to complete the operation.")
                break
        if extra_licence and not tokens.satisfies(perms, ["AuditLog.Read.All"]):
            ctx.log["denied"] = "scope:AuditLog.Read.All"
            return graph_error(ctx, 403, "Authorization_RequestDenied",
                               "Insufficient privileges to complete the operation.")
        return None

    # ---- entry points ------------------------------------------------------------
    def handle(self, ctx):
        segs = [s for s in ctx.path.split("/") if s]
        version = segs[0]
        rest = segs[1:]
        claims = self.auth(ctx)
        if isinstance(claims, Resp):
            return self.finish(ctx, claims)
        if rest == ["$batch"]:
            if ctx.method != "POST":
                return self.finish(ctx, graph_error(ctx, 405, "Request_BadRequest",
                                                    "The requested resource does not support http method '%s'."
                                                    % ctx.method))
            return self.finish(ctx, self.batch(ctx, version, claims))
        return self.finish(ctx, self.dispatch(ctx, version, rest, claims))

    def finish(self, ctx, r):
        if r.get("request-id") is None:
            r.add("request-id", ctx.request_id)
            r.add("client-request-id", ctx.header("client-request-id") or ctx.request_id)
            r.add("x-ms-ags-diagnostic", '{"ServerInfo":{"DataCenter":"France Central","Slice":"E","Ring":"3",'
                                         '"ScaleUnit":"001","RoleInstance":"PA1PEPF0000FAKE"}}')
            r.add("Strict-Transport-Security", "max-age=31536000")
            if r.ctype.startswith("application/json") and r.status < 300:
                r.add("OData-Version", "4.0")
        return r

    # ---- routing -------------------------------------------------------------------
    def dispatch(self, ctx, version, segs, claims):
        if ctx.method != "GET":
            if ctx.method not in ("HEAD", "OPTIONS"):
                ctx.log["write_attempt"] = True
            return graph_error(ctx, 405, "Request_BadRequest",
                               "The requested resource does not support http method '%s'. (This fake is read-only.)"
                               % ctx.method)
        for k in ctx.query:
            if k.startswith("$") and k not in KNOWN_QUERY:
                return graph_error(ctx, 400, "BadRequest", "Query option '%s' is not allowed." % k)
        if "$search" in ctx.query:
            return graph_error(ctx, 400, "Request_UnsupportedQuery", "$search is not supported by this fake.")
        if "$skip" in ctx.query:
            return graph_error(ctx, 400, "Request_BadRequest", "'$skip' is not supported by the service.")
        if not segs:
            return graph_error(ctx, 404, "Request_ResourceNotFound", "Resource not found.")
        if self.limits is not None:
            r = self.throttle(ctx, segs, claims)
            if r is not None:
                return r
        if self.idlimits is not None:
            names = self.idlimits.buckets(ctx.method, "/".join(segs), ctx.query)
            if self.idlimits.admit(("", str(claims.get("tid") or "")), names) is not None:
                # Documented: "429 Too Many Requests" without Retry-After.
                ctx.log["throttled"] = "identityProtection"
                return graph_error(ctx, 429, "TooManyRequests", "Too many requests.")
        if segs[0] == "me":
            if claims.get("idtyp") == "app":
                return graph_error(ctx, 400, "BadRequest",
                                   "/me request is only valid with delegated authentication flow.")
            user = self.t.get("users", claims.get("oid", ""))
            if user is None:
                return graph_error(ctx, 404, "Request_ResourceNotFound",
                                   "Resource '%s' does not exist or one of its queried reference-property objects "
                                   "are not present." % claims.get("oid"))
            route = "me" + ("/" + "/".join(segs[1:]) if len(segs) > 1 else "")
            return self.item_or_nav(ctx, version, claims, "users", user, segs[1:], route, "me")
        joined = "/".join(segs)
        for key in self.coll_keys:
            ks = key.split("/")
            if segs[:len(ks)] != ks:
                continue
            rest = segs[len(ks):]
            if key in self.t.singletons:
                if rest:
                    break
                obj = self.t.singletons[key]
                err = self.check_access(ctx, claims, key)
                if err:
                    return err
                if obj is None:
                    return graph_error(ctx, 404, "Request_ResourceNotFound", "Resource '%s' does not exist." % key)
                return self.single(ctx, version, key, obj, key + "/$entity")
            if not rest:
                err = self.check_access(ctx, claims, key, self._needs_signin_activity(ctx, key))
                return err or self.listing(ctx, version, key, None, claims)
            if rest == ["$count"]:
                err = self.check_access(ctx, claims, key)
                if err:
                    return err
                if (ctx.header("consistencylevel") or "").lower() != "eventual":
                    return graph_error(ctx, 400, "Request_BadRequest", "$count is not currently supported.")
                try:
                    objs = self.filtered(ctx, key, None, self.t.coll(key))
                except ODataError as e:
                    return graph_error(ctx, e.status, e.code, e.message)
                return Resp(200, str(len(objs)).encode(), "text/plain")
            obj = self.t.get(key, rest[0])
            route = key + "/{id}" + ("/" + "/".join(rest[1:]) if len(rest) > 1 else "")
            if obj is None:
                err = self.check_access(ctx, claims, route)
                return err or graph_error(ctx, 404, "Request_ResourceNotFound",
                                          "Resource '%s' does not exist or one of its queried reference-property "
                                          "objects are not present." % rest[0])
            return self.item_or_nav(ctx, version, claims, key, obj, rest[1:], route,
                                    "%s('%s')" % (key, obj.get("id")))
        ctx.log["unrouted"] = True
        return graph_error(ctx, 400, "BadRequest", "Resource not found for the segment '%s'." % joined.split("/")[0])

    def throttle(self, ctx, segs, claims):
        """The identity and access reports service's own limits
        (--reports-limits, limits.py): None, or the 429 Graph answers."""
        names = self.limits.buckets(ctx.method, "/".join(segs), ctx.query)
        hit = self.limits.admit((str(claims.get("appid") or ""), str(claims.get("tid") or "")), names)
        if hit is None:
            return None
        name, ra, _ = hit
        ctx.log["throttled"] = name
        r = graph_error(ctx, 429, "TooManyRequests", "Too many requests.")
        r.add("Retry-After", str(ra))
        return r

    def _needs_signin_activity(self, ctx, key):
        if key != "users":
            return False
        sel = ctx.query.get("$select", "")
        return "signinactivity" in sel.lower() or filter_mentions(ctx.query.get("$filter", ""), "signInActivity")

    def item_or_nav(self, ctx, version, claims, key, obj, nav, route, ctx_name):
        if not nav:
            err = self.check_access(ctx, claims, route, self._needs_signin_activity(ctx, key))
            if err:
                return err
            ctxpath = key + "/$entity" if not route.startswith("me") else "users/$entity"
            return self.single(ctx, version, key, obj, ctxpath)
        err = self.check_access(ctx, claims, route)
        if err:
            return err
        navs = "/".join(nav)
        pid = str(obj.get("id")).lower()
        # nested lists from the tenant file
        nk = key + "/{id}/" + navs
        if nk in self.t.nested:
            lst = self.t.nested[nk].get(pid, [])
            if not lst and nk in self.empty_404:
                return graph_error(ctx, 404, "Request_ResourceNotFound",
                                   "Resource '%s' does not exist or one of its queried reference-property objects "
                                   "are not present." % nav[-1])
            return self.listing(ctx, version, nk, lst, claims, parent=pid, ctxpath="%s/%s" % (ctx_name, navs))
        if len(nav) > 1:
            nk2 = key + "/{id}/" + "/".join(nav[:-1])
            if nk2 in self.t.nested:
                for o in self.t.nested[nk2].get(pid, []):
                    if str(o.get("id", "")).lower() == nav[-1].lower():
                        return self.single(ctx, version, nk2, o, "%s/%s/$entity" % (ctx_name, "/".join(nav[:-1])))
                return graph_error(ctx, 404, "Request_ResourceNotFound", "Resource '%s' does not exist." % nav[-1])
        kind = NAVS.get(key, {}).get(navs)
        if kind is None and navs.lower() in ("mailfolders/inbox/messagerules",):
            kind = NAVS.get(key, {}).get("mailFolders/inbox/messageRules")
        if kind is None:
            if nk in self.empty_404:
                return graph_error(ctx, 404, "Request_ResourceNotFound",
                                   "Resource '%s' does not exist." % nav[-1])
            ctx.log["unrouted"] = True
            return graph_error(ctx, 400, "BadRequest", "Resource not found for the segment '%s'." % nav[0])
        t = self.t
        if kind in ("memberOf", "transitiveMemberOf"):
            lst = [_typed(typ, o) for typ, o in t.member_of(obj["id"], kind == "transitiveMemberOf")]
            cp = "directoryObjects"
        elif kind in ("members", "transitiveMembers", "roleMembers", "owners"):
            if kind == "members":
                ids = t.direct_members(obj)
            elif kind == "transitiveMembers":
                ids = t.transitive_members(obj["id"])
            elif kind == "owners":
                ids = obj.get("_owners") or []
            else:
                ids = t.role_members(obj.get("roleTemplateId", ""))
            lst = []
            for i in ids:
                typ, o = t.dir_object(i)
                if o is not None:
                    lst.append(_typed(typ, self.strip_default(o, typ_key(typ))))
            cp = "directoryObjects"
        elif kind == "authMethods":
            lst = t.auth_methods(obj)
            cp = "users('%s')/authentication/methods" % obj["id"]
        elif kind == "messageRules":
            lst = obj.get("_messageRules") or []
            cp = "users('%s')/mailFolders('inbox')/messageRules" % obj["id"]
        else:
            lst = []
            cp = navs
        return self.listing(ctx, version, "%s/{id}/%s" % (key, navs), lst, claims, parent=pid, ctxpath=cp)

    # ---- projection ------------------------------------------------------------------
    def known_props(self, key):
        p = self._props.get(key)
        if p is None:
            p = set()
            for o in self.t.coll(key) or []:
                p.update(o.keys())
            for lst in self.t.nested.get(key, {}).values():
                for o in lst:
                    p.update(o.keys())
            if key == "users":
                p |= builtin.USER_SCHEMA
            p |= builtin.SCHEMA.get(key, set())
            self._props[key] = p
        return p

    def strip_default(self, obj, key):
        out = public(obj)
        for p in builtin.SELECT_ONLY.get(key, ()):
            out.pop(p, None)
        return out

    def parse_select(self, text, key, version):
        if not text:
            return None
        sel = [s.strip() for s in text.split(",") if s.strip()]
        known = self.known_props(key) if self.t.has_coll(key) else set()
        if version == "v1.0":
            known = known - set(builtin.BETA_ONLY.get(key, ()))
        if known:
            for s in sel:
                if s not in known and not s.startswith("@"):
                    raise ODataError("Could not find a property named '%s' on type 'microsoft.graph.%s'."
                                     % (s, _type_name(key)))
        return sel

    def parse_expand(self, text, key):
        if not text:
            return []
        allowed = EXPANDS.get(key, {})
        out = []
        for item in split_list(text):
            m = re.match(r"^(\w+)(?:\((.*)\))?$", item.strip())
            if not m or m.group(1) not in allowed:
                raise ODataError("Could not find a property named '%s' on type 'microsoft.graph.%s'."
                                 % (item, _type_name(key)))
            sub = {}
            if m.group(2):
                for opt in m.group(2).split(";"):
                    k, _, v = opt.partition("=")
                    if k.strip() != "$select":
                        raise ODataError("Unsupported query: only $select is supported inside $expand.",
                                         "Request_UnsupportedQuery")
                    sub["$select"] = [s.strip() for s in v.split(",") if s.strip()]
            out.append((m.group(1), sub))
        return out

    def _drop(self, key, version):
        """Property names never returned without $select: private ones ('_x'),
        select-only ones, beta-only ones in v1.0."""
        ck = (key, version)
        d = self._drops.get(ck)
        if d is None:
            privs = set()
            for o in (self.t.coll(key) or []) if self.t.has_coll(key) else []:
                privs.update(k for k in o if k[:1] == "_")
            for lst in self.t.nested.get(key, {}).values():
                for o in lst:
                    privs.update(k for k in o if k[:1] == "_")
            d = frozenset(privs | set(builtin.SELECT_ONLY.get(key, ())) |
                          (set(builtin.BETA_ONLY.get(key, ())) if version == "v1.0" else set()))
            self._drops[ck] = d
        return d

    def project(self, obj, key, version, select, expand):
        """The object as Graph returns it.  May return obj itself (never mutate)."""
        if select:
            out = {}
            if "@odata.type" in obj:
                out["@odata.type"] = obj["@odata.type"]
            out["id"] = obj.get("id")
            for p in select:
                out[p] = obj.get(p)
        elif key == "users" and version == "v1.0":
            out = {p: obj.get(p) for p in builtin.USER_DEFAULT_V1}
            if "@odata.type" in obj:
                out = dict({"@odata.type": obj["@odata.type"]}, **out)
        else:
            drop = self._drop(key, version)
            if self.t.has_coll(key) or key in self.t.nested:
                out = obj if drop.isdisjoint(obj) else {k: v for k, v in obj.items() if k not in drop}
            else:   # computed navigation lists: check every object
                out = {k: v for k, v in obj.items() if k not in drop and k[:1] != "_"}
        if expand:
            out = dict(out)
        for name, sub in expand:
            target, prop = EXPANDS[key][name]
            ref = obj.get(prop)
            if target == "dir":
                typ, o = self.t.dir_object(ref) if ref else (None, None)
                if o is not None:
                    o = _typed(typ, self.strip_default(o, typ_key(typ)))
            else:
                o = self.t.get(target, ref) if ref else None
                if o is not None:
                    o = self.strip_default(o, target)
            if o is not None and sub.get("$select"):
                o = {k: o.get(k) for k in (["@odata.type", "id"] + sub["$select"]) if k in o or k in sub["$select"]}
            out[name] = o
        return out

    FRAG_MAX = 256 << 20

    def fragment(self, obj, key, version, sel, exp):
        """Serialized projection of one object; cached for the tenant's own
        objects (they never change), up to FRAG_MAX bytes in all."""
        if exp or not (self.t.has_coll(key) or key in self.t.nested):
            return dumps(self.project(obj, key, version, sel, exp))
        ck = (id(obj), key, version, tuple(sel) if sel else None)
        b = self._frag.get(ck)
        if b is None:
            b = dumps(self.project(obj, key, version, sel, exp))
            if self._frag_bytes < self.FRAG_MAX:
                self._frag[ck] = b
                self._frag_bytes += len(b) + 100
        return b

    def single(self, ctx, version, key, obj, ctxpath):
        try:
            sel = self.parse_select(ctx.query.get("$select"), key, version)
            exp = self.parse_expand(ctx.query.get("$expand"), key)
        except ODataError as e:
            return graph_error(ctx, e.status, e.code, e.message)
        body = {"@odata.context": "https://%s/%s/$metadata#%s" % (ctx.host, version, ctxpath)}
        body.update(self.project(obj, key, version, sel, exp))
        return Resp(200, dumps(body), GRAPH_CT)

    # ---- listing, filtering, paging ---------------------------------------------------
    def filtered(self, ctx, key, parent, objs):
        flt = ctx.query.get("$filter")
        ob = ctx.query.get("$orderby")
        ck = (key, parent, flt, ob, ctx.query.get("$search"))
        cacheable = not (key.startswith("users/{id}") or key.startswith("groups/{id}") or "/{id}/" in key)
        if cacheable:
            hit = self.list_cache.get(ck)
            if hit is not None:
                return hit
        res = objs
        if key == "auditLogs/signIns" and not filter_mentions(flt or "", "signInEventTypes"):
            # Graph lists interactive user sign-ins unless the filter asks
            # for other kinds (beta signIn, signInEventTypes).
            res = [o for o in objs if "interactiveUser" in (o.get("signInEventTypes") or ["interactiveUser"])]
        if flt:
            pred = compile_filter(flt)
            cand = self._narrow(key, flt) if cacheable and parent is None else None
            res = [o for o in (cand if cand is not None else objs) if pred(o)]
        if ob:
            res = sort_objects(res, parse_orderby(ob))
        elif key in builtin.DEFAULT_ORDER:
            res = sort_objects(res, builtin.DEFAULT_ORDER[key])
        res = list(res)
        if cacheable:
            self.list_cache.put(ck, res)
        return res

    _EQ_RE = re.compile(r"^\(?\s*([A-Za-z_][\w/]*)\s+eq\s+'((?:[^']|'')*)'\s*\)?\s*(and\s|$)", re.I)
    # (p eq 'a' or p eq 'b' …) and …: sign-ins of a few users at once
    _OR_RE = re.compile(r"^\(\s*((?:[A-Za-z_][\w/]*\s+eq\s+'(?:[^']|'')*'\s*(?:\bor\s+|(?=\))))+)\)\s*(and\s|$)",
                        re.I)
    _ONE_RE = re.compile(r"([A-Za-z_][\w/]*)\s+eq\s+'((?:[^']|'')*)'", re.I)

    def _narrow(self, key, flt):
        """Index lookup for a leading `prop eq 'x'` conjunct, or a leading
        `(prop eq 'x' or prop eq 'y' …)` one on a single property (a big
        speed-up on 100,000 sign-ins filtered by user).  Returns
        candidates or None."""
        f = flt.strip()
        m = self._OR_RE.match(f)
        if m:
            pairs = self._ONE_RE.findall(m.group(1))
            rest = f[m.end():]
            if len({p.lower() for p, _ in pairs}) != 1 or re.search(r"\b(or|not)\b", rest, re.I) or \
                    any(parse_dt(v) is not None for _, v in pairs):
                return None
            ix = self.t.field_index(key, pairs[0][0].split("/"))
            seen, out = set(), []
            for _, v in pairs:
                for o in ix.get(v.replace("''", "'").lower(), []):
                    if id(o) not in seen:
                        seen.add(id(o))
                        out.append(o)
            return out
        m = self._EQ_RE.match(f)
        if not m or m.group(1).lower() in ("and", "or", "not") or re.search(r"\b(or|not)\b", flt, re.I):
            return None
        val = m.group(2).replace("''", "'").lower()
        if parse_dt(val) is not None:
            return None
        path = m.group(1).split("/")
        ix = self.t.field_index(key, path)
        return ix.get(val, [])

    def page_size(self, ctx, key):
        top = ctx.query.get("$top")
        base = key.split("/{id}")[0]
        mx = self.page_max.get(base, 999)
        if top is not None:
            try:
                n = int(top)
            except ValueError:
                raise ODataError("Invalid value '%s' for $top query option found." % top)
            if n < 1 or n > mx:
                raise ODataError("Invalid page size specified: '%d'. Must be between 1 and %d inclusive." % (n, mx),
                                 "Request_BadRequest" if base == "users" else "BadRequest")
            return n
        if self.opts.page_size:
            return self.opts.page_size
        return self.page_default.get(base, 100)

    def listing(self, ctx, version, key, objs, claims, parent=None, ctxpath=None):
        cache_key = None
        if parent is None and key != "me":
            cache_key = (ctx.host, version, ctx.path, ctx.raw_query, (ctx.header("consistencylevel") or "").lower())
            hit = self.page_cache.get(cache_key)
            if hit is not None:
                ctx.log["count"] = hit[1]
                return Resp(200, hit[0], GRAPH_CT)
        if objs is None:
            objs = self.t.coll(key)
        coll_key = key
        try:
            if "$count" in ctx.query and ctx.query["$count"].lower() == "true" and \
                    (ctx.header("consistencylevel") or "").lower() != "eventual" and \
                    key in ("users", "groups", "servicePrincipals", "applications", "devices"):
                raise ODataError("$count is not currently supported.", "Request_BadRequest")
            flt = ctx.query.get("$filter") or ""
            if base_key(key) in ADVANCED and (ctx.header("consistencylevel") or "").lower() != "eventual" and \
                    re.search(r"\bendswith\(|\sne\s|\bnot\b", flt):
                raise ODataError("Unsupported Query.", "Request_UnsupportedQuery")
            beta = builtin.BETA_ONLY.get(base_key(key), ()) if version == "v1.0" else ()
            for p in beta:
                if filter_mentions(flt, p):
                    raise ODataError("Could not find a property named '%s' on type 'microsoft.graph.%s'."
                                     % (p, _type_name(key)))
            sel = self.parse_select(ctx.query.get("$select"), coll_key, version)
            exp = self.parse_expand(ctx.query.get("$expand"), coll_key)
            res = self.filtered(ctx, key, parent, objs)
            top = self.page_size(ctx, key)
            off = 0
            h = self._qhash(ctx, key)
            if "$skiptoken" in ctx.query:
                try:
                    tok = json.loads(b64url_decode(ctx.query["$skiptoken"]))
                    off = int(tok["o"])
                    if tok["h"] != h:
                        raise ValueError
                except (ValueError, KeyError, TypeError):
                    raise ODataError("Invalid $skiptoken: it does not belong to this query.", "Request_BadRequest")
        except ODataError as e:
            return graph_error(ctx, e.status, e.code, e.message)
        page = res[off:off + top]
        cp = ctxpath or key
        if sel:
            cp += "(" + ",".join(sel) + ")"
        elif exp:
            cp += "(" + ",".join(n + "()" for n, _ in exp) + ")"
        body = {"@odata.context": "https://%s/%s/$metadata#%s" % (ctx.host, version, cp)}
        if ctx.query.get("$count", "").lower() == "true":
            body["@odata.count"] = len(res)
        if off + top < len(res):
            tok = b64url(json.dumps({"o": off + top, "h": h}, separators=(",", ":")))
            parts = [p for p in ctx.raw_query.split("&") if p and
                     urllib.parse.unquote(p.split("=", 1)[0]) != "$skiptoken"]
            parts.append("$skiptoken=" + tok)
            body["@odata.nextLink"] = "https://%s%s?%s" % (ctx.host, ctx.raw_path, "&".join(parts))
        head = dumps(body)
        data = head[:-1] + b',"value":[' + b",".join(self.fragment(o, coll_key, version, sel, exp) for o in page) + b"]}"
        ctx.log["count"] = len(page)
        if cache_key is not None:
            self.page_cache.put(cache_key, (data, len(page)))
        return Resp(200, data, GRAPH_CT)

    @staticmethod
    def _qhash(ctx, key):
        q = {k: v for k, v in ctx.query.items() if k != "$skiptoken"}
        return hashlib.sha1(json.dumps([key, sorted(q.items())]).encode()).hexdigest()[:12]

    # ---- $batch --------------------------------------------------------------------------
    def batch(self, ctx, version, claims):
        ct = (ctx.header("content-type") or "").split(";")[0].strip().lower()
        if ct != "application/json":
            return graph_error(ctx, 400, "BadRequest", "Write request id : %s, the Content-Type header value '%s' "
                               "is not supported for $batch." % (ctx.request_id, ct))
        try:
            doc = json.loads(ctx.body.decode("utf-8"))
            reqs = doc["requests"]
            if not isinstance(reqs, list):
                raise TypeError
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            return graph_error(ctx, 400, "BadRequest", "Invalid batch payload format.")
        if len(reqs) > 20:
            ctx.log["batch_size"] = len(reqs)
            return graph_error(ctx, 400, "BadRequest", "Number of batch requests exceeds the limit of 20.")
        if not reqs:
            return graph_error(ctx, 400, "BadRequest", "Invalid batch payload format: no requests.")
        ids = set()
        for r in reqs:
            if not isinstance(r, dict) or not r.get("id") or not r.get("method") or not r.get("url"):
                return graph_error(ctx, 400, "BadRequest",
                                   "Invalid batch payload format: each request needs id, method and url.")
            rid = str(r["id"]).lower()
            if rid in ids:
                return graph_error(ctx, 400, "BadRequest", "Batch request contains duplicate ids: '%s'." % r["id"])
            ids.add(rid)
        responses, summary = [], []
        for r in reqs:
            url = str(r["url"])
            method = str(r["method"]).upper()
            hdrs = {k: str(v) for k, v in (r.get("headers") or {}).items()} if isinstance(r.get("headers"), dict) \
                else {}
            if url.lower().startswith(("http://", "https://")):
                sub = Ctx(method, "/" + version + "/x", hdrs, host=ctx.host, t_recv=ctx.t_recv, conn=ctx.conn, sub=True)
                resp = graph_error(sub, 400, "BadRequest", "Invalid request URL '%s': batch request URLs must be "
                                   "relative." % url)
            else:
                target = "/" + version + "/" + url.lstrip("/")
                hdrs.setdefault("authorization", ctx.header("authorization") or "")
                body = r.get("body")
                sub = Ctx(method, target, hdrs, body=dumps(body) if body is not None else b"", host=ctx.host,
                          t_recv=ctx.t_recv, conn=ctx.conn, sub=True)
                rule = self.app.faults.pick(method, target, sub.decoded_target(), "batch")
                if rule is not None:
                    resp = self.app.fault_response(sub, rule, "graph")
                    sub.log["fault"] = rule.kind
                else:
                    segs = [s for s in sub.path.split("/") if s][1:]
                    resp = self.dispatch(sub, version, segs, claims)
            resp = self.finish(sub, resp)
            hd = {"Cache-Control": "no-cache", "x-ms-resource-unit": "1"}
            for k, v in resp.headers:
                if k.lower() in ("retry-after", "content-type", "location", "odata-version"):
                    hd[k] = v
            hd.setdefault("Content-Type", resp.ctype)
            try:
                b = json.loads(resp.body) if resp.body and resp.ctype.startswith("application/json") else \
                    (resp.body.decode("utf-8", "replace") if resp.body else None)
            except ValueError:
                b = b64url(resp.body)
            item = {"id": str(r["id"]), "status": resp.status, "headers": hd}
            if b is not None:
                item["body"] = b
            responses.append(item)
            s = {"id": str(r["id"]), "method": method, "url": url, "status": resp.status}
            for k in ("fault", "write_attempt", "denied", "unrouted", "throttled"):
                if k in sub.log:
                    s[k] = sub.log[k]
            if resp.get("Retry-After") is not None:
                s["retry_after"] = resp.get("Retry-After")
            summary.append(s)
        if not self.opts.no_shuffle and len(responses) > 1:
            with self.rnd_lock:
                order = list(range(len(responses)))
                self.rnd.shuffle(order)
                if order == sorted(order):
                    order = order[1:] + order[:1]
            responses = [responses[i] for i in order]
        ctx.log["batch"] = summary
        ctx.log["batch_order"] = [x["id"] for x in responses]
        return Resp(200, dumps({"responses": responses}), GRAPH_CT)


# Directory objects, where endswith/ne/not need an "advanced query"
# (ConsistencyLevel: eventual, as Graph demands).
ADVANCED = {"users", "groups", "servicePrincipals", "applications", "devices"}


def base_key(key):
    return key.split("/{id}")[0]


def _typed(typ, obj):
    out = {"@odata.type": typ}
    out.update(public(obj))
    return out


def _type_name(key):
    base = key.split("/{id}")[0].split("/")[-1]
    if base.endswith("ies"):
        return base[:-3] + "y"
    return base[:-1] if base.endswith("s") else base


def typ_key(typ):
    for k, v in builtin.ODATA_TYPES.items():
        if v == typ:
            return k
    return ""
