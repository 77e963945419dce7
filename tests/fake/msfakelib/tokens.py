"""Access tokens issued by the fake: JWT-shaped (header.payload.signature,
base64url), claims as Microsoft's v1 access tokens carry them.  The
"signature" is an HMAC-SHA256 with a key private to this process, so that
the Graph and Exchange fakes can tell their own tokens from forged ones;
clients cannot (and must not try to) verify it."""
import hashlib
import hmac
import json
import os
import time

from .util import b64url, b64url_decode, new_uuid

GRAPH_AUD = "https://graph.microsoft.com"
EXO_AUD = "https://outlook.office365.com"
GRAPH_APPID = "00000003-0000-0000-c000-000000000000"
EXO_APPID = "00000002-0000-0ff1-ce00-000000000000"

# What the fake considers consented when nothing else is configured: every
# read scope reflexe asks for, and the Exchange admin API's.
DEFAULT_GRAPH_SCOPES = [
    "User.Read", "Directory.Read.All", "AuditLog.Read.All", "Policy.Read.All", "RoleManagement.Read.Directory",
    "RoleEligibilitySchedule.Read.Directory", "IdentityRiskyUser.Read.All", "IdentityRiskEvent.Read.All",
    "UserAuthenticationMethod.Read.All", "Application.Read.All", "Reports.Read.All", "MailboxSettings.Read",
    "Organization.Read.All", "Domain.Read.All", "Group.Read.All", "GroupMember.Read.All",
    "DelegatedPermissionGrant.Read.All",
]
DEFAULT_APP_ROLES = [s for s in DEFAULT_GRAPH_SCOPES if s != "User.Read"] + ["User.Read.All"]
DEFAULT_EXO_SCOPES = ["Exchange.Manage"]
DEFAULT_EXO_APP_ROLES = ["Exchange.ManageAsApp"]

_KEY = os.urandom(32)


def resource_of(scope_item):
    """'https://graph.microsoft.com/User.Read' -> ('graph', 'User.Read'); bare names are Graph."""
    s = scope_item
    if s in ("offline_access", "openid", "profile", "email"):
        return None, s
    low = s.lower()
    if low.startswith(("https://", "http://", "api://")) or low.startswith(("00000003-", "00000002-")):
        base, _, name = s.rpartition("/")
        bl = base.lower()
        if "outlook" in bl or "exchange" in bl or bl.startswith("00000002-0000-0ff1"):
            return "exo", name
        if "graph" in bl or bl.startswith("00000003-0000-0000"):
            return "graph", name
        return "unknown:" + base, name
    return "graph", s


def mint(claims_extra, aud, lifetime):
    t = int(time.time())
    header = {"typ": "JWT", "nonce": b64url(os.urandom(16)), "alg": "RS256", "x5t": "fakeFakeFakeFakeFake",
              "kid": "fakeFakeFakeFakeFake"}
    claims = {"aud": aud, "iat": t, "nbf": t, "exp": t + int(lifetime), "ver": "1.0", "uti": b64url(os.urandom(16)),
              "xms_tcdt": 1551430800}
    claims.update(claims_extra)
    signing_input = b64url(json.dumps(header, separators=(",", ":"))) + "." + \
        b64url(json.dumps(claims, separators=(",", ":")))
    sig = hmac.new(_KEY, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64url(sig), claims


def verify(token):
    """-> (claims, None) or (None, reason)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None, "malformed"
    try:
        sig = b64url_decode(parts[2])
        claims = json.loads(b64url_decode(parts[1]))
    except (ValueError, UnicodeDecodeError):
        return None, "malformed"
    want = hmac.new(_KEY, (parts[0] + "." + parts[1]).encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(sig, want):
        return None, "signature"
    if claims.get("exp", 0) < time.time():
        return None, "expired"
    return claims, None


def new_refresh_token():
    return "0.A" + b64url(os.urandom(48)) + "." + b64url(os.urandom(24))


def id_token(tid, user, client_id, issuer_host):
    t = int(time.time())
    header = {"typ": "JWT", "alg": "RS256", "kid": "fakeFakeFakeFakeFake"}
    claims = {"aud": client_id, "iss": "https://%s/%s/v2.0" % (issuer_host, tid), "iat": t, "nbf": t,
              "exp": t + 3600, "name": user.get("displayName"), "oid": user["id"],
              "preferred_username": user.get("userPrincipalName"), "sub": new_uuid(), "tid": tid, "ver": "2.0"}
    return b64url(json.dumps(header)) + "." + b64url(json.dumps(claims)) + "." + b64url(os.urandom(32))


def satisfies(granted, needed_any):
    """True if a granted permission list covers one of needed_any.
    X.ReadWrite.Y covers X.Read.Y."""
    g = set()
    for p in granted:
        g.add(p.lower())
        g.add(p.lower().replace(".readwrite.", ".read."))
    return any(n.lower() in g for n in needed_any)
