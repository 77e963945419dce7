"""A useful subset of OData v4 query options, as Microsoft Graph applies them.

$filter: eq ne gt ge lt le, and or not, parentheses, `in (...)`,
startswith(p,'x'), endswith(p,'x'), lambda any/all over collections
(`p/any(x: x eq 'v')`, `p/any(x: x/q eq 'v')`), nested properties (`a/b`),
literals: 'string' ('' escapes), numbers, true/false/null, GUIDs and
date-times unquoted, enum literals (microsoft.graph.riskLevel'high').
Anything else raises ODataError, which the Graph layer turns into a 400:
a filter is never silently ignored.

String comparisons are case-insensitive (as for directory objects).
Date-times compare as instants whatever their written form.
"""
import re

from .util import parse_dt


class ODataError(Exception):
    def __init__(self, message, code="BadRequest", status=400):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


_TOKEN_RE = re.compile(r"""
    (?P<ws>\s+)
  | (?P<dt>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)
  | (?P<guid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})
  | (?P<enum>[A-Za-z_][\w.]*'(?:[^']|'')*')
  | (?P<str>'(?:[^']|'')*')
  | (?P<num>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<ident>[A-Za-z_@$][\w.@$]*)
  | (?P<punc>[(),:/])
""", re.VERBOSE)

_CMP = {"eq", "ne", "gt", "ge", "lt", "le"}
_FUNCS = {"startswith", "endswith"}
_UNSUPPORTED_FUNCS = {"contains", "substring", "tolower", "toupper", "trim", "concat",
                      "indexof", "length", "year", "month", "day", "hour", "minute",
                      "second", "date", "time", "round", "floor", "ceiling", "has", "matchesPattern"}


def _tokenize(s):
    pos, out = 0, []
    while pos < len(s):
        m = _TOKEN_RE.match(s, pos)
        if not m:
            raise ODataError("Invalid filter clause: syntax error at position %d in '%s'." % (pos, s))
        pos = m.end()
        kind = m.lastgroup
        if kind == "ws":
            continue
        out.append((kind, m.group(kind)))
    out.append(("end", None))
    return out


class _Lit:
    __slots__ = ("v",)

    def __init__(self, v):
        self.v = v


def _norm(v):
    """Value -> comparable key.  (type tag, value)."""
    if v is None:
        return (0, None)
    if isinstance(v, bool):
        return (1, v)
    if isinstance(v, (int, float)):
        return (2, v)
    if isinstance(v, str):
        e = parse_dt(v)
        if e is not None:
            return (3, e)
        return (4, v.lower())
    return (5, repr(v))


def _cmp(op, a, b):
    return _cmp_norm(op, _norm(a), _norm(b))


def _cmp_norm(op, ka, kb):
    if op == "eq":
        return ka == kb
    if op == "ne":
        return ka != kb
    if ka[0] == 0 or kb[0] == 0 or ka[0] != kb[0]:
        return False
    x, y = ka[1], kb[1]
    if op == "gt":
        return x > y
    if op == "ge":
        return x >= y
    if op == "lt":
        return x < y
    return x <= y


