"""The synthetic tenant: loading tenant JSON files (with `extends` and overlays),
merging, derived data (organization, domains, directory roles, registration
details, authentication methods, mailboxes...), and the deterministic generator.

Normalised form ("raw"):
  {"tenant": {...}, "settings": {...}, "licence": None|{...}, "faults": [...],
   "colls": {"users": [...], "auditLogs/signIns": [...]},
   "nested": {"domains/{id}/federationConfiguration": {"contoso.com": [...]}},
   "singletons": {"policies/authorizationPolicy": {...}},
   "exchange": {"Get-Mailbox": [...]}}
"""
import json
import os
import random
import threading

from . import builtin
from .util import det_uuid, fmt_dt, now, resolve_relative_dates

RESERVED = {"extends", "tenant", "settings", "licence", "license", "faults", "remove", "replace", "exchange",
            "comment", "$schema", "//"}


def empty_raw():
    return {"tenant": {}, "settings": {}, "licence": None, "faults": [], "colls": {}, "nested": {},
            "singletons": {}, "exchange": {}}


def _key_of(obj):
    if isinstance(obj, dict):
        for k in ("id", "Identity", "Guid"):
            if obj.get(k) is not None:
                return str(obj[k]).lower()
    return None


def _merge_list(base, extra):
    idx = {}
    for i, o in enumerate(base):
        k = _key_of(o)
        if k is not None:
            idx[k] = i
    for o in extra:
        k = _key_of(o)
        if k is not None and k in idx:
            if o.get("_replace"):
                base[idx[k]] = {a: b for a, b in o.items() if a != "_replace"}
            else:
                merged = dict(base[idx[k]])
                merged.update(o)
                base[idx[k]] = merged
        else:
            if k is not None:
                idx[k] = len(base)
            base.append(o)
    return base


def merge(raw, over):
    """Merge a normalised overlay into raw (in place)."""
    raw["tenant"].update(over.get("tenant", {}))
    for k, v in over.get("settings", {}).items():
        if isinstance(v, dict) and isinstance(raw["settings"].get(k), dict):
            raw["settings"][k].update(v)
        else:
            raw["settings"][k] = v
    if over.get("licence") is not None:
        raw["licence"] = over["licence"]
    raw["faults"].extend(over.get("faults", []))
    for k, lst in over.get("replace", {}).items():
        if k.startswith("exchange/"):
            raw["exchange"][k[len("exchange/"):]] = list(lst)
        elif isinstance(lst, dict) or lst is None:
            raw["singletons"][k] = lst
        else:
            raw["colls"][k] = list(lst)
    for k, lst in over.get("colls", {}).items():
        raw["colls"][k] = _merge_list(list(raw["colls"].get(k, [])), lst)
    for k, d in over.get("nested", {}).items():
        tgt = raw["nested"].setdefault(k, {})
        for pid, lst in d.items():
            tgt[pid] = _merge_list(list(tgt.get(pid, [])), lst)
    for k, d in over.get("singletons", {}).items():
        if d is None:
            raw["singletons"][k] = None
        else:
            raw["singletons"].setdefault(k, {})
            if raw["singletons"][k] is None:
                raw["singletons"][k] = {}
            raw["singletons"][k].update(d)
    for k, lst in over.get("exchange", {}).items():
        raw["exchange"][k] = _merge_list(list(raw["exchange"].get(k, [])), lst)
    for k, ids in over.get("remove", {}).items():
        ids = {str(i).lower() for i in ids}
        if k.startswith("exchange/"):
            c = k[len("exchange/"):]
            raw["exchange"][c] = [o for o in raw["exchange"].get(c, []) if _key_of(o) not in ids]
        elif k in raw["colls"]:
            raw["colls"][k] = [o for o in raw["colls"][k] if _key_of(o) not in ids]
        elif k in raw["singletons"]:
            raw["singletons"][k] = None
    return raw


def normalise(data):
    """A tenant file's JSON -> normalised overlay (relative dates resolved)."""
    data = resolve_relative_dates(data)
    out = empty_raw()
    out["tenant"] = dict(data.get("tenant", {}))
    out["settings"] = dict(data.get("settings", {}))
    out["licence"] = data.get("licence", data.get("license"))
    out["faults"] = list(data.get("faults", []))
    out["exchange"] = dict(data.get("exchange", {}))
    out["remove"] = dict(data.get("remove", {}))
    out["replace"] = dict(data.get("replace", {}))
    for k, v in data.items():
        if k in RESERVED:
            continue
        k = k.strip("/")
        if "{id}" in k:
            if not isinstance(v, dict):
                raise ValueError("tenant file: %s must map a parent id to a list" % k)
            out["nested"][k] = v
        elif isinstance(v, list):
            out["colls"][k] = v
        elif isinstance(v, dict) or v is None:
            out["singletons"][k] = v
        else:
            raise ValueError("tenant file: key %r: expected a list or an object" % k)
    return out


