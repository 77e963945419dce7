"""Faults on demand.

A rule is a set of key=value pairs, from the command line
  --fault 'kind=429,path=^/v1.0/users,count=2,retry_after=1.5'
or from a tenant file ("faults": [{"kind": "429", "path": "...", ...}]).

Keys:
  kind         429 | 503 | 500 | 502 | 504 | 404 | 401 | 403 | status (with status=N)
               reset | truncate | chunked_truncate | close | slow | stall | malformed | html
               huge | huge_chunked
  path         regex, searched in the path+query (tried on the raw and on the
               percent-decoded form; sub-requests of a $batch are seen as
               /v1.0/<url> or /beta/<url>)               default: any
  method       GET, POST...                               default: any
  in           top | batch | any: top-level requests, $batch sub-requests, or both
                                                           default: top
  skip         let this many matching requests through first     default 0
  count        fire this many times, then stop (inf = always)    default 1
  every        fire on every Nth match only (after skip)          default 1
  retry_after  Retry-After value for 429/503 (int or fractional seconds; 'none' = no header)
                                                           default 1 for 429, none for 503
  delay        seconds, for slow (before the answer) and stall (mid-body)   default 2
  status       status code for kind=status
  at           for reset/truncate/chunked_truncate/stall: fraction of the body sent first
                                                           default 0.5 (reset: 0 = before any byte)
  size         for huge (a 200 whose Content-Length says size bytes, then as many as
               the client takes) and huge_chunked (a 200, chunked, that streams a page
               whose one string never ends, up to size bytes): default 2 GiB
  cmdlet       regex on an Exchange InvokeCommand's CmdletName (all Exchange calls share one
               path)                                      default: any
"""
import re
import threading

STATUS_KINDS = {"429", "503", "500", "502", "504", "404", "401", "403", "status", "html"}
WIRE_KINDS = {"reset", "truncate", "chunked_truncate", "close", "slow", "stall", "malformed", "huge",
              "huge_chunked"}


class FaultSpecError(ValueError):
    pass


class Rule:
    def __init__(self, spec):
        if isinstance(spec, str):
            d = {}
            for i, part in enumerate(p for p in _split(spec) if p.strip()):
                if "=" not in part:
                    if i == 0:
                        d["kind"] = part.strip()
                        continue
                    raise FaultSpecError("fault: expected key=value, got %r" % part)
                k, v = part.split("=", 1)
                d[k.strip()] = v.strip()
            spec = d
        self.spec = dict(spec)
        self.kind = str(spec.get("kind", "")).lower()
        if self.kind not in STATUS_KINDS | WIRE_KINDS:
            raise FaultSpecError("fault: unknown kind %r" % self.kind)
        try:
            self.path_re = re.compile(spec.get("path", ""))
        except re.error as e:
            raise FaultSpecError("fault: bad path regex: %s" % e)
        self.method = (spec.get("method") or "").upper() or None
        try:
            self.cmdlet_re = re.compile(spec["cmdlet"], re.I) if spec.get("cmdlet") else None
        except re.error as e:
            raise FaultSpecError("fault: bad cmdlet regex: %s" % e)
        self.scope = spec.get("in", "top")
        if self.scope not in ("top", "batch", "any"):
            raise FaultSpecError("fault: in= must be top, batch or any")
        self.skip = int(spec.get("skip", 0))
        c = str(spec.get("count", 1)).lower()
        self.count = None if c in ("inf", "-1", "always") else int(c)
        self.every = max(1, int(spec.get("every", 1)))
        ra = spec.get("retry_after", "1" if self.kind == "429" else None)
        self.retry_after = None if ra in (None, "none", "") else str(ra)
        self.delay = float(spec.get("delay", 2))
        self.status = int(spec.get("status", self.kind if self.kind.isdigit() else
                                   {"html": 502}.get(self.kind, 500)))
        self.at = float(spec.get("at", 0.5))
        self.size = int(spec.get("size", 2 << 30))
        self.seen = 0
        self.fired = 0
        if self.kind in WIRE_KINDS and self.scope == "batch":
            raise FaultSpecError("fault: %s cannot apply to a $batch sub-request" % self.kind)

    def describe(self):
        return ",".join("%s=%s" % kv for kv in self.spec.items())

    def matches(self, method, target, decoded, scope, body=b""):
        if self.scope != "any" and self.scope != scope:
            return False
        if self.method and self.method != method:
            return False
        if self.cmdlet_re:
            m = re.search(rb'"CmdletName"\s*:\s*"([^"]*)"', body or b"")
            if not m or not self.cmdlet_re.search(m.group(1).decode("utf-8", "replace")):
                return False
        return bool(self.path_re.search(target) or self.path_re.search(decoded))


def _split(spec):
    """Split on commas, except inside {...} or (...) (regex quantifiers, groups)."""
    out, depth, cur = [], 0, ""
    for ch in spec:
        if ch in "{([":
            depth += 1
        elif ch in "})]":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return out


class Faults:
    def __init__(self, specs):
        self.rules = [Rule(s) for s in specs]
        self.lock = threading.Lock()

    def pick(self, method, target, decoded, scope, body=b""):
        """The rule that fires for this request, if any (counts occurrences)."""
        if not self.rules:
            return None
        with self.lock:
            for r in self.rules:
                if not r.matches(method, target, decoded, scope, body):
                    continue
                r.seen += 1
                n = r.seen - r.skip
                if n <= 0 or (n - 1) % r.every:
                    continue
                if r.count is not None and r.fired >= r.count:
                    continue
                r.fired += 1
                return r
        return None
