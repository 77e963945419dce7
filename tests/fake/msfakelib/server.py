"""TLS HTTP/1.1 server (keep-alive, daemon threads), request log, fault
injection on the wire, and the dispatch to the login / Graph / Exchange
services."""
import email.utils
import itertools
import json
import os
import re
import socket
import ssl
import struct
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import tokens
from .common import Ctx, Resp, graph_error
from .exo import Budget, ExoService, exo_error
from .faults import STATUS_KINDS, Faults
from .graph import GraphService
from .login import LoginService
from .util import dumps

LOGGED_HEADERS = ("client-request-id", "consistencylevel", "prefer", "x-anchormailbox", "x-responseformat",
                  "content-type", "user-agent", "connection")
_LOGIN_RE = re.compile(r"^/[^/]+/(oauth2/|v2\.0/\.well-known/)")


class RequestLog:
    def __init__(self, path):
        self.f = open(path, "a", encoding="utf-8", buffering=1) if path else None
        self.lock = threading.Lock()

    def write(self, entry):
        if self.f is None:
            return
        line = json.dumps(entry, separators=(",", ":"), ensure_ascii=False, default=str)
        with self.lock:
            self.f.write(line + "\n")
            self.f.flush()

    def close(self):
        if self.f:
            self.f.close()


class App:
    def __init__(self, opts, tenant):
        self.opts = opts
        self.tenant = tenant
        self.faults = Faults(list(opts.fault or []) + list(tenant.raw.get("faults", [])))
        self.log = RequestLog(opts.log)
        self.roles = set(opts.roles.split(","))
        self.login = LoginService(self)
        self.login.signed_in_user()          # fail early on a bad --signed-in-user
        self.graph = GraphService(self)
        self.exo = ExoService(self)
        self.exo_budget = Budget(getattr(opts, "exo_rate_limit", None))
        self.stats = {"requests": 0}
        self.stats_lock = threading.Lock()

    def service_for(self, path):
        p = path
        if p.startswith(("/v1.0/", "/beta/")) or p in ("/v1.0", "/beta"):
            return "graph" if "graph" in self.roles else None
        if p.startswith("/adminapi/"):
            return "exo" if "exo" in self.roles else None
        if _LOGIN_RE.match(p):
            return "login" if "login" in self.roles else None
        return None

    def fault_response(self, ctx, rule, service):
        """The answer of a status-kind fault, in the service's own error shape."""
        st = rule.status
        extra = []
        if rule.retry_after is not None and st in (429, 503):
            extra.append(("Retry-After", rule.retry_after))
        if rule.kind == "html":
            r = Resp(st, b"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>"
                         b"<p>The proxy server received an invalid response from an upstream server.</p></body></html>",
                     "text/html")
        elif service == "graph":
            code, msg = {429: ("TooManyRequests", "Too many requests."),
                         503: ("ServiceNotAvailable", "The service is temporarily unavailable."),
                         404: ("Request_ResourceNotFound", "Resource does not exist."),
                         401: ("InvalidAuthenticationToken", "Access token has expired or is not yet valid."),
                         403: ("Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
                         }.get(st, ("UnknownError", "An internal server error occurred."))
            r = graph_error(ctx, st, code, msg)
        elif service == "exo":
            r = exo_error(ctx, st, "Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
                          {429: "Too many requests: the tenant is being throttled. Retry later."}.get(
                              st, "The service returned HTTP %d." % st),
                          {429: "TooManyRequests", 503: "ServiceUnavailable"}.get(st, "InternalServerError"))
        else:
            err = {429: "temporarily_unavailable", 503: "temporarily_unavailable"}.get(st, "server_error")
            r = self.login.error(ctx, st, err, 90033 if st in (429, 503) else 90000,
                                 "A transient error has occurred. Please try again.")
        for k, v in extra:
            r.add(k, v)
        return r


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Microsoft-HTTPAPI/2.0"
    sys_version = ""

    def setup(self):
        self.timeout = self.server.app.opts.idle_timeout
        super().setup()
        self.conn_id = getattr(threading.current_thread(), "conn_id", 0)
        self.t_conn = getattr(threading.current_thread(), "t_conn", None)
        self.aborted = False

    def log_message(self, fmt, *args):
        if self.server.app.opts.verbose:
            sys.stderr.write("msfake: %s\n" % (fmt % args))

    def date_time_string(self, timestamp=None):
        return email.utils.formatdate((timestamp or time.time()) + self.server.app.opts.clock_skew, usegmt=True)

    def do_GET(self):
        self.handle_any()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    # ---- request -----------------------------------------------------------------
    def read_body(self):
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            out = b""
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return out
                out += self.rfile.read(size)
                self.rfile.readline(65537)
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def handle_any(self):
        app = self.server.app
        t_recv = time.monotonic()
        wall = time.time()
        try:
            body = self.read_body()
        except (ValueError, OSError):
            self.close_connection = True
            return
        host = self.headers.get("Host") or "127.0.0.1:%d" % self.server.server_address[1]
        hdrs = {k: v for k, v in self.headers.items()}
        ctx = Ctx(self.command, self.path, hdrs, body, host, t_recv, self.conn_id)
        service = app.service_for(ctx.path)
        entry = {"t": round(t_recv, 6), "wall": round(wall, 6), "conn": self.conn_id, "method": self.command,
                 "path": self.path, "service": service}
        if self.t_conn is not None:      # the first request of its connection
            entry["t_conn"] = round(self.t_conn, 6)
            self.t_conn = None
        hl = {}
        for h in LOGGED_HEADERS:
            v = ctx.header(h)
            if v is not None:
                hl[h] = v
        entry["headers"] = hl
        auth = ctx.header("authorization")
        entry["auth"] = {"present": auth is not None, "scheme": auth.split(" ", 1)[0] if auth else None}
        if auth and auth.lower().startswith("bearer "):
            claims, why = tokens.verify(auth[7:].strip())
            entry["auth"]["token"] = {"aud": claims.get("aud"), "idtyp": claims.get("idtyp")} if claims else why
        if body:
            entry["body_bytes"] = len(body)
        rule = None
        if service is not None:
            rule = app.faults.pick(ctx.method, ctx.target, ctx.decoded_target(), "top", ctx.body)
        if app.opts.latency_ms:
            time.sleep(app.opts.latency_ms / 1000.0)
        if rule is not None:
            entry["fault"] = rule.kind
            if rule.kind == "slow":
                time.sleep(rule.delay)
        try:
            if service is None:
                resp = Resp(404, b"Not Found: this fake serves /{tenant}/oauth2/v2.0/*, /v1.0/*, /beta/* and "
                                 b"/adminapi/beta/{tenant}/InvokeCommand\n", "text/plain; charset=utf-8")
                entry["unrouted"] = True
            elif rule is not None and rule.kind in STATUS_KINDS:
                resp = app.fault_response(ctx, rule, service)
                if service == "graph":
                    resp = app.graph.finish(ctx, resp)
            else:
                resp = getattr(app, service).handle(ctx)
        except Exception as e:      # a bug in the fake: answer 500 and say so in the log
            entry["exception"] = "%s: %s" % (type(e).__name__, e)
            traceback.print_exc(file=sys.stderr)
            resp = Resp(500, dumps({"error": {"code": "FakeServerBug", "message": str(e)}}))
        if rule is not None and rule.kind == "malformed":
            b = resp.body
            resp.body = b[:max(1, len(b) // 2)] if len(b) > 2 else b'{"value":[{"id":'
        entry.update(ctx.log)
        entry["status"] = resp.status
        entry["bytes"] = len(resp.body)
        ra = resp.get("Retry-After")
        if ra is not None:
            entry["retry_after"] = ra
        try:
            self.write_response(resp, rule)
        except (OSError, ssl.SSLError) as e:
            entry["client_gone"] = type(e).__name__
            self.close_connection = True
            self.aborted = True
        entry["t_done"] = round(time.monotonic(), 6)
        with app.stats_lock:
            app.stats["requests"] += 1
        app.log.write(entry)

    # ---- response ------------------------------------------------------------------
    def write_response(self, resp, rule):
        kind = rule.kind if rule is not None else None
        if kind == "close":
            self.abort(rst=False)
            return
        if kind == "reset" and rule.at <= 0:
            self.abort(rst=True)
            return
        if kind in ("huge", "huge_chunked"):
            self.write_huge(rule)
            return
        body = bytes(resp.body)
        chunked = self.server.app.opts.chunked or kind == "chunked_truncate"
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.ctype)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(body)))
        for k, v in resp.headers:
            self.send_header(k, v)
        if (self.headers.get("Connection") or "").lower() == "close":
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command == "HEAD":
            return
        cut = int(len(body) * (rule.at if rule is not None else 1))
        if kind == "truncate":
            self.wfile.write(body[:min(cut, len(body) - 1)])
            self.abort(rst=False)
        elif kind == "reset":
            self.wfile.write(body[:min(cut, len(body) - 1)])
            time.sleep(0.05)
            self.abort(rst=True)
        elif kind == "chunked_truncate":
            part = body[:min(cut, len(body) - 1)]
            if part:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.abort(rst=False)
        elif kind == "stall":
            self.wfile.write(self._enc(body[:cut], chunked, last=False))
            time.sleep(rule.delay)
            self.wfile.write(self._enc(body[cut:], chunked, last=True))
        else:
            self.wfile.write(self._enc(body, chunked, last=True))

    def write_huge(self, rule):
        """An answer of rule.size bytes (2 GiB by default), never held in memory:
        'huge' says so in Content-Length, 'huge_chunked' streams chunks of a page
        whose first displayName never ends. Written until the size is reached
        or the client goes (a client that keeps to its limit hangs up early)."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        head = b'{"value":[{"id":"a1000000-0000-4000-8000-000000000001","displayName":"'
        if rule.kind == "huge":
            self.send_header("Content-Length", str(rule.size))
        else:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        fill = b"A" * 65536
        sent = 0
        first = head
        while sent < rule.size:
            piece = (first + fill)[:rule.size - sent]
            first = b""
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if rule.kind == "huge_chunked" else piece)
            sent += len(piece)
        if rule.kind == "huge_chunked":
            self.wfile.write(b"0\r\n\r\n")

    @staticmethod
    def _enc(data, chunked, last):
        if not chunked:
            return data
        out = b""
        for i in range(0, len(data), 16384):
            piece = data[i:i + 16384]
            out += b"%x\r\n%s\r\n" % (len(piece), piece)
        if last:
            out += b"0\r\n\r\n"
        return out

    def abort(self, rst):
        """Close now, without TLS close_notify; with rst, send a TCP RST."""
        self.close_connection = True
        self.aborted = True
        try:
            if rst:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass

    def finish(self):
        if self.aborted:
            return
        try:
            super().finish()
        except (OSError, ssl.SSLError):
            pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256
    block_on_close = False

    def __init__(self, app, ssl_ctx, port):
        self.app = app
        self.ssl_ctx = ssl_ctx
        self.conn_ids = itertools.count(1)
        super().__init__(("127.0.0.1", port), Handler)

    def process_request_thread(self, request, client_address):
        conn_id = next(self.conn_ids)
        threading.current_thread().conn_id = conn_id
        threading.current_thread().t_conn = time.monotonic()
        try:
            request.settimeout(10)
            # The handler writes the headers and the body apart: without
            # this, Nagle holds the body until the client ACKs the
            # headers, which Linux delays by up to 40 ms, so every answer
            # cost ~40 ms more than --latency-ms (Microsoft's front ends
            # send whole responses).
            request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            # --handshake-delay-ms: a slow TLS handshake (a far or busy
            # front end), so that a client can be caught connecting
            # while an answer comes back on another connection.
            if self.app.opts.handshake_delay_ms:
                time.sleep(self.app.opts.handshake_delay_ms / 1000.0)
            tls = self.ssl_ctx.wrap_socket(request, server_side=True)
        except (OSError, ssl.SSLError, ValueError) as e:
            if self.app.opts.verbose:
                sys.stderr.write("msfake: conn %d: TLS handshake failed: %s\n" % (conn_id, e))
            try:
                request.close()
            except OSError:
                pass
            return
        try:
            self.RequestHandlerClass(tls, client_address, self)
        except (OSError, ssl.SSLError, ConnectionError):
            pass
        except Exception:
            traceback.print_exc(file=sys.stderr)
        finally:
            try:
                if tls.fileno() != -1:
                    tls.settimeout(0.2)
                    try:
                        tls.unwrap().close()
                    except (OSError, ssl.SSLError, ValueError):
                        tls.close()
            except OSError:
                pass

    def handle_error(self, request, client_address):
        pass


def make_ssl_context(cert, key, version):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    if version == "1.2":
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    elif version == "1.3":
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    try:
        ctx.set_alpn_protocols(["http/1.1"])
    except NotImplementedError:
        pass
    return ctx


def write_port_file(path, port):
    tmp = "%s.tmp%d" % (path, os.getpid())
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, path)