def load_file(path, _depth=0):
    if _depth > 8:
        raise ValueError("tenant file: 'extends' nested too deeply")
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    over = normalise(data)
    if data.get("extends"):
        base = load_file(os.path.join(os.path.dirname(path), data["extends"]), _depth + 1)
        return merge(base, over)
    raw = empty_raw()
    return merge(raw, over)


# --------------------------------------------------------------------------
# Generator
# --------------------------------------------------------------------------
FIRST = ("Alice Bruno Chloe David Emma Farid Gaelle Hugo Ines Jules Karim Lea Marc Nora Omar Paul Quentin Rose "
         "Sarah Theo Ugo Vera William Xavier Yasmine Zoe").split()
LAST = ("Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel "
        "Garcia David Bertrand Roux Vincent Fournier Morel Girard Andre Mercier Dupont Lambert").split()
DEPTS = ["Finance", "Sales", "IT", "HR", "Legal", "Operations", "Marketing"]
CITIES = [("Paris", "FR", 48.85, 2.35), ("Lyon", "FR", 45.76, 4.83), ("Lille", "FR", 50.63, 3.06),
          ("Bruxelles", "BE", 50.85, 4.35), ("Geneve", "CH", 46.2, 6.14)]
APPS = [("00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online"),
        ("4765445b-32c6-49b0-83e6-1d93765276ca", "OfficeHome"),
        ("1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams"),
        ("d3590ed6-52b3-4102-aeff-aad2292ab01c", "Microsoft Office")]
MFA_SETS = [["microsoftAuthenticatorPush"], ["microsoftAuthenticatorPush", "softwareOneTimePasscode"],
            ["mobilePhone"], ["fido2", "microsoftAuthenticatorPush"]]


def base_tenant(seed="reflexe", name="Contoso", domain="contoso.com", initial="contoso.onmicrosoft.com",
                skus=("SPE_E5",)):
    tid = det_uuid(seed, "tenant")
    raw = empty_raw()
    raw["tenant"] = {"id": tid, "displayName": name, "domains": [domain, initial],
                     "defaultDomain": domain, "initialDomain": initial, "createdDateTime": "2019-03-01T09:00:00Z"}
    raw["colls"]["subscribedSkus"] = [builtin.subscribed_sku(tid, s) for s in skus]
    return raw


