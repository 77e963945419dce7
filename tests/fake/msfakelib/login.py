"""Microsoft identity platform v2.0, as far as reflexe uses it:

  POST /{tenant}/oauth2/v2.0/devicecode
  POST /{tenant}/oauth2/v2.0/token   grant_type = device_code | refresh_token | client_credentials
  GET  /{tenant}/v2.0/.well-known/openid-configuration

Client credentials are verified for real: the secret against --client-secret,
the JWT assertion's claims and its RS256/PS256 signature (openssl) against
--client-cert.  Secrets, assertions, codes and tokens are never logged nor
echoed back.
"""
import base64
import hashlib
import hmac
import json
import os
import secrets
import string
import subprocess
import tempfile
import threading
import time
import urllib.parse

from . import tokens
from .common import Resp
from .util import b64url, b64url_decode, det_uuid, fmt_dt, new_uuid, now

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# Public first-party clients reflexe may use.
PUBLIC_CLIENTS = {
    "14d82eec-204b-4c2f-b7e8-296a70dab67e": "Microsoft Graph Command Line Tools",
    "fb78d390-0c51-40cd-8e17-fdbfab77341b": "Microsoft Exchange REST API Based Powershell",
    "04b07795-8ddb-461a-bbee-02f9e1bf7b46": "Microsoft Azure CLI",
    "1950a258-227b-4e31-a9cf-717495945fc2": "Microsoft Azure PowerShell",
}

SCENARIOS = {
    "ok": ["ok"],
    "pending": ["pending", "pending", "ok"],
    "slow_down": ["slow_down", "pending", "ok"],
    "declined": ["declined"],
    "expired": ["expired"],
    "badcode": ["badcode"],
}


def parse_scenario(spec):
    """'pending:3' | 'slow_down' | 'pending,slow_down,pending,ok' -> list of steps."""
    spec = (spec or "pending:2").strip()
    if ":" in spec and "," not in spec:
        name, n = spec.split(":", 1)
        if name == "pending":
            return ["pending"] * int(n) + ["ok"]
        if name == "slow_down":
            return ["slow_down"] * int(n) + ["pending", "ok"]
        raise ValueError("device scenario: %s" % spec)
    if spec in SCENARIOS:
        return list(SCENARIOS[spec])
    steps = [s.strip() for s in spec.split(",") if s.strip()]
    for s in steps:
        if s not in ("ok", "pending", "slow_down", "declined", "expired", "badcode"):
            raise ValueError("device scenario step: %s" % s)
    return steps


