#!/usr/bin/env python3
"""HTTPS test server for net/ tests: Python's ssl over OpenSSL, a TLS stack
independent of mbedTLS, speaking HTTP/1.1 by hand so that every framing
fault can be produced exactly.

  tlsserver.py --ports FILE --log FILE --listen NAME:CHAIN:KEY[:TLS[:HOST]] ...

TLS is any (1.2-1.3, default), 1.2, 1.3 or old (1.0-1.1 only). HOST is the
address to bind (127.0.0.1 default; ::1 for IPv6). Each listener gets a free
port; "NAME PORT" lines are written to the ports file once all are bound.
OpenSSL's security level is lowered to 0 so that weak keys, SHA-1 and old
protocol versions are *offered*: it must be the client that refuses them.
The cipher suite is the server's choice (OpenSSL's order, as Python sets
OP_CIPHER_SERVER_PREFERENCE); with TLS followed by ",client" (1.3,client),
the client's first that the server has (a server configured without a
preference of its own).

The log gets one line per event, for the tests to count:
  conn NAME                    TCP connection accepted
  sni NAME SERVERNAME|-        the ClientHello's server_name (- when none)
  tls NAME VERSION             handshake done
  cipher NAME SUITE            the cipher suite negotiated (TLS_AES_128_GCM_SHA256…)
  tls-fail NAME REASON         handshake failed (the client refused us)
  req NAME METHOD PATH auth=VALUE|- bytes=N   request received
Paths (query parameters in brackets):
  /small                 200, "ok", Content-Length
  /cl[n]                 n bytes, Content-Length
  /chunked[n,size]       n bytes in chunks of size, with an extension and a trailer
  /close[n]              n bytes delimited by close, close_notify sent
  /close-nonotify[n]     same, but the TCP connection just closes
  /midbody[n]            announces n bytes, sends half, closes
  /truncchunked          chunks, then closes without the last chunk
  /stall[secs]           headers, then silence
  /stall-head[secs]      no response at all
  /headers[n,size]       n extra header lines of size bytes
  /bad[kind]             te-cl, cl-dup, bare-lf, obs-fold, nul, bad-chunk
  /redirect[to,code]     Location: to
  /chain[n]              redirects n times to itself, then 200 "end"
  /echo-auth             body = the Authorization header received, or "none"
  /echo                  body = "METHOD CONTENT-TYPE|- LENGTH BODY" of the request
  /dropnext[notify]      200; the next request on this connection gets no answer:
                         the connection just closes, or with notify=1 closes
                         with close_notify (a server's idle timeout racing it)
"""
import argparse
import os
import socket
import ssl
import sys
import threading
import time
from urllib.parse import urlsplit, parse_qs

PATTERN = b"reflexe-test-data\n"
LOCK = threading.Lock()
LOG = None


def log(*parts):
    with LOCK:
        LOG.write(" ".join(str(p) for p in parts) + "\n")
        LOG.flush()


def body_of(n):
    reps = n // len(PATTERN) + 1
    return (PATTERN * reps)[:n]


def make_ctx(chain, key, mode):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    # Security level 0 first: otherwise OpenSSL refuses to even load an
    # RSA-1024 key or a SHA-1-signed certificate, or to speak TLS 1.0.
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    if mode == "old":
        ctx.minimum_version = ssl.TLSVersion.TLSv1
        ctx.maximum_version = ssl.TLSVersion.TLSv1_1
    elif mode == "1.2":
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    elif mode == "1.3":
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_3
    else:
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(chain, key)
    return ctx


class Conn:
    def __init__(self, name, sock):
        self.name = name
        self.s = sock
        self.buf = b""
        self.drop_next = False

    def read_request(self):
        """Returns (method, target, headers dict lower-case, body) or None at EOF."""
        while b"\r\n\r\n" not in self.buf:
            if len(self.buf) > 65536:
                return None
            d = self.s.recv(65536)
            if not d:
                return None
            self.buf += d
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        hdrs = {}
        for ln in lines[1:]:
            k, v = ln.split(":", 1)
            hdrs[k.strip().lower()] = v.strip()
        n = int(hdrs.get("content-length", "0"))
        while len(self.buf) < n:
            d = self.s.recv(65536)
            if not d:
                return None
            self.buf += d
        body, self.buf = self.buf[:n], self.buf[n:]
        return method, target, hdrs, body

    def send(self, data):
        self.s.sendall(data)

    def respond(self, status, body=b"", headers=(), reason="OK"):
        h = "HTTP/1.1 %d %s\r\nContent-Length: %d\r\n" % (status, reason, len(body))
        h += "".join("%s: %s\r\n" % kv for kv in headers)
        self.send(h.encode() + b"\r\n" + body)

    def close_notify(self):
        try:
            self.s.unwrap()
        except (OSError, ssl.SSLError):
            pass


