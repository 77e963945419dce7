"""Request context and response objects shared by the services."""
import urllib.parse

from .util import dumps, fmt_dt, new_uuid, now


class Ctx:
    """One request (or one $batch sub-request) as the services see it."""

    def __init__(self, method, target, headers, body=b"", host="127.0.0.1", t_recv=0.0, conn=0, sub=False):
        self.method = method.upper()
        self.target = target                       # path+query as received
        raw_path, _, raw_query = target.partition("?")
        self.raw_path = raw_path
        self.path = urllib.parse.unquote(raw_path)
        self.raw_query = raw_query
        # keep_blank_values so that "$count" etc. are seen; '+' is a space in queries
        self.query_list = urllib.parse.parse_qsl(raw_query, keep_blank_values=True)
        self.query = {}
        for k, v in self.query_list:
            self.query.setdefault(k, v)
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.body = body
        self.host = host
        self.t_recv = t_recv
        self.conn = conn
        self.sub = sub
        self.log = {}                               # extra fields for the request log
        self.request_id = new_uuid()

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)

    def decoded_target(self):
        return urllib.parse.unquote(self.target)

    def base_url(self):
        return "https://" + self.host


class Resp:
    def __init__(self, status=200, body=b"", ctype="application/json; charset=utf-8", headers=None):
        self.status = status
        self.body = body if isinstance(body, (bytes, bytearray)) else dumps(body)
        self.ctype = ctype
        self.headers = list(headers or [])

    def add(self, name, value):
        self.headers.append((name, str(value)))
        return self

    def get(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None


GRAPH_CT = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"


def graph_error(ctx, status, code, message, extra_headers=None):
    body = {"error": {"code": code, "message": message,
                      "innerError": {"date": fmt_dt(now()).rstrip("Z"), "request-id": ctx.request_id,
                                     "client-request-id": ctx.header("client-request-id") or ctx.request_id}}}
    r = Resp(status, body, GRAPH_CT)
    for k, v in (extra_headers or []):
        r.add(k, v)
    return r