class _Parser:
    def __init__(self, text):
        self.text = text
        self.toks = _tokenize(text)
        self.i = 0

    def peek(self, k=0):
        return self.toks[self.i + k]

    def take(self):
        t = self.toks[self.i]
        self.i += 1
        return t

    def expect(self, kind, val=None):
        t = self.take()
        if t[0] != kind or (val is not None and t[1] != val):
            raise ODataError("Invalid filter clause: expected %s near '%s'." % (val or kind, t[1]))
        return t

    def is_word(self, w, k=0):
        t = self.peek(k)
        return t[0] == "ident" and t[1] == w

    def parse(self):
        e = self.or_expr(())
        if self.peek()[0] != "end":
            raise ODataError("Invalid filter clause: unexpected '%s'." % self.peek()[1])
        return e

    def or_expr(self, vars_):
        left = self.and_expr(vars_)
        while self.is_word("or"):
            self.take()
            right = self.and_expr(vars_)
            left = (lambda l, r: lambda o, env: l(o, env) or r(o, env))(left, right)
        return left

    def and_expr(self, vars_):
        left = self.not_expr(vars_)
        while self.is_word("and"):
            self.take()
            right = self.not_expr(vars_)
            left = (lambda l, r: lambda o, env: l(o, env) and r(o, env))(left, right)
        return left

    def not_expr(self, vars_):
        if self.is_word("not"):
            self.take()
            inner = self.not_expr(vars_)
            return lambda o, env: not inner(o, env)
        return self.cmp_expr(vars_)

    def cmp_expr(self, vars_):
        left = self.operand(vars_)
        t = self.peek()
        if t[0] == "ident" and t[1] in _CMP:
            op = self.take()[1]
            lit = self.literal()
            if lit is not None:      # the usual case: property op literal
                kb = _norm(lit.v)
                return lambda o, env: _cmp_norm(op, _norm(left(o, env)), kb)
            right = self.operand(vars_)
            return lambda o, env: _cmp(op, left(o, env), right(o, env))
        if t[0] == "ident" and t[1] == "in":
            self.take()
            self.expect("punc", "(")
            vals = []
            while True:
                lit = self.literal()
                if lit is None:
                    raise ODataError("Invalid filter clause: 'in' takes a list of literals.")
                vals.append(_norm(lit.v))
                if self.peek() == ("punc", ","):
                    self.take()
                    continue
                self.expect("punc", ")")
                break
            vs = set(vals)
            return lambda o, env: _norm(left(o, env)) in vs
        if t[0] == "ident" and t[1] in ("add", "sub", "mul", "div", "mod", "has"):
            raise ODataError("Unsupported query: operator '%s'." % t[1], "Request_UnsupportedQuery")
        # a bare boolean operand (function call or boolean property)
        return lambda o, env: left(o, env) is True

    def literal(self):
        kind, val = self.peek()
        if kind == "str":
            self.take()
            return _Lit(val[1:-1].replace("''", "'"))
        if kind == "enum":
            self.take()
            q = val.index("'")
            return _Lit(val[q + 1:-1].replace("''", "'"))
        if kind == "num":
            self.take()
            return _Lit(float(val) if any(c in val for c in ".eE") else int(val))
        if kind in ("dt", "guid"):
            self.take()
            return _Lit(val)
        if kind == "ident" and val in ("true", "false", "null"):
            self.take()
            return _Lit({"true": True, "false": False, "null": None}[val])
        return None

    def operand(self, vars_):
        lit = self.literal()
        if lit is not None:
            v = lit.v
            return lambda o, env: v
        kind, val = self.peek()
        if kind == "punc" and val == "(":
            self.take()
            e = self.or_expr(vars_)
            self.expect("punc", ")")
            return e
        if kind != "ident":
            raise ODataError("Invalid filter clause: unexpected '%s'." % val)
        if self.peek(1) == ("punc", "("):
            return self.func(vars_)
        return self.path(vars_)

    def func(self, vars_):
        name = self.take()[1]
        if name in _UNSUPPORTED_FUNCS or name not in _FUNCS:
            raise ODataError("Unsupported query: function '%s' is not supported by this fake." % name,
                             "Request_UnsupportedQuery")
        self.expect("punc", "(")
        a = self.operand(vars_)
        self.expect("punc", ",")
        b = self.operand(vars_)
        self.expect("punc", ")")

        def f(o, env):
            x, y = a(o, env), b(o, env)
            if not isinstance(x, str) or not isinstance(y, str):
                return False
            x, y = x.lower(), y.lower()
            return x.startswith(y) if name == "startswith" else x.endswith(y)
        return f

    def path(self, vars_):
        segs = [self.take()[1]]
        while self.peek() == ("punc", "/"):
            self.take()
            kind, val = self.peek()
            if kind != "ident":
                raise ODataError("Invalid filter clause: bad property path near '%s'." % val)
            if val in ("any", "all") and self.peek(1) == ("punc", "("):
                self.take()
                return self.lambda_(segs, val, vars_)
            segs.append(self.take()[1])
        return self._getter(segs, vars_)

    @staticmethod
    def _getter(segs, vars_):
        first = segs[0]
        rest = segs[1:]
        from_var = first in vars_

        def get(o, env):
            cur = env[first] if from_var else (o.get(first) if isinstance(o, dict) else None)
            for s in rest:
                if isinstance(cur, dict):
                    cur = cur.get(s)
                else:
                    return None
            return cur
        return get

    def lambda_(self, segs, which, vars_):
        coll = self._getter(segs, vars_)
        self.expect("punc", "(")
        if self.peek() == ("punc", ")"):
            self.take()
            if which == "all":
                raise ODataError("Invalid filter clause: all() needs a predicate.")
            return lambda o, env: bool(coll(o, env))
        var = self.expect("ident")[1]
        self.expect("punc", ":")
        body = self.or_expr(vars_ + (var,))
        self.expect("punc", ")")

        def f(o, env):
            items = coll(o, env) or []
            if not isinstance(items, list):
                return False
            test = (lambda it: body(o, dict(env, **{var: it})))
            return any(test(it) for it in items) if which == "any" else all(test(it) for it in items)
        return f


def compile_filter(text):
    """Return predicate(obj) -> bool, or raise ODataError."""
    if not text or not text.strip():
        raise ODataError("Invalid filter clause: empty filter.")
    pred = _Parser(text).parse()
    return lambda o: bool(pred(o, {}))


def filter_mentions(text, prop):
    """True if the filter refers to property `prop` (word match)."""
    return bool(text) and re.search(r"(?<![\w/])%s\b" % re.escape(prop), text) is not None


def parse_orderby(text):
    """'a desc, b' -> [(path list, desc bool)]."""
    out = []
    for part in text.split(","):
        words = part.strip().split()
        if not words or len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
            raise ODataError("Invalid $orderby clause: '%s'." % text)
        out.append((words[0].split("/"), len(words) == 2 and words[1].lower() == "desc"))
    return out


def sort_objects(objs, keys):
    """Stable multi-key sort; null sorts first ascending (as OData)."""
    def getter(path):
        def g(o):
            cur = o
            for s in path:
                cur = cur.get(s) if isinstance(cur, dict) else None
            return _norm(cur)
        return g
    res = list(objs)
    for path, desc in reversed(keys):
        res.sort(key=getter(path), reverse=desc)
    return res


def split_list(text):
    """'$select=a,b( c ),d' value -> ['a', 'b( c )', 'd'] respecting parentheses."""
    out, depth, cur = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out