def handle(c, method, target, hdrs, body):
    """Serves one request. Returns False to end the connection."""
    u = urlsplit(target)
    q = {k: v[0] for k, v in parse_qs(u.query).items()}
    n = int(q.get("n", "0") or 0)
    p = u.path
    if p == "/small":
        c.respond(200, b"ok")
    elif p == "/cl":
        c.send(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % n)
        data = body_of(n)
        for i in range(0, n, 1 << 16):
            c.send(data[i:i + (1 << 16)])
    elif p == "/chunked":
        size = int(q.get("size", "1000"))
        data = body_of(n)
        c.send(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        for i in range(0, n, size):
            part = data[i:i + size]
            c.send(b"%x;ext=1\r\n%s\r\n" % (len(part), part))
        c.send(b"0\r\nX-Trailer: done\r\n\r\n")
    elif p in ("/close", "/close-nonotify"):
        c.send(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + body_of(n))
        if p == "/close":
            c.close_notify()
        return False
    elif p == "/midbody":
        c.send(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % n + body_of(n // 2))
        c.close_notify()
        return False
    elif p == "/truncchunked":
        c.send(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n5\r\nwor")
        c.close_notify()
        return False
    elif p == "/stall":
        c.send(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nsome")
        time.sleep(float(q.get("secs", "5")))
        return False
    elif p == "/stall-head":
        time.sleep(float(q.get("secs", "5")))
        return False
    elif p == "/headers":
        size = int(q.get("size", "10"))
        extra = "".join("X-H%d: %s\r\n" % (i, "v" * size) for i in range(n))
        c.send(("HTTP/1.1 200 OK\r\n%sContent-Length: 2\r\n\r\nok" % extra).encode())
    elif p == "/bad":
        kind = q.get("kind", "")
        raw = {
            "te-cl": b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            "cl-dup": b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
            "bare-lf": b"HTTP/1.1 200 OK\nContent-Length: 2\n\nok",
            "obs-fold": b"HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\nContent-Length: 2\r\n\r\nok",
            "nul": b"HTTP/1.1 200 OK\r\nX-A: a\0b\r\nContent-Length: 2\r\n\r\nok",
            "bad-chunk": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n",
        }[kind]
        c.send(raw)
        c.close_notify()
        return False
    elif p == "/redirect":
        c.respond(int(q.get("code", "302")), b"moved", [("Location", q["to"])], "Found")
    elif p == "/chain":
        if n > 0:
            c.respond(302, b"", [("Location", "/chain?n=%d" % (n - 1))], "Found")
        else:
            c.respond(200, b"end")
    elif p == "/echo":
        c.respond(200, b"%s %s %d %s" % (method.encode(), hdrs.get("content-type", "-").encode(),
                                         len(body), body))
    elif p == "/echo-auth":
        c.respond(200, hdrs.get("authorization", "none").encode())
    elif p == "/dropnext":
        c.respond(200, b"ok")
        c.drop_next = "notify" if q.get("notify") == "1" else "plain"
    else:
        c.respond(404, b"no such path", reason="Not Found")
    return True


def serve_conn(name, ctx, raw):
    log("conn", name)
    raw.settimeout(15)
    # As real front ends do: without it, Nagle holds the second session
    # ticket until the client's delayed ACK (40 ms), in every handshake.
    raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        s = ctx.wrap_socket(raw, server_side=True)
    except (ssl.SSLError, OSError) as e:
        log("tls-fail", name, getattr(e, "reason", None) or type(e).__name__)
        raw.close()
        return
    log("tls", name, s.version())
    log("cipher", name, s.cipher()[0])
    c = Conn(name, s)
    try:
        while True:
            r = c.read_request()
            if r is None:
                break
            method, target, hdrs, body = r
            log("req", name, method, target, "auth=" + hdrs.get("authorization", "-"),
                "bytes=%d" % len(body))
            if c.drop_next:
                if c.drop_next == "notify":
                    c.close_notify()
                break            # no answer
            if not handle(c, method, target, hdrs, body):
                break
    except (ssl.SSLError, OSError, ValueError, KeyError) as e:
        log("error", name, type(e).__name__)
    finally:
        try:
            s.close()
        except OSError:
            pass


def listen(name, ctx, host):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    ls = socket.socket(fam, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((host, 0))
    ls.listen(64)

    def loop():
        while True:
            raw, _ = ls.accept()
            threading.Thread(target=serve_conn, args=(name, ctx, raw), daemon=True).start()
    threading.Thread(target=loop, daemon=True).start()
    return ls.getsockname()[1]


def main():
    global LOG
    ap = argparse.ArgumentParser()
    ap.add_argument("--ports", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--listen", action="append", required=True)
    a = ap.parse_args()
    LOG = open(a.log, "a")
    lines = []
    for spec in a.listen:
        parts = spec.split(":", 4)
        name, chain, key = parts[0], parts[1], parts[2]
        mode = parts[3] if len(parts) > 3 and parts[3] else "any"
        mode, _, order = mode.partition(",")
        mode = mode or "any"
        host = parts[4] if len(parts) > 4 else "127.0.0.1"
        ctx = make_ctx(chain, key, mode)
        if order == "client":
            ctx.options &= ~ssl.OP_CIPHER_SERVER_PREFERENCE
        # Records the SNI the client sent: through a proxy it must still
        # be the origin's name.
        ctx.sni_callback = (lambda n: lambda so, sn, cx: log("sni", n, sn or "-"))(name)
        port = listen(name, ctx, host)
        lines.append("%s %d\n" % (name, port))
    tmp = a.ports + ".tmp"
    with open(tmp, "w") as f:
        f.writelines(lines)
    os.rename(tmp, a.ports)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