class LoginService:
    def __init__(self, app):
        self.app = app
        o = app.opts
        self.scenario = parse_scenario(o.device_scenario)
        self.interval = o.device_interval
        self.expires = o.device_expires
        self.lifetime = o.token_lifetime
        self.lock = threading.Lock()
        self.devices = {}        # device_code -> state
        self.refresh = {}        # refresh token -> state
        self.jtis = set()
        self.apps = {}           # client_id -> {"secret": s, "cert": (x5t256, x5t1, pubkey path), "roles": [...]}
        self._tmp = tempfile.mkdtemp(prefix="msfake-")
        for a in app.tenant.settings.get("apps", []):
            self.add_app(a.get("appId"), a.get("secret"), a.get("certificate"), a.get("roles"))
        if o.client_id:
            self.add_app(o.client_id, o.client_secret, o.client_cert, None)
        self.refuse_refresh = set(o.refresh_refuse or [])
        self.foci = set(x.lower() for x in (o.foci or []))

    # ---- configuration -----------------------------------------------------
    def add_app(self, client_id, secret=None, cert_path=None, roles=None):
        entry = {"secret": secret, "cert": None, "roles": roles}
        if cert_path:
            der = subprocess.run(["openssl", "x509", "-in", cert_path, "-outform", "DER"],
                                 capture_output=True, check=True).stdout
            pub = subprocess.run(["openssl", "x509", "-in", cert_path, "-pubkey", "-noout"],
                                 capture_output=True, check=True).stdout
            pub_path = os.path.join(self._tmp, "pub-%s.pem" % hashlib.sha256(der).hexdigest()[:16])
            with open(pub_path, "wb") as f:
                f.write(pub)
            entry["cert"] = (b64url(hashlib.sha256(der).digest()), b64url(hashlib.sha1(der).digest()), pub_path)
        self.apps[client_id.lower()] = entry

    def consented(self, resource):
        s = self.app.tenant.settings
        if resource == "exo":
            return s.get("consentedExoScopes", tokens.DEFAULT_EXO_SCOPES)
        return self.app.opts.scopes or s.get("consentedScopes", tokens.DEFAULT_GRAPH_SCOPES)

    def app_roles(self, client_id, resource):
        entry = self.apps.get(client_id.lower()) or {}
        if resource == "exo":
            return self.app.tenant.settings.get("appExoRoles", tokens.DEFAULT_EXO_APP_ROLES)
        return entry.get("roles") or self.app.opts.app_roles or \
            self.app.tenant.settings.get("appRoles", tokens.DEFAULT_APP_ROLES)

    def signed_in_user(self):
        t = self.app.tenant
        upn = self.app.opts.signed_in_user or t.settings.get("signedInUser")
        if upn:
            u = t.user_by_upn(upn)
            if u is None:
                raise ValueError("signed-in user %s not in the tenant" % upn)
            return u
        from .builtin import GLOBAL_ADMIN
        for pid in t.role_members(GLOBAL_ADMIN):
            u = t.get("users", pid)
            if u is not None:
                return u
        users = t.coll("users")
        if not users:
            raise ValueError("tenant has no users to sign in as")
        return users[0]

    # ---- errors ------------------------------------------------------------
    def error(self, ctx, status, error, code, text, extra=None):
        trace, corr = new_uuid(), ctx.header("client-request-id") or new_uuid()
        ts = fmt_dt(now()).replace("T", " ").rstrip("Z")
        desc = "AADSTS%d: %s Trace ID: %s Correlation ID: %s Timestamp: %s" % (code, text, trace, corr, ts) \
            if code else "%s Trace ID: %s Correlation ID: %s Timestamp: %s" % (text, trace, corr, ts)
        body = {"error": error, "error_description": desc, "error_codes": [code] if code else [],
                "timestamp": ts + "Z", "trace_id": trace, "correlation_id": corr}
        if code:
            body["error_uri"] = "https://%s/error?code=%d" % (ctx.host, code)
        body.update(extra or {})
        ctx.log.setdefault("login", {})["error"] = error
        return self._resp(status, body)

    @staticmethod
    def _resp(status, body):
        r = Resp(status, body, "application/json; charset=utf-8")
        r.add("Cache-Control", "no-store, no-cache")
        r.add("Pragma", "no-cache")
        r.add("x-ms-request-id", new_uuid())
        return r

    # ---- routing -------------------------------------------------------------
    def handle(self, ctx):
        parts = ctx.path.strip("/").split("/")
        tenant = parts[0]
        rest = "/".join(parts[1:])
        if not self.tenant_ok(tenant):
            return self.error(ctx, 400, "invalid_request", 90002,
                              "Tenant '%s' not found. Check to make sure you have the correct tenant ID and are "
                              "signing into the correct cloud." % tenant)
        if rest == "v2.0/.well-known/openid-configuration" and ctx.method == "GET":
            return self.openid_config(ctx, tenant)
        if rest not in ("oauth2/v2.0/devicecode", "oauth2/v2.0/token"):
            return Resp(404, b"", "text/html")
        if ctx.method != "POST":
            return self.error(ctx, 400, "invalid_request", 900561,
                              "The endpoint only accepts POST requests. Received a %s request." % ctx.method)
        ctype = (ctx.header("content-type") or "").split(";")[0].strip().lower()
        if ctype != "application/x-www-form-urlencoded":
            return self.error(ctx, 400, "invalid_request", 900144,
                              "The request body must contain the following parameter: 'grant_type'.")
        try:
            pairs = urllib.parse.parse_qsl(ctx.body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError:
            return self.error(ctx, 400, "invalid_request", 900144, "The request body is not valid.")
        form = {}
        for k, v in pairs:
            if k in form:
                return self.error(ctx, 400, "invalid_request", 90015,
                                  "Requested query string is too long / duplicated parameter '%s'." % k)
            form[k] = v
        lg = ctx.log.setdefault("login", {})
        lg["endpoint"] = rest.rsplit("/", 1)[1]
        lg["client_id"] = form.get("client_id")
        lg["scope"] = form.get("scope")
        lg["params"] = sorted(form)          # names only, never values
        if rest.endswith("devicecode"):
            return self.devicecode(ctx, tenant, form)
        return self.token(ctx, tenant, form)

    def tenant_ok(self, tenant):
        t = tenant.lower()
        tn = self.app.tenant
        return t in ("common", "organizations") or t == tn.id.lower() or t in [d.lower() for d in tn.domain_names]

    def openid_config(self, ctx, tenant):
        tid = self.app.tenant.id
        base = "https://%s/%s" % (ctx.host, tid)
        return self._resp(200, {
            "token_endpoint": base + "/oauth2/v2.0/token",
            "device_authorization_endpoint": base + "/oauth2/v2.0/devicecode",
            "authorization_endpoint": base + "/oauth2/v2.0/authorize",
            "issuer": "https://%s/%s/v2.0" % (ctx.host, tid),
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "tenant_region_scope": "EU", "cloud_instance_name": "microsoftonline.com",
        })

    # ---- scopes ----------------------------------------------------------------
    def resolve_scopes(self, ctx, scope, client_credentials=False):
        """-> (resource, granted list, offline bool) or Resp error."""
        items = [s for s in (scope or "").split() if s]
        resources, names, offline = set(), [], False
        for it in items:
            res, name = tokens.resource_of(it)
            if res is None:
                offline = offline or name == "offline_access"
                continue
            resources.add(res)
            names.append(name)
        if len(resources) > 1:
            return self.error(ctx, 400, "invalid_scope", 28000,
                              "Provided value for the input parameter scope is not valid because it contains more "
                              "than one resource. Scope %s is not valid." % scope)
        res = resources.pop() if resources else "graph"
        if res.startswith("unknown:"):
            return self.error(ctx, 400, "invalid_resource", 500011,
                              "The resource principal named %s was not found in the tenant named %s."
                              % (res[8:], self.app.tenant.display_name))
        if client_credentials:
            if names != [".default"]:
                return self.error(ctx, 400, "invalid_scope", 1002012,
                                  "The provided value for scope %s is not valid. Client credential flows must have "
                                  "a scope value with /.default suffixed to the resource identifier "
                                  "(application ID URI)." % scope)
            return res, [], False
        consented = self.consented(res)
        if ".default" in names:
            granted = list(consented)
        else:
            low = {c.lower(): c for c in consented}
            granted = [low[n.lower()] for n in names if n.lower() in low]
        return res, granted, offline

    def _aud(self, res):
        return tokens.EXO_AUD if res == "exo" else tokens.GRAPH_AUD

    def delegated_tokens(self, ctx, client_id, user, res, granted, offline):
        t = self.app.tenant
        claims = {
            "iss": "https://sts.windows.net/%s/" % t.id, "tid": t.id, "oid": user["id"], "sub": b64url(
                hashlib.sha256(user["id"].encode()).digest()[:24]),
            "upn": user.get("userPrincipalName"), "unique_name": user.get("userPrincipalName"),
            "preferred_username": user.get("userPrincipalName"), "name": user.get("displayName"),
            "given_name": user.get("givenName"), "family_name": user.get("surname"),
            "appid": client_id, "app_displayname": PUBLIC_CLIENTS.get(client_id.lower(), "reflexe test app"),
            "appidacr": "0", "idtyp": "user", "acr": "1", "amr": ["pwd", "mfa"], "ipaddr": "127.0.0.1",
            "scp": " ".join(granted), "wids": t.role_template_ids_of(user["id"]) + ["b79fbf4d-3ef9-4689-8143-76b194e85509"],
            "platf": "14", "puid": "10032001" + hashlib.sha256(user["id"].encode()).hexdigest()[:8].upper(),
        }
        at, cl = tokens.mint(claims, self._aud(res), self.lifetime)
        body = {"token_type": "Bearer", "scope": " ".join(
            [("%s/%s" % (self._aud(res), g)) if res == "exo" else g for g in granted] +
            (["offline_access"] if offline else [])) if granted else "",
            "expires_in": int(self.lifetime), "ext_expires_in": int(self.lifetime), "access_token": at}
        if offline:
            rt = tokens.new_refresh_token()
            with self.lock:
                self.refresh[rt] = {"client_id": client_id.lower(), "user": user["id"]}
            body["refresh_token"] = rt
        body["id_token"] = tokens.id_token(t.id, user, client_id, ctx.host)
        body["client_info"] = b64url(json.dumps({"uid": user["id"], "utid": t.id}))
        lg = ctx.log.setdefault("login", {})
        lg.update({"result": "ok", "aud": cl["aud"], "scp": cl["scp"], "upn": cl["upn"]})
        return self._resp(200, body)

    # ---- device code -----------------------------------------------------------
    def devicecode(self, ctx, tenant, form):
        cid = form.get("client_id")
        if not cid:
            return self.error(ctx, 400, "invalid_request", 900144,
                              "The request body must contain the following parameter: 'client_id'.")
        if cid.lower() not in PUBLIC_CLIENTS and cid.lower() not in self.apps:
            return self.error(ctx, 400, "unauthorized_client", 700016,
                              "Application with identifier '%s' was not found in the directory '%s'. This can "
                              "happen if the application has not been installed by the administrator of the tenant."
                              % (cid, self.app.tenant.display_name))
        if not form.get("scope"):
            return self.error(ctx, 400, "invalid_request", 900144,
                              "The request body must contain the following parameter: 'scope'.")
        r = self.resolve_scopes(ctx, form["scope"])
        if isinstance(r, Resp):
            return r
        res, granted, offline = r
        code = "DAQABIQEAAA" + b64url(os.urandom(96))
        user_code = "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(9))
        t0 = time.monotonic()
        with self.lock:
            self.devices[code] = {"client_id": cid.lower(), "res": res, "granted": granted, "offline": offline,
                                  "issued": t0, "last": t0, "interval": float(self.interval), "steps":
                                  list(self.scenario), "polls": 0, "done": False}
        ctx.log["login"]["result"] = "device_code_issued"
        ctx.log["login"]["interval"] = self.interval
        return self._resp(200, {
            "user_code": user_code, "device_code": code, "verification_uri": "https://microsoft.com/devicelogin",
            "expires_in": int(self.expires), "interval": int(self.interval) if float(self.interval).is_integer()
            else self.interval,
            "message": "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter "
                       "the code %s to authenticate." % user_code,
        })

    def token(self, ctx, tenant, form):
        gt = form.get("grant_type")
        ctx.log["login"]["grant"] = gt
        if not gt:
            return self.error(ctx, 400, "invalid_request", 900144,
                              "The request body must contain the following parameter: 'grant_type'.")
        if not form.get("client_id") and gt != "client_credentials":
            return self.error(ctx, 400, "invalid_request", 900144,
                              "The request body must contain the following parameter: 'client_id'.")
        if gt == DEVICE_GRANT:
            return self.device_poll(ctx, form)
        if gt == "refresh_token":
            return self.refresh_grant(ctx, form)
        if gt == "client_credentials":
            return self.client_credentials(ctx, tenant, form)
        return self.error(ctx, 400, "unsupported_grant_type", 70003,
                          "The app requested an unsupported grant type '%s'." % gt)

    def device_poll(self, ctx, form):
        code = form.get("device_code")
        lg = ctx.log["login"]
        if not code:
            return self.error(ctx, 400, "invalid_request", 900144,
                              "The request body must contain the following parameter: 'device_code'.")
        tnow = time.monotonic()
        with self.lock:
            st = self.devices.get(code)
            if st is None or st["done"]:
                lg["result"] = "unknown_device_code"
                return self.error(ctx, 400, "bad_verification_code", 70018,
                                  "Invalid verification code due to User typing in wrong user code for device code "
                                  "flow. Authorization is not approved.")
            if st["client_id"] != form["client_id"].lower():
                return self.error(ctx, 400, "invalid_grant", 70000,
                                  "The provided device code was issued to another client.")
            st["polls"] += 1
            since = tnow - st["last"]
            lg.update({"poll": st["polls"], "since_prev": round(since, 3), "required_interval": st["interval"],
                       "early": since + 0.05 < st["interval"], "since_issue": round(tnow - st["issued"], 3)})
            st["last"] = tnow
            if tnow - st["issued"] > self.expires:
                step = "expired"
            else:
                step = st["steps"].pop(0) if len(st["steps"]) > 1 else st["steps"][0]
            if step in ("ok", "declined", "expired", "badcode"):
                st["done"] = True
            if step == "slow_down":
                st["interval"] += 5.0
        lg["result"] = step
        if step == "pending":
            return self.error(ctx, 400, "authorization_pending", 70016,
                              "OAuth 2.0 device flow error. Authorization is pending. Continue polling.")
        if step == "slow_down":
            return self.error(ctx, 400, "slow_down", 0,
                              "OAuth 2.0 device flow error. The client is polling too frequently; increase the "
                              "polling interval by 5 seconds.")
        if step == "declined":
            return self.error(ctx, 400, "authorization_declined", 65004,
                              "User declined to consent to access the app.")
        if step == "expired":
            return self.error(ctx, 400, "expired_token", 70019,
                              "Verification code expired. Have the user retry the sign-in.")
        if step == "badcode":
            return self.error(ctx, 400, "bad_verification_code", 70018,
                              "Invalid verification code due to User typing in wrong user code for device code flow. "
                              "Authorization is not approved.")
        return self.delegated_tokens(ctx, st["client_id"], self.signed_in_user(), st["res"], st["granted"],
                                     st["offline"])

    def refresh_grant(self, ctx, form):
        rt = form.get("refresh_token")
        cid = form["client_id"].lower()
        if not rt:
            return self.error(ctx, 400, "invalid_request", 900144,
                              "The request body must contain the following parameter: 'refresh_token'.")
        with self.lock:
            st = self.refresh.get(rt)
        if st is None:
            return self.error(ctx, 400, "invalid_grant", 9002313,
                              "Invalid request. Request is malformed or invalid.")
        if st["client_id"] != cid and not (st["client_id"] in self.foci and cid in self.foci):
            return self.error(ctx, 400, "invalid_grant", 700022,
                              "The refresh token was issued to a single client, and is not allowed to be used by "
                              "another client ('%s')." % form["client_id"])
        r = self.resolve_scopes(ctx, form.get("scope") or ".default offline_access")
        if isinstance(r, Resp):
            return r
        res, granted, _ = r
        if "all" in self.refuse_refresh or res in self.refuse_refresh:
            return self.error(ctx, 400, "invalid_grant", 65001,
                              "The user or administrator has not consented to use the application with ID '%s' "
                              "named '%s'. Send an interactive authorization request for this user and resource."
                              % (form["client_id"], PUBLIC_CLIENTS.get(cid, "reflexe test app")),
                              {"suberror": "consent_required"})
        user = self.app.tenant.get("users", st["user"])
        return self.delegated_tokens(ctx, cid, user, res, granted, True)

    # ---- client credentials ---------------------------------------------------
    def client_credentials(self, ctx, tenant, form):
        cid = form.get("client_id")
        lg = ctx.log["login"]
        secret = form.get("client_secret")
        assertion = form.get("client_assertion")
        atype = form.get("client_assertion_type")
        basic = ctx.header("authorization") or ""
        if not secret and not assertion and basic.lower().startswith("basic "):
            try:       # client_secret_basic: base64(urlencode(id):urlencode(secret))
                bid, _, bsec = base64.b64decode(basic[6:].strip()).decode().partition(":")
                cid, secret = cid or urllib.parse.unquote_plus(bid), urllib.parse.unquote_plus(bsec)
            except (ValueError, UnicodeDecodeError):
                return self.error(ctx, 401, "invalid_client", 7000215, "Invalid client secret provided.")
        lg["auth"] = "secret" if secret else ("assertion" if assertion else "none")
        if tenant.lower() in ("common", "organizations"):
            return self.error(ctx, 400, "invalid_request", 700016,
                              "Application with identifier '%s' was not found in the directory 'common'. "
                              "Use a tenant-specific endpoint." % (cid or ""))
        if assertion and not cid:
            try:
                cid = json.loads(b64url_decode(assertion.split(".")[1])).get("sub")
            except (ValueError, IndexError, UnicodeDecodeError):
                cid = None
        if not cid:
            return self.error(ctx, 400, "invalid_request", 900144,
                              "The request body must contain the following parameter: 'client_id'.")
        lg["client_id"] = cid
        app = self.apps.get(cid.lower())
        if app is None:
            return self.error(ctx, 400, "unauthorized_client", 700016,
                              "Application with identifier '%s' was not found in the directory '%s'. This can happen "
                              "if the application has not been installed by the administrator of the tenant or "
                              "consented to by any user in the tenant." % (cid, self.app.tenant.display_name))
        if secret and assertion:
            return self.error(ctx, 400, "invalid_request", 90014,
                              "Only one of client_secret or client_assertion may be presented.")
        if not secret and not assertion:
            return self.error(ctx, 401, "invalid_client", 7000218,
                              "The request body must contain the following parameter: 'client_assertion' or "
                              "'client_secret'.")
        r = self.resolve_scopes(ctx, form.get("scope"), client_credentials=True)
        if isinstance(r, Resp):
            return r
        res = r[0]
        if secret:
            if not app["secret"] or not hmac.compare_digest(secret.encode(), app["secret"].encode()):
                lg["result"] = "bad_secret"
                return self.error(ctx, 401, "invalid_client", 7000215,
                                  "Invalid client secret provided. Ensure the secret being sent in the request is "
                                  "the client secret value, not the client secret ID, for a secret added to app "
                                  "'%s'." % cid)
            acr = "1"
        else:
            if atype != ASSERTION_TYPE:
                return self.error(ctx, 400, "invalid_request", 50027,
                                  "Invalid client_assertion_type: expected '%s'." % ASSERTION_TYPE)
            why = self.verify_assertion(ctx, assertion, cid, app)
            lg["assertion"] = why or "valid"
            if why:
                lg["result"] = "bad_assertion"
                code = {"time": 700024, "aud": 700021}.get(why.split(":")[0], 700027)
                text = {700024: "Client assertion is not within its valid time range.",
                        700021: "Client assertion audience claim does not match Realm issuer."}.get(
                    code, "Client assertion failed signature validation.")
                return self.error(ctx, 401, "invalid_client", code, "%s (%s)" % (text, why))
            acr = "2"
        t = self.app.tenant
        roles = self.app_roles(cid, res)
        claims = {"iss": "https://sts.windows.net/%s/" % t.id, "tid": t.id, "appid": cid, "azp": cid,
                  "appidacr": acr, "idtyp": "app", "oid": self.sp_object_id(cid),
                  "roles": roles, "app_displayname": "reflexe test app"}
        claims["sub"] = claims["oid"]
        at, cl = tokens.mint(claims, self._aud(res), self.lifetime)
        lg.update({"result": "ok", "aud": cl["aud"], "roles": " ".join(roles)})
        return self._resp(200, {"token_type": "Bearer", "expires_in": int(self.lifetime),
                                "ext_expires_in": int(self.lifetime), "access_token": at})

    def sp_object_id(self, cid):
        """Object id of the app's service principal: the tenant's, if it lists one."""
        for sp in self.app.tenant.coll("servicePrincipals") or []:
            if str(sp.get("appId", "")).lower() == cid.lower():
                return sp["id"]
        return det_uuid(self.app.tenant.id, "sp", cid.lower())

    def verify_assertion(self, ctx, assertion, cid, app):
        """None if valid, else a short reason (never containing the assertion)."""
        if not app.get("cert"):
            return "key: no certificate registered for this application"
        parts = assertion.split(".")
        if len(parts) != 3:
            return "format: not a compact JWS"
        try:
            header = json.loads(b64url_decode(parts[0]))
            claims = json.loads(b64url_decode(parts[1]))
            sig = b64url_decode(parts[2])
        except (ValueError, UnicodeDecodeError):
            return "format: undecodable header, claims or signature"
        if not isinstance(header, dict) or not isinstance(claims, dict):
            return "format: header or claims not an object"
        alg = header.get("alg")
        ctx.log["login"]["alg"] = alg if alg in ("RS256", "PS256") else "other"
        if alg not in ("RS256", "PS256"):
            return "alg: %r not accepted (RS256 or PS256)" % alg
        x5t256, x5t1, pub = app["cert"]
        if "x5t#S256" in header:
            if header["x5t#S256"] != x5t256:
                return "key: x5t#S256 does not match the registered certificate"
        elif self.app.opts.allow_x5t and header.get("x5t") == x5t1:
            pass
        else:
            return "key: no x5t#S256 header naming the registered certificate"
        ok_aud = set()
        for host in (ctx.host,):
            for tn in [self.app.tenant.id] + self.app.tenant.domain_names:
                ok_aud.add("https://%s/%s/oauth2/v2.0/token" % (host, tn))
                ok_aud.add("https://%s/%s/oauth2/token" % (host, tn))
                ok_aud.add("https://%s/%s/v2.0" % (host, tn))
        aud = claims.get("aud")
        if aud not in ok_aud and not (isinstance(aud, str) and aud.lower() in {a.lower() for a in ok_aud}):
            return "aud: %r is not this token endpoint" % aud
        if claims.get("iss") != cid or claims.get("sub") != cid:
            return "iss/sub: must both equal the client id"
        jti = claims.get("jti")
        if not jti or not isinstance(jti, str):
            return "jti: missing"
        tnow = time.time()
        # Microsoft's certificate-credentials page lists aud, exp, iss,
        # jti, nbf and sub as required claims.
        exp, nbf = claims.get("exp"), claims.get("nbf")
        if not isinstance(exp, (int, float)):
            return "time: exp missing"
        if not isinstance(nbf, (int, float)):
            return "time: nbf missing"
        if exp < tnow - 300:
            return "time: expired"
        if isinstance(nbf, (int, float)) and nbf > tnow + 300:
            return "time: not yet valid (nbf)"
        if isinstance(nbf, (int, float)) and exp - nbf > 86400:
            return "time: lifetime longer than a day"
        with tempfile.NamedTemporaryFile(dir=self._tmp, delete=False) as fd, \
                tempfile.NamedTemporaryFile(dir=self._tmp, delete=False) as fs:
            fd.write((parts[0] + "." + parts[1]).encode("ascii"))
            fs.write(sig)
        try:
            cmd = ["openssl", "dgst", "-sha256", "-verify", pub, "-signature", fs.name]
            if alg == "PS256":
                cmd += ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:-1"]
            cmd.append(fd.name)
            res = subprocess.run(cmd, capture_output=True)
        finally:
            os.unlink(fd.name)
            os.unlink(fs.name)
        if res.returncode != 0:
            return "signature: %s signature does not verify with the registered certificate" % alg
        with self.lock:
            if jti in self.jtis:
                ctx.log["login"]["jti_replay"] = True
            self.jtis.add(jti)
        return None
