"""Service limits of the identity and access reports service, on demand.

Microsoft documents them in "Microsoft Graph service-specific throttling
limits" (learn.microsoft.com/graph/throttling-limits), section "Identity and
access reports service limits":

  request type          per app for all tenants   per app per tenant
  any                   122 per 10 seconds        5 per 10 seconds
  GET signInActivity    10 per minute             10 per minute

on auditLogRoot (auditLogs/signIns, directoryAudits, provisioning),
authenticationMethod, the credential / registration reports
(reports/authenticationMethods/...), signIn, directoryAudit and
signInActivity.  The fake serves one tenant, so only the per app per tenant
limits bind; they are kept per (appid, tid) of the token.

Model: a sliding window per (app, tenant) and limit.  A request on a
reports resource takes a slot in the "reports" window; one that selects or
filters on signInActivity takes a slot in the "reports" window and in the
"signInActivity" one.  A request that finds a window full is refused with
429 TooManyRequests and Retry-After = the whole seconds until the oldest
slot of that window frees (Graph sends integer seconds); a refused request
takes no slot.  $batch sub-requests count one by one, as Graph says.

Spec (--reports-limits or settings.reportsLimits):
  "ms"                   Microsoft's figures: reports 5/10s, signInActivity 10/60s
  "5/2s"                 reports 5 per 2 s (signInActivity: the same ratio of
                         Microsoft's, 10 per 12 s, scaled like the reports one)
  "5/2s,10/12s"          both given
Windows take s, m (minutes) or no unit (seconds); fractions allowed.

The same page's "Identity protection and conditional access service
limits": 1 request per second per tenant on identityProtection
(riskDetections, riskyUsers, ...) and identity/conditionalAccess, answered
429 with no Retry-After header.  --identity-limits "ms" (or N/W) models it
(IdentityLimits): one window per tenant, whatever the app.
"""
import collections
import math
import re
import threading
import time

MS_REPORTS = (5, 10.0)
MS_SIGNIN_ACTIVITY = (10, 60.0)
MS_IDENTITY = (1, 1.0)

# Routes ("/".join of the path segments after the version) served by the
# reports service.
REPORTS_RE = re.compile(r"^(auditLogs|reports)(/|$)|^(users/[^/]+|me)/authentication/methods(/|$)", re.I)
ACTIVITY_RE = re.compile(r"signinactivity", re.I)
IDENTITY_RE = re.compile(r"^(identityProtection|identity/conditionalAccess)(/|$)", re.I)


class LimitSpecError(ValueError):
    pass


def _window(text):
    m = re.match(r"^\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*(s|m)?\s*$", text)
    if not m:
        raise LimitSpecError("reports limits: expected N/WINDOW (e.g. 5/10s), got %r" % text)
    n, w = int(m.group(1)), float(m.group(2)) * (60 if m.group(3) == "m" else 1)
    if n < 1 or w <= 0:
        raise LimitSpecError("reports limits: %r: need at least 1 request over a positive window" % text)
    return n, w


def parse_spec(spec):
    """-> {"reports": (n, window_s), "signInActivity": (n, window_s)}"""
    s = str(spec).strip().lower()
    if s in ("ms", "microsoft", "on", "1", "true"):
        return {"reports": MS_REPORTS, "signInActivity": MS_SIGNIN_ACTIVITY}
    parts = [p for p in s.split(",") if p.strip()]
    if not parts or len(parts) > 2:
        raise LimitSpecError("reports limits: expected 'ms', N/W or N/W,N/W, got %r" % spec)
    rep = _window(parts[0])
    if len(parts) == 2:
        act = _window(parts[1])
    else:
        act = (MS_SIGNIN_ACTIVITY[0], MS_SIGNIN_ACTIVITY[1] * rep[1] / MS_REPORTS[1])
    return {"reports": rep, "signInActivity": act}


def parse_identity_spec(spec):
    """-> {"identityProtection": (n, window_s)}: 'ms' (1 per second) or N/W."""
    s = str(spec).strip().lower()
    if s in ("ms", "microsoft", "on", "1", "true"):
        return {"identityProtection": MS_IDENTITY}
    return {"identityProtection": _window(s)}


class ReportsLimits:
    def __init__(self, spec, clock=time.monotonic):
        self.limits = self.parse(spec)
        self.clock = clock
        self.windows = {}          # (app, tenant, name) -> deque of admission times
        self.lock = threading.Lock()
        self.refused = 0
        self.admitted = 0

    parse = staticmethod(parse_spec)

    @staticmethod
    def buckets(method, route, query):
        """The windows a request takes a slot in ([] = not the reports service)."""
        if method != "GET":
            return []
        activity = route.split("/")[0].lower() in ("users", "me") and \
            any(ACTIVITY_RE.search(query.get(k, "")) for k in ("$select", "$filter"))
        if activity:
            return ["reports", "signInActivity"]
        return ["reports"] if REPORTS_RE.search(route) else []

    def admit(self, key, names, now=None):
        """None when admitted (a slot taken in each window), else
        (window name, Retry-After in whole seconds, exact wait)."""
        if not names:
            return None
        now = self.clock() if now is None else now
        with self.lock:
            worst = None
            for name in names:
                n, w = self.limits[name]
                dq = self.windows.setdefault(key + (name,), collections.deque())
                while dq and dq[0] <= now - w:
                    dq.popleft()
                if len(dq) >= n:
                    wait = dq[0] + w - now
                    if worst is None or wait > worst[2]:
                        worst = (name, max(1, int(math.ceil(wait - 1e-9))), wait)
            if worst is not None:
                self.refused += 1
                return worst
            for name in names:
                self.windows[key + (name,)].append(now)
            self.admitted += 1
            return None


class IdentityLimits(ReportsLimits):
    """Identity protection and conditional access: 1 request per second
    per tenant (key: ("", tid)); the 429 carries no Retry-After."""
    parse = staticmethod(parse_identity_spec)

    @staticmethod
    def buckets(method, route, query):
        return ["identityProtection"] if method == "GET" and IDENTITY_RE.search(route) else []
