"""Small helpers shared by the fake servers: time, ids, base64url, JSON."""
import base64
import calendar
import functools
import hashlib
import json
import re
import time
import uuid

_DT_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$")


def now():
    return time.time()


def fmt_dt(epoch, frac=False):
    """ISO 8601 UTC as Graph writes it: 2024-05-01T10:00:00Z."""
    t = time.gmtime(epoch)
    s = time.strftime("%Y-%m-%dT%H:%M:%S", t)
    if frac:
        s += ".%07d" % int((epoch - int(epoch)) * 1e7)
    return s + "Z"


@functools.lru_cache(maxsize=4096)
def _day_epoch(y, mo, d):
    return calendar.timegm((y, mo, d, 0, 0, 0, 0, 0, 0))


def parse_dt(s):
    """ISO 8601 date-time -> epoch seconds (float), or None if not one."""
    if not isinstance(s, str) or len(s) < 16 or s[4:5] != "-":
        return None
    return _parse_dt(s)


@functools.lru_cache(maxsize=1 << 17)
def _parse_dt(s):
    if len(s) == 20 and s[19] == "Z" and s[10] == "T" and s[13] == ":" and s[16] == ":":
        try:     # fast path for Graph's usual 2024-05-01T10:00:00Z
            return _day_epoch(int(s[0:4]), int(s[5:7]), int(s[8:10])) + \
                int(s[11:13]) * 3600 + int(s[14:16]) * 60 + int(s[17:19])
        except ValueError:
            pass
    m = _DT_RE.match(s)
    if not m:
        return None
    y, mo, d, hh, mi, ss, fr, tz = m.groups()
    try:
        e = calendar.timegm((int(y), int(mo), int(d), int(hh), int(mi), int(ss or 0), 0, 0, 0))
    except (ValueError, OverflowError):
        return None
    if fr:
        e += float("0" + fr)
    if tz and tz != "Z":
        sign = 1 if tz[0] == "+" else -1
        e -= sign * (int(tz[1:3]) * 3600 + int(tz[4:6]) * 60)
    return e


_REL_RE = re.compile(r"^@now(?:([+-])(\d+(?:\.\d+)?)([smhdw]))?$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def resolve_relative_dates(obj, ref=None):
    """Replace strings "@now", "@now-3d", "@now+2h"... by ISO date-times, recursively."""
    ref = now() if ref is None else ref
    if isinstance(obj, str):
        if obj.startswith("@now"):
            m = _REL_RE.match(obj)
            if m:
                off = 0.0
                if m.group(1):
                    off = float(m.group(2)) * _UNIT[m.group(3)]
                    if m.group(1) == "-":
                        off = -off
                return fmt_dt(ref + off)
        return obj
    if isinstance(obj, list):
        return [resolve_relative_dates(v, ref) for v in obj]
    if isinstance(obj, dict):
        return {k: resolve_relative_dates(v, ref) for k, v in obj.items()}
    return obj


def b64url(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(s):
    if isinstance(s, str):
        s = s.encode("ascii")
    s += b"=" * (-len(s) % 4)
    return base64.urlsafe_b64decode(s)


def det_uuid(*parts):
    """Deterministic UUID from any parts (used by the generator)."""
    h = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return str(uuid.UUID(bytes=h[:16], version=4))


def new_uuid():
    return str(uuid.uuid4())


def dumps(obj):
    """Compact JSON, UTF-8 bytes (Graph sends compact JSON, non-ASCII as raw UTF-8).
    The ASCII encoder is much faster; its output is the same when the data is
    ASCII, so it is tried first."""
    s = json.dumps(obj, separators=(",", ":"))
    if "\\u" in s:
        s = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    return s.encode("utf-8")


def public(obj):
    """Drop the fake's private fields (names starting with '_') from a dict."""
    if isinstance(obj, dict):
        return {k: v for k, v in obj.items() if not k.startswith("_")}
    return obj