def generate(n_users, seed="reflexe", n_admins=2, n_guests=None, n_signins=None, n_audits=50,
             skus=("SPE_E5",), ref_time=None):
    """Deterministic tenant with n_users users (including admins and guests)."""
    t0 = ref_time if ref_time is not None else now()
    rnd = random.Random(str(seed))
    raw = base_tenant(seed=seed, skus=skus)
    tid = raw["tenant"]["id"]
    domain, initial = raw["tenant"]["domains"]
    if n_guests is None:
        n_guests = max(0, n_users // 50)
    n_admins = min(n_admins, max(0, n_users - n_guests))
    if n_signins is None:
        n_signins = 20 * n_admins
    sku_ids = [s["skuId"] for s in raw["colls"]["subscribedSkus"]]
    users = []
    for i in range(n_users):
        uid = det_uuid(seed, "user", i)
        fn, ln = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
        guest = i >= n_users - n_guests
        created = t0 - rnd.uniform(40, 1100) * 86400
        if i < n_admins:
            nick = "admin%d" % (i + 1)
            disp = "Admin %d (%s %s)" % (i + 1, fn, ln)
        else:
            nick = "%s.%s%d" % (fn.lower(), ln.lower(), i)
            disp = "%s %s" % (fn, ln)
        if guest:
            ext = "%s%d_partner.example" % (fn.lower(), i)
            upn = "%s#EXT#@%s" % (ext, initial)
            mail = "%s%d@partner.example" % (fn.lower(), i)
        else:
            upn = "%s@%s" % (nick, domain)
            mail = upn
        last_si = t0 - rnd.uniform(0, 25) * 86400
        u = {
            "id": uid, "accountEnabled": (i < n_admins) or rnd.random() > 0.03,
            "displayName": disp, "givenName": fn, "surname": ln, "userPrincipalName": upn, "mail": mail,
            "mailNickname": nick if not guest else ext, "userType": "Guest" if guest else "Member",
            "createdDateTime": fmt_dt(created), "businessPhones": [], "mobilePhone": None,
            "jobTitle": None if guest else ("IT administrator" if i < n_admins else "Staff"),
            "department": None if guest else DEPTS[i % len(DEPTS)], "officeLocation": None,
            "preferredLanguage": "fr-FR", "usageLocation": "FR",
            "onPremisesSyncEnabled": None if (guest or i < n_admins or rnd.random() > 0.3) else True,
            "creationType": "Invitation" if guest else None,
            "externalUserState": "Accepted" if guest else None,
            "assignedLicenses": [] if guest else [{"disabledPlans": [], "skuId": sku_ids[0]}] if sku_ids else [],
            "proxyAddresses": [] if guest else ["SMTP:" + mail],
            "signInActivity": {
                "lastSignInDateTime": fmt_dt(last_si), "lastSignInRequestId": det_uuid(seed, "si", i),
                "lastNonInteractiveSignInDateTime": fmt_dt(last_si + 3600),
                "lastNonInteractiveSignInRequestId": det_uuid(seed, "sni", i),
                "lastSuccessfulSignInDateTime": fmt_dt(last_si),
                "lastSuccessfulSignInRequestId": det_uuid(seed, "si", i),
            },
            "_methods": MFA_SETS[i % len(MFA_SETS)] if (i < n_admins or rnd.random() < 0.8) else [],
        }
        if guest:
            u["_mailbox"] = None
        users.append(u)
    raw["colls"]["users"] = users
    # Role assignments: the first two admins are Global Administrators, the others
    # get privileged roles in turn.
    priv = [r[0] for r in builtin.ROLES if r[2] and r[0] != builtin.GLOBAL_ADMIN]
    ras = []
    for i in range(n_admins):
        role = builtin.GLOBAL_ADMIN if i < 2 else priv[(i - 2) % len(priv)]
        ras.append({"id": det_uuid(seed, "ra", i), "principalId": users[i]["id"], "roleDefinitionId": role,
                    "directoryScopeId": "/"})
    raw["colls"]["roleManagement/directory/roleAssignments"] = ras
    # Sign-ins over 30 days: admins sign in more often.
    locs = [{"city": c, "state": None, "countryOrRegion": cc,
             "geoCoordinates": {"altitude": None, "latitude": la, "longitude": lo}} for c, cc, la, lo in CITIES]
    devs = [{"deviceId": "", "displayName": "", "operatingSystem": os_, "browser": br, "isCompliant": False,
             "isManaged": False, "trustType": ""} for os_, br in
            (("Windows10", "Edge 120.0.0"), ("MacOs", "Safari 17.1"), ("Ios 17", "Mobile Safari"))]
    ok = {"errorCode": 0, "failureReason": "Other.", "additionalDetails": None}
    fail = {"errorCode": 50126, "failureReason": "Error validating credentials due to invalid username or password.",
            "additionalDetails": None}
    signins = []
    pool = users[:max(1, n_admins)] if users else []
    for k in range(n_signins if users else 0):
        u = pool[k % len(pool)] if (k % 3 != 2 or n_users <= n_admins) else users[rnd.randrange(n_users)]
        ts = t0 - rnd.uniform(0, 30) * 86400
        app = APPS[k % len(APPS)]
        failed = rnd.random() < 0.05
        signins.append({
            "id": det_uuid(seed, "signin", k), "createdDateTime": fmt_dt(ts),
            "userDisplayName": u["displayName"], "userPrincipalName": u["userPrincipalName"], "userId": u["id"],
            "appId": app[0], "appDisplayName": app[1], "ipAddress": "203.0.113.%d" % (1 + k % 50),
            "clientAppUsed": "Browser", "correlationId": det_uuid(seed, "corr", k),
            "conditionalAccessStatus": "success" if not failed else "notApplied",
            "isInteractive": True, "riskDetail": "none", "riskLevelAggregated": "none",
            "riskLevelDuringSignIn": "none", "riskState": "none", "riskEventTypes_v2": [],
            "resourceDisplayName": app[1], "resourceId": app[0],
            "status": fail if failed else ok, "deviceDetail": devs[k % len(devs)],
            "location": locs[k % 2 if k % 7 else k % len(locs)], "appliedConditionalAccessPolicies": [],
        })
    signins.sort(key=lambda s: s["createdDateTime"], reverse=True)
    raw["colls"]["auditLogs/signIns"] = signins
    audits = []
    for k in range(n_audits if users else 0):
        actor = users[k % max(1, n_admins)]
        target = users[rnd.randrange(n_users)]
        audits.append({
            "id": "Directory_" + det_uuid(seed, "audit", k), "category": "UserManagement",
            "correlationId": det_uuid(seed, "acorr", k), "result": "success", "resultReason": "",
            "activityDisplayName": "Update user", "activityDateTime": fmt_dt(t0 - rnd.uniform(0, 30) * 86400),
            "loggedByService": "Core Directory", "operationType": "Update",
            "initiatedBy": {"app": None, "user": {"id": actor["id"], "displayName": None,
                                                  "userPrincipalName": actor["userPrincipalName"],
                                                  "ipAddress": "203.0.113.10", "userType": None,
                                                  "homeTenantId": None, "homeTenantName": None}},
            "targetResources": [{"id": target["id"], "displayName": None, "type": "User",
                                 "userPrincipalName": target["userPrincipalName"], "groupType": None,
                                 "modifiedProperties": [{"displayName": "Department", "oldValue": "[]",
                                                         "newValue": "[\"Sales\"]"}]}],
            "additionalDetails": [{"key": "UserType", "value": "Member"}],
        })
    audits.sort(key=lambda a: a["activityDateTime"], reverse=True)
    raw["colls"]["auditLogs/directoryAudits"] = audits
    raw["singletons"]["policies/authorizationPolicy"] = dict(
        builtin.AUTHORIZATION_POLICY, allowInvitesFrom="adminsAndGuestInviters",
        guestUserRoleId=builtin.GUEST_ROLE_RESTRICTED)
    raw["singletons"]["policies/identitySecurityDefaultsEnforcementPolicy"] = dict(
        builtin.SECURITY_DEFAULTS, isEnabled=False)
    raw["colls"]["identity/conditionalAccess/policies"] = [{
        "id": det_uuid(seed, "ca", 0), "displayName": "Require MFA for administrators",
        "createdDateTime": "2023-01-10T10:00:00Z", "modifiedDateTime": "2023-01-10T10:00:00Z",
        "state": "enabled", "templateId": None,
        "conditions": {"clientAppTypes": ["all"], "users": {
            "includeUsers": [], "excludeUsers": [], "includeGroups": [], "excludeGroups": [],
            "includeRoles": [r[0] for r in builtin.ROLES if r[2]], "excludeRoles": []},
            "applications": {"includeApplications": ["All"], "excludeApplications": []},
            "platforms": None, "locations": None, "signInRiskLevels": [], "userRiskLevels": []},
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"], "customAuthenticationFactors": [],
                          "termsOfUse": []},
        "sessionControls": None,
    }]
    return raw


# --------------------------------------------------------------------------
# The model served by the fake
# --------------------------------------------------------------------------
class Tenant:
    """Immutable once built (derived collections are computed lazily, once)."""

    def __init__(self, raw):
        self.raw = raw
        t = raw["tenant"]
        self.id = t.get("id") or det_uuid("reflexe", "tenant")
        self.display_name = t.get("displayName", "Contoso")
        self.settings = raw["settings"]
        self._lock = threading.RLock()
        self.colls = dict(raw["colls"])
        self.nested = {k: {pid.lower(): v for pid, v in d.items()} for k, d in raw["nested"].items()}
        self.singletons = dict(raw["singletons"])
        self.exchange_raw = dict(raw["exchange"])
        self._lazy = {}
        self._index = {}
        self._field_index = {}
        self._derive()

    # ---- derived data -----------------------------------------------------
    def _derive(self):
        t = self.raw["tenant"]
        # Domains: those named in "tenant" (managed), then the file's "domains" merged by id.
        names = t.get("domains") or ([] if self.colls.get("domains") else ["contoso.com", "contoso.onmicrosoft.com"])
        if names:
            initial = t.get("initialDomain") or next((d for d in names if d.endswith(".onmicrosoft.com")), names[-1])
            default = t.get("defaultDomain") or names[0]
            base = [{
                "id": d, "authenticationType": "Managed", "availabilityStatus": None, "isAdminManaged": True,
                "isDefault": d == default, "isInitial": d == initial, "isRoot": True, "isVerified": True,
                "passwordNotificationWindowInDays": 14, "passwordValidityPeriodInDays": 2147483647,
                "supportedServices": ["Email", "OfficeCommunicationsOnline"], "state": None,
            } for d in names]
            self.colls["domains"] = _merge_list(base, self.colls.get("domains", []))
        doms = self.colls["domains"]
        self.domain_names = [d["id"] for d in doms]
        self.initial_domain = next((d["id"] for d in doms if d.get("isInitial")), self.domain_names[-1])
        self.default_domain = next((d["id"] for d in doms if d.get("isDefault")), self.domain_names[0])
        self.colls.setdefault("subscribedSkus", [])
        if "organization" not in self.colls:
            self.colls["organization"] = [{
                "id": self.id, "deletedDateTime": None, "businessPhones": [], "city": "Paris",
                "country": None, "countryLetterCode": "FR", "createdDateTime": t.get("createdDateTime"),
                "displayName": self.display_name, "marketingNotificationEmails": [],
                "onPremisesLastSyncDateTime": None, "onPremisesSyncEnabled": None, "postalCode": None,
                "preferredLanguage": "fr", "securityComplianceNotificationMails": [],
                "securityComplianceNotificationPhones": [], "state": None, "street": None,
                "technicalNotificationMails": ["it@" + self.default_domain], "tenantType": "AAD",
                "privacyProfile": None,
                "assignedPlans": [{"assignedDateTime": t.get("createdDateTime"), "capabilityStatus": "Enabled",
                                   "service": "AADPremiumService" if p["servicePlanName"].startswith("AAD")
                                   else "exchange", "servicePlanId": p["servicePlanId"]}
                                  for s in self.colls["subscribedSkus"] for p in s.get("servicePlans", [])],
                "provisionedPlans": [],
                "verifiedDomains": [{"capabilities": "Email, OfficeCommunicationsOnline", "isDefault": d.get("isDefault", False),
                                     "isInitial": d.get("isInitial", False), "name": d["id"],
                                     "type": d.get("authenticationType", "Managed")} for d in doms],
            }]
        # Role definitions: built-ins, then the file's (merged by id).
        rds = builtin.role_definitions()
        _merge_list(rds, self.colls.get("roleManagement/directory/roleDefinitions", []))
        self.colls["roleManagement/directory/roleDefinitions"] = rds
        for k in ("users", "groups", "servicePrincipals", "applications", "devices", "oauth2PermissionGrants",
                  "roleManagement/directory/roleAssignments", "roleManagement/directory/roleEligibilityScheduleInstances",
                  "auditLogs/signIns", "auditLogs/directoryAudits", "identityProtection/riskyUsers",
                  "identityProtection/riskDetections", "identity/conditionalAccess/policies"):
            self.colls.setdefault(k, [])
        for k in builtin.NESTED_EMPTY:
            self.nested.setdefault(k, {})
        self.singletons.setdefault("policies/authorizationPolicy", dict(builtin.AUTHORIZATION_POLICY))
        self.singletons.setdefault("policies/identitySecurityDefaultsEnforcementPolicy",
                                   dict(builtin.SECURITY_DEFAULTS))
        if "directoryRoles" not in self.colls:
            self._lazy["directoryRoles"] = self._derive_directory_roles
        if "reports/authenticationMethods/userRegistrationDetails" not in self.colls:
            self._lazy["reports/authenticationMethods/userRegistrationDetails"] = self._derive_registration
        # licence
        lic = self.raw.get("licence")
        plans = {p["servicePlanName"] for s in self.colls["subscribedSkus"]
                 if s.get("capabilityStatus", "Enabled") == "Enabled" for p in s.get("servicePlans", [])}
        self.p2 = "AAD_PREMIUM_P2" in plans
        self.p1 = self.p2 or "AAD_PREMIUM" in plans
        self.exo = any(p.startswith("EXCHANGE_S") for p in plans)
        if isinstance(lic, dict):
            self.p1 = lic.get("p1", self.p1)
            self.p2 = lic.get("p2", self.p2)
            self.exo = lic.get("exchange", self.exo)

    def coll(self, key):
        if key in self.colls:
            return self.colls[key]
        fn = self._lazy.get(key)
        if fn is None:
            return None
        with self._lock:
            if key not in self.colls:
                self.colls[key] = fn()
        return self.colls[key]

    def has_coll(self, key):
        return key in self.colls or key in self._lazy

    def index(self, key):
        """id (lower-case) -> object, for a collection; users also by UPN."""
        ix = self._index.get(key)
        if ix is None:
            with self._lock:
                # Threads that waited here find it built: build it once.
                ix = self._index.get(key)
                if ix is not None:
                    return ix
                ix = {}
                for o in self.coll(key) or []:
                    if isinstance(o, dict) and o.get("id") is not None:
                        ix[str(o["id"]).lower()] = o
                    if key == "users" and o.get("userPrincipalName"):
                        ix.setdefault(o["userPrincipalName"].lower(), o)
                self._index[key] = ix
        return ix

    def field_index(self, key, path):
        """value (normalised) -> list of objects, for a property path (e.g. userId)."""
        fk = (key, tuple(path))
        ix = self._field_index.get(fk)
        if ix is None:
            with self._lock:
                ix = self._field_index.get(fk)
                if ix is not None:
                    return ix
                ix = {}
                for o in self.coll(key) or []:
                    cur = o
                    for s in path:
                        cur = cur.get(s) if isinstance(cur, dict) else None
                    if isinstance(cur, str):
                        cur = cur.lower()
                    if isinstance(cur, (str, int, float, bool)) or cur is None:
                        ix.setdefault(cur, []).append(o)
                self._field_index[fk] = ix
        return ix

    def get(self, key, oid):
        return self.index(key).get(str(oid).lower())

    def dir_object(self, oid):
        """(odata type, object) for any directory object id."""
        for key, typ in builtin.ODATA_TYPES.items():
            if self.has_coll(key):
                o = self.get(key, oid)
                if o is not None:
                    return typ, o
        return None, None

    def user_by_upn(self, upn):
        return self.get("users", upn)

    def _derive_directory_roles(self):
        rds = {r["id"].lower(): r for r in self.colls["roleManagement/directory/roleDefinitions"]}
        used = {builtin.GLOBAL_ADMIN}
        for ra in self.colls["roleManagement/directory/roleAssignments"]:
            if ra.get("directoryScopeId", "/") == "/":
                used.add(ra["roleDefinitionId"].lower())
        out = []
        for tid in sorted(used):
            rd = rds.get(tid)
            if rd is None:
                continue
            out.append({"id": det_uuid(self.id, "directoryRole", tid), "deletedDateTime": None,
                        "description": rd.get("description"), "displayName": rd.get("displayName"),
                        "roleTemplateId": rd.get("templateId", tid)})
        return out

    def role_members(self, template_id):
        return [ra["principalId"] for ra in self.colls["roleManagement/directory/roleAssignments"]
                if ra["roleDefinitionId"].lower() == template_id.lower() and ra.get("directoryScopeId", "/") == "/"]

    def _derive_registration(self):
        admins = set()
        for ra in self.colls["roleManagement/directory/roleAssignments"]:
            admins.add(ra["principalId"].lower())
        out = []
        for u in self.colls["users"]:
            methods = list(u.get("_methods") or [])
            mfa = [m for m in methods if m != "password" and m != "email"]
            out.append({
                "id": u["id"], "userPrincipalName": u.get("userPrincipalName"),
                "userDisplayName": u.get("displayName"),
                "userType": "guest" if u.get("userType") == "Guest" else "member",
                "isAdmin": u["id"].lower() in admins, "isSsprRegistered": bool(mfa), "isSsprEnabled": True,
                "isSsprCapable": bool(mfa), "isMfaRegistered": bool(mfa), "isMfaCapable": bool(mfa),
                "isPasswordlessCapable": "fido2" in methods or "windowsHelloForBusiness" in methods,
                "methodsRegistered": methods, "isSystemPreferredAuthenticationMethodEnabled": True,
                "systemPreferredAuthenticationMethods": mfa[:1], "userPreferredMethodForSecondaryAuthentication":
                    {"microsoftAuthenticatorPush": "push", "mobilePhone": "sms", "softwareOneTimePasscode": "oath",
                     "fido2": "fido"}.get(mfa[0], "none") if mfa else "none",
                "lastUpdatedDateTime": u.get("createdDateTime"),
            })
        return out

    def auth_methods(self, user):
        """users/{id}/authentication/methods, derived from the user's _methods."""
        if "_authMethods" in user:
            return user["_authMethods"]
        out = [{"@odata.type": "#microsoft.graph.passwordAuthenticationMethod",
                "id": "28c10230-6103-485e-b985-444c60001490", "password": None,
                "createdDateTime": user.get("createdDateTime")}]
        for i, m in enumerate(user.get("_methods") or []):
            mid = det_uuid(user["id"], "method", i)
            if m.startswith("microsoftAuthenticator"):
                out.append({"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
                            "id": mid, "displayName": "iPhone", "deviceTag": "SoftwareTokenActivated",
                            "phoneAppVersion": "6.8.4", "createdDateTime": user.get("createdDateTime")})
            elif m == "mobilePhone":
                out.append({"@odata.type": "#microsoft.graph.phoneAuthenticationMethod", "id": mid,
                            "phoneNumber": "+33 6xxxxxx12", "phoneType": "mobile", "smsSignInState": "notAllowedByPolicy"})
            elif m == "softwareOneTimePasscode":
                out.append({"@odata.type": "#microsoft.graph.softwareOathAuthenticationMethod", "id": mid,
                            "secretKey": None})
            elif m == "fido2":
                out.append({"@odata.type": "#microsoft.graph.fido2AuthenticationMethod", "id": mid,
                            "displayName": "YubiKey 5", "aaGuid": "cb69481e-8ff7-4039-93ec-0a2729a154a8",
                            "model": "YubiKey 5 NFC", "attestationCertificates": [], "attestationLevel": "attested",
                            "createdDateTime": user.get("createdDateTime")})
            elif m == "email":
                out.append({"@odata.type": "#microsoft.graph.emailAuthenticationMethod", "id": mid,
                            "emailAddress": "x***@example.org"})
        return out

    # ---- groups and memberships ------------------------------------------
    def direct_members(self, group):
        return [m for m in (group.get("_members") or [])]

    def transitive_members(self, gid):
        seen, out, stack = set(), [], [gid]
        while stack:
            g = self.get("groups", stack.pop())
            if g is None:
                continue
            for m in g.get("_members") or []:
                ml = m.lower()
                if ml in seen:
                    continue
                seen.add(ml)
                out.append(m)
                if self.get("groups", m) is not None:
                    stack.append(m)
        return out

    def member_of(self, oid, transitive):
        """Groups and directory roles an object belongs to."""
        oid_l = oid.lower()
        parents = {}
        for g in self.colls.get("groups", []):
            if any(m.lower() == oid_l for m in g.get("_members") or []):
                parents[g["id"].lower()] = g["id"]
        if transitive:
            frontier = list(parents.values())
            while frontier:
                cur = frontier.pop().lower()
                for g in self.colls.get("groups", []):
                    gl = g["id"].lower()
                    if gl not in parents and any(m.lower() == cur for m in g.get("_members") or []):
                        parents[gl] = g["id"]
                        frontier.append(g["id"])
        principals = {oid_l} | set(parents) if transitive else {oid_l}
        roles = []
        roles_by_tpl = {r["roleTemplateId"].lower(): r for r in self.coll("directoryRoles")}
        for ra in self.colls["roleManagement/directory/roleAssignments"]:
            if ra["principalId"].lower() in principals and ra.get("directoryScopeId", "/") == "/":
                r = roles_by_tpl.get(ra["roleDefinitionId"].lower())
                if r is not None and r not in roles:
                    roles.append(r)
        out = [("#microsoft.graph.group", self.get("groups", g)) for g in parents.values()]
        out += [("#microsoft.graph.directoryRole", r) for r in roles]
        return out

    def role_template_ids_of(self, oid):
        return sorted({r["roleTemplateId"] for typ, r in self.member_of(oid, True)
                       if typ == "#microsoft.graph.directoryRole"})

    # ---- Exchange ---------------------------------------------------------
    def exchange(self, cmdlet):
        key = "exo:" + cmdlet
        if key not in self._lazy:
            with self._lock:
                if key not in self.colls:
                    self.colls[key] = self._derive_exchange(cmdlet)
                self._lazy[key] = None
        return self.colls.get(key)

    def mailboxes(self):
        return self.exchange("Get-Mailbox") or []

    def _derive_exchange(self, cmdlet):
        have = self.exchange_raw.get(cmdlet)
        org = self.initial_domain.split(".")[0]
        if cmdlet == "Get-Mailbox":
            out = []
            for u in self.colls["users"]:
                if u.get("userType") == "Guest" or u.get("_mailbox", {}) is None or not u.get("mail"):
                    continue
                alias = u.get("mailNickname") or u["userPrincipalName"].split("@")[0]
                mb = {
                    "Name": alias, "Alias": alias, "DisplayName": u.get("displayName"), "Identity": alias,
                    "Id": alias, "PrimarySmtpAddress": u["mail"], "UserPrincipalName": u["userPrincipalName"],
                    "WindowsEmailAddress": u["mail"], "ExternalDirectoryObjectId": u["id"],
                    "Guid": det_uuid(u["id"], "mailbox"), "ExchangeGuid": det_uuid(u["id"], "exchangeGuid"),
                    "RecipientType": "UserMailbox", "RecipientTypeDetails": "UserMailbox",
                    "EmailAddresses": ["SMTP:" + u["mail"], "smtp:%s@%s" % (alias, self.initial_domain)],
                    "ForwardingAddress": None, "ForwardingSmtpAddress": None, "DeliverToMailboxAndForward": False,
                    "HiddenFromAddressListsEnabled": False, "GrantSendOnBehalfTo": [], "AuditEnabled": True,
                    "AuditBypassEnabled": False, "AccountDisabled": not u.get("accountEnabled", True),
                    "IsMailboxEnabled": True, "IsShared": False, "IsInactiveMailbox": False,
                    "LitigationHoldEnabled": False, "MessageCopyForSentAsEnabled": False,
                    "MessageCopyForSendOnBehalfEnabled": False,
                    "WhenCreated": u.get("createdDateTime"), "WhenCreatedUTC": u.get("createdDateTime"),
                    "WhenChanged": u.get("createdDateTime"), "WhenChangedUTC": u.get("createdDateTime"),
                    "DistinguishedName": "CN=%s,OU=%s,OU=Microsoft Exchange Hosted Organizations,DC=EURPR01A001,"
                                         "DC=prod,DC=outlook,DC=com" % (alias, self.initial_domain),
                    "OrganizationalUnit": "EURPR01A001.prod.outlook.com/Microsoft Exchange Hosted Organizations/"
                                          + self.initial_domain,
                }
                mb.update(u.get("_mailbox") or {})
                if mb.get("RecipientTypeDetails") == "SharedMailbox":
                    mb["IsShared"] = True
                out.append(mb)
            return _merge_list(out, have or [])
        if cmdlet == "Get-MailboxPermission":
            out = [{"Identity": m["Identity"], "User": "NT AUTHORITY\\SELF",
                    "AccessRights": ["FullAccess", "ReadPermission"], "IsInherited": False, "Deny": False,
                    "InheritanceType": "All", "IsValid": True, "ObjectState": "Unchanged"} for m in self.mailboxes()]
            return out + list(have or [])
        if cmdlet == "Get-Recipient" and have:
            # contacts and mail users: the forwarding targets
            out = [{k: m.get(k) for k in ("Identity", "Name", "Alias", "DisplayName", "PrimarySmtpAddress",
                                          "RecipientType", "RecipientTypeDetails", "Guid")}
                   for m in self.mailboxes()]
            return out + list(have)
        if cmdlet == "Get-RecipientPermission":
            out = [{"Identity": m["Identity"], "Trustee": "NT AUTHORITY\\SELF", "AccessControlType": "Allow",
                    "AccessRights": ["SendAs"], "IsInherited": False, "InheritanceType": "None",
                    "IsValid": True, "ObjectState": "Unchanged"} for m in self.mailboxes()]
            return out + list(have or [])
        if have is not None:
            return list(have)
        if cmdlet == "Get-OrganizationConfig":
            return [{"Name": self.initial_domain, "DisplayName": self.display_name, "Identity": self.initial_domain,
                     "Guid": det_uuid(self.id, "orgconfig"), "AuditDisabled": False, "IsDehydrated": False,
                     "OAuth2ClientProfileEnabled": True, "AutoExpandingArchiveEnabled": False,
                     "DefaultAuthenticationPolicy": None, "MailTipsExternalRecipientsTipsEnabled": False,
                     "CustomerLockboxEnabled": False, "SmtpActionableMessagesEnabled": True,
                     "OrganizationId": "EURPR01A001.prod.outlook.com/Microsoft Exchange Hosted Organizations/%s - "
                                       "EURPR01A001.prod.outlook.com/ConfigurationUnits/%s/Configuration"
                                       % (self.initial_domain, self.initial_domain)}]
        if cmdlet == "Get-AdminAuditLogConfig":
            return [{"Name": "Admin Audit Log Settings", "Identity": "Admin Audit Log Settings",
                     "AdminAuditLogEnabled": True, "UnifiedAuditLogIngestionEnabled": True,
                     "UnifiedAuditLogFirstOptInDate": "2019-03-01T09:30:00Z",
                     "AdminAuditLogCmdlets": ["*"], "AdminAuditLogParameters": ["*"],
                     "AdminAuditLogExcludedCmdlets": [], "AdminAuditLogAgeLimit": "90.00:00:00",
                     "LogLevel": "None", "TestCmdletLoggingEnabled": False,
                     "Guid": det_uuid(self.id, "auditconfig")}]
        if cmdlet == "Get-RemoteDomain":
            return [{"Name": "Default", "Identity": "Default", "DomainName": "*", "IsInternal": False,
                     "AutoForwardEnabled": True, "AutoReplyEnabled": True, "AllowedOOFType": "External",
                     "DeliveryReportEnabled": True, "NDREnabled": True, "MeetingForwardNotificationEnabled": False,
                     "TrustedMailOutboundEnabled": False, "TrustedMailInboundEnabled": False,
                     "CharacterSet": "iso-8859-1", "ContentType": "MimeHtmlText", "TNEFEnabled": None,
                     "Guid": det_uuid(self.id, "remotedomain", "Default"),
                     "WhenChanged": "2019-03-01T09:30:00Z"}]
        if cmdlet == "Get-HostedContentFilterPolicy":
            return [{"Name": "Default", "Identity": "Default", "IsDefault": True, "AllowedSenders": [],
                     "AllowedSenderDomains": [], "BlockedSenders": [], "BlockedSenderDomains": [],
                     "SpamAction": "MoveToJmf", "HighConfidenceSpamAction": "MoveToJmf",
                     "PhishSpamAction": "MoveToJmf", "HighConfidencePhishAction": "Quarantine",
                     "BulkSpamAction": "MoveToJmf", "BulkThreshold": 7, "MarkAsSpamBulkMail": "On",
                     "QuarantineRetentionPeriod": 15, "EnableEndUserSpamNotifications": False,
                     "Guid": det_uuid(self.id, "hcfp", "Default"), "WhenChanged": "2019-03-01T09:30:00Z"}]
        if cmdlet == "Get-AcceptedDomain":
            return [{"Name": d, "Identity": d, "DomainName": d, "DomainType": "Authoritative",
                     "Default": d == self.default_domain, "IsValid": True,
                     "Guid": det_uuid(self.id, "accepted", d)} for d in self.domain_names]
        if cmdlet == "Get-MailboxAuditBypassAssociation":
            return [{"Name": m["Name"], "Identity": m["Identity"],
                     "AuditBypassEnabled": bool(m.get("AuditBypassEnabled")), "IsValid": True}
                    for m in self.mailboxes()]
        if cmdlet == "Get-Recipient":
            return [{k: m.get(k) for k in ("Identity", "Name", "Alias", "DisplayName", "PrimarySmtpAddress",
                                           "RecipientType", "RecipientTypeDetails", "Guid", "EmailAddresses")}
                    for m in self.mailboxes()]
        # Microsoft's defaults for a tenant as created today (the
        # cmdlets' documentation, "default policy" values).
        defaults = {
            "Get-OwaMailboxPolicy": {"Name": "OwaMailboxPolicy-Default", "Identity": "OwaMailboxPolicy-Default",
                                     "IsDefault": True, "AdditionalStorageProvidersAvailable": True,
                                     "WacExternalServicesEnabled": True},
            "Get-TransportConfig": {"Identity": "Transport Settings", "SmtpClientAuthenticationDisabled": True,
                                    "ExternalInOutlook": None},
            "Get-HostedConnectionFilterPolicy": {"Name": "Default", "Identity": "Default", "IsDefault": True,
                                                 "IPAllowList": [], "IPBlockList": [], "EnableSafeList": False},
            "Get-HostedOutboundSpamFilterPolicy": {"Name": "Default", "Identity": "Default", "IsDefault": True,
                                                   "AutoForwardingMode": "Automatic",
                                                   "RecipientLimitExternalPerHour": 0,
                                                   "ActionWhenThresholdReached": "BlockUserForToday"},
            "Get-AntiPhishPolicy": {"Name": "Office365 AntiPhish Default", "Identity": "Office365 AntiPhish Default",
                                    "IsDefault": True, "EnableSpoofIntelligence": True, "Enabled": True},
        }
        if cmdlet in defaults:
            return [dict(defaults[cmdlet], Guid=det_uuid(self.id, cmdlet))]
        if cmdlet in ("Get-TransportRule", "Get-InboxRule", "Get-InboundConnector", "Get-OutboundConnector",
                      "Get-HostedOutboundSpamFilterRule", "Get-TenantAllowBlockListItems",
                      "Get-TenantAllowBlockListSpoofItems"):
            return []
        return None
