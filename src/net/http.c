/*
 * HTTP/1.1 client over our TLS: one kept-alive connection per client,
 * redirects, timeouts, proxies, and the read-only guard. The order in
 * http_do is the point of this file: policy first (a refused request
 * opens no connection), then the connection, then the bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "net/net.h"

#define MAX_REDIRECTS 5
#define RBUF 16384

struct http_client {
	struct http_opts o;
	char *proxy_opt;            /* copy of o.proxy */
	struct tls_ctx *tls;
	struct tls_conn *conn;      /* kept alive, or NULL */
	char host[256];             /* what conn is connected to */
	uint16_t port;
	char *via;                  /* proxy URL conn goes through, or NULL */
	struct http_stats st;
	char rbuf[RBUF];
};

static void drop(struct http_client *c)
{
	tls_close(c->conn);
	c->conn = NULL;
	if (c->via) {
		mem_wipe(c->via, strlen(c->via));
		free(c->via);
		c->via = NULL;
	}
}

int http_client_new(struct http_client **out, const struct http_opts *o)
{
	*out = NULL;
	if (!o || !o->policy)
		return err_set(E_HTTP_NO_POLICY);
	if (tls_check_clock() < 0)
		return -1;
	struct http_client *c = calloc(1, sizeof *c);
	if (!c)
		return err_set(E_NOMEM);
	c->o = *o;
	if (!c->o.connect_ms)
		c->o.connect_ms = 15000;
	if (!c->o.handshake_ms)
		c->o.handshake_ms = 15000;
	if (!c->o.idle_ms)
		c->o.idle_ms = 30000;
	if (!c->o.max_body)
		c->o.max_body = (size_t)64 << 20;
	if ((o->proxy && !(c->proxy_opt = xstrdup(o->proxy))) || tls_ctx_new(&c->tls) < 0) {
		http_client_free(c);
		return -1;
	}
	c->o.proxy = c->proxy_opt;
	*out = c;
	return 0;
}

void http_client_free(struct http_client *c)
{
	if (!c)
		return;
	drop(c);
	tls_ctx_free(c->tls);
	if (c->proxy_opt) {
		mem_wipe(c->proxy_opt, strlen(c->proxy_opt));
		free(c->proxy_opt);
	}
	free(c);
}

void http_client_stats(const struct http_client *c, struct http_stats *s)
{
	*s = c->st;
}

const char *http_resp_header(const struct http_resp *r, const char *name)
{
	return http_head_get(&r->head, name);
}

void http_resp_free(struct http_resp *r)
{
	buf_free(&r->head);
	/* Token endpoints answer with secrets in the body. */
	buf_wipe(&r->body);
	free(r->final_url);
	r->final_url = NULL;
}

/* ---- connection ------------------------------------------------------------ */

static int same_via(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static int open_conn(struct http_client *c, const struct url *u, const char *via,
		     const char *label, int64_t deadline)
{
	struct url pu;
	char plabel[300];
	int fd;

	drop(c);
	for (int tls12 = 0;; tls12 = 1) {
		if (via) {
			if (proxy_url(&pu, via) < 0)
				return -1;
			url_hostport(pu.host, pu.port, plabel, sizeof plabel);
			if (strcmp(pu.scheme, "http")) {
				url_free(&pu);
				return err_set(E_PROXY_SCHEME, plabel);
			}
			/* Messages from here name the proxy themselves. */
			fd = sock_connect(pu.host, pu.port, c->o.connect_ms, deadline);
			if (fd < 0)
				err_context(E_PROXY_CTX);
			else if (proxy_connect(fd, &pu, u->host, u->port, deadline,
					       c->o.idle_ms) < 0) {
				close(fd);
				fd = -1;
			}
			url_free(&pu);
			if (fd < 0)
				return -1;
		} else {
			fd = sock_connect(u->host, u->port, c->o.connect_ms, deadline);
			if (fd < 0)
				return -1;
		}
		c->st.handshakes++;
		int r = tls_open(&c->conn, c->tls, fd, u->host, label, c->o.handshake_ms,
				 deadline, tls12);
		if (r == 0)
			break;
		if (r != TLS_RETRY12)
			return via ? err_context(E_PROXY_VIA, plabel) : -1;
	}
	snprintf(c->host, sizeof c->host, "%s", u->host);
	c->port = u->port;
	if (via && !(c->via = xstrdup(via))) {
		drop(c);
		return -1;
	}
	return 0;
}

/* ---- request --------------------------------------------------------------- */

static int hdr_is(const char *name, const char *want)
{
	return !strcasecmp(name, want);
}

/* Caller headers: names are tokens, values hold no CR, LF or NUL (header
 * injection), and the framing headers are ours alone. */
static int check_hdrs(const struct http_req *r)
{
	static const char *const ours[] = { "Host", "Content-Length", "Transfer-Encoding",
					     "Connection", "Proxy-Authorization", NULL };
	for (size_t i = 0; i < r->nhdrs; i++) {
		const char *n = r->hdrs[i].name, *v = r->hdrs[i].value;
		if (!n || !v || !*n || strspn(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					      "0123456789!#$%&'*+-.^_`|~") != strlen(n))
			return err_set(E_HTTP_REQ_HEADER, n ? n : "?");
		for (const char *p = v; *p; p++)
			if ((unsigned char)*p < 0x20 && *p != '\t')
				return err_set(E_HTTP_REQ_HEADER, n);
		for (int k = 0; ours[k]; k++)
			if (hdr_is(n, ours[k]))
				return err_set(E_HTTP_REQ_HEADER, n);
	}
	return 0;
}

struct hop {
	const char *method;
	const void *body;
	size_t body_len;
	int drop_auth;       /* the host changed: no Authorization */
	int drop_ctype;      /* a redirect turned POST into GET */
};

static int build(struct buf *b, const struct url *u, const struct http_req *r,
		 const struct hop *h)
{
	char hp[300];
	/* RFC 9110 §7.2: the port is left out when it is the default. */
	if (u->port == 443)
		snprintf(hp, sizeof hp, strchr(u->host, ':') ? "[%s]" : "%s", u->host);
	else
		url_hostport(u->host, u->port, hp, sizeof hp);
	if (buf_printf(b, "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: reflexe/%s\r\n",
		       h->method, u->path, hp, REFLEXE_VERSION) < 0)
		return -1;
	for (size_t i = 0; i < r->nhdrs; i++) {
		const char *n = r->hdrs[i].name;
		if ((h->drop_auth && hdr_is(n, "Authorization")) ||
		    (h->drop_ctype && hdr_is(n, "Content-Type")))
			continue;
		if (buf_printf(b, "%s: %s\r\n", n, r->hdrs[i].value) < 0)
			return -1;
	}
	if (!strcmp(h->method, "POST") && buf_printf(b, "Content-Length: %zu\r\n", h->body_len) < 0)
		return -1;
	return buf_puts(b, "\r\n");
}

/* ---- response ------------------------------------------------------------ */

static int collect(void *ctx, const void *d, size_t n)
{
	return buf_append(ctx, d, n);
}

static int is_redirect(int s)
{
	return s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
}

enum { XCH_OK = 0, XCH_FAIL = -1, XCH_RETRY = -3 };

/* Sends one request and reads its response on the current connection.
 * XCH_RETRY when a reused connection turned out dead before any byte of
 * the response: the caller may try once more on a fresh one. */
static int exchange(struct http_client *c, const char *label,
		    const struct buf *req, const struct hop *h, int reused,
		    const struct http_req *r, struct http_resp *resp, int64_t deadline)
{
	struct http_parser p;
	struct http_limits lim = HTTP_LIMITS_DEFAULT;
	int got = 0, rc = XCH_FAIL, n, st;
	size_t used;

	int w = tls_write(c->conn, req->p, req->len, c->o.idle_ms, deadline);
	if (w == 0 && h->body_len)
		w = tls_write(c->conn, h->body, h->body_len, c->o.idle_ms, deadline);
	if (w < 0) {
		drop(c);
		return w == TLS_EOF && reused ? XCH_RETRY : XCH_FAIL;
	}
	c->st.requests++;
	if (reused)
		c->st.reused++;

	lim.max_body = c->o.max_body;
	http_parser_init(&p, label, lim);
	for (;;) {
		n = tls_read(c->conn, c->rbuf, sizeof c->rbuf, c->o.idle_ms, deadline);
		/* A server closing an idle kept-alive connection sends
		 * close_notify (0) or just FIN/RST (TLS_EOF); either may cross
		 * our request on the wire (RFC 9112 §9.3.1, "retrying
		 * requests"): before any response byte, that is a dead
		 * connection, not an answer. */
		if ((n == TLS_EOF || n == 0) && reused && !got) {
			rc = XCH_RETRY;
			goto out;
		}
		if (n == -1)
			goto out;
		if (n <= 0) {
			/* 0: close_notify, a clean end; TLS_EOF: cut. */
			if (http_parser_eof(&p, n == 0) < 0)
				goto out;
			break;
		}
		got = 1;
		size_t off = 0;
		do {
			st = http_parser_feed(&p, c->rbuf + off, (size_t)n - off, &used);
			off += used;
			if (st < 0)
				goto out;
			if (st == HP_HEAD) {
				resp->status = p.status;
				if (is_redirect(p.status) && http_head_get(&p.head, "Location"))
					p.sink = NULL;          /* followed: body dropped */
				else if (r->sink && p.status / 100 == 2) {
					p.sink = r->sink;
					p.sink_ctx = r->sink_ctx;
				} else {
					resp->body.max = c->o.max_body + 1;
					p.sink = collect;
					p.sink_ctx = &resp->body;
				}
			}
		} while (st == HP_HEAD || (st == HP_MORE && off < (size_t)n));
		if (st == HP_DONE) {
			/* Bytes past the response would be a pipelining
			 * desync: never reuse such a connection. */
			if (off < (size_t)n || !p.keep_alive)
				drop(c);
			break;
		}
	}
	if (c->conn && (p.framing == HP_CLOSE || !p.keep_alive))
		drop(c);
	resp->status = p.status;
	resp->body_bytes = p.body_bytes;
	buf_free(&resp->head);
	resp->head = p.head;
	p.head = (struct buf){ 0 };
	rc = XCH_OK;
out:
	http_parser_free(&p);
	if (rc != XCH_OK)
		drop(c);
	return rc;
}

/* Error from a timeout that was really the whole-request deadline: say so. */
static int total_timeout(const struct http_client *c, const char *label, int64_t deadline)
{
	if (deadline && net_mono_ms() >= deadline && err_id() == E_NET_TIMEOUT)
		return err_set(E_NET_TIMEOUT, label, tr(M_TO_TOTAL), c->o.total_ms);
	return -1;
}

static int one_hop(struct http_client *c, const struct url *u, const struct http_req *r,
		   const struct hop *h, struct http_resp *resp, int64_t deadline)
{
	char label[300];
	struct buf req = { 0 };
	int rc = -1;
	const char *via = proxy_for(c->o.proxy, u->host, u->port);
	int idem = !strcmp(h->method, "GET") || r->idempotent;

	url_hostport(u->host, u->port, label, sizeof label);
	if (build(&req, u, r, h) < 0)
		goto out;
	for (int attempt = 0; attempt < 2; attempt++) {
		int reused = 0, waited = 0;
		/* Connected, then the caller's word: a caller that waited
		 * may find the connection closed by then (a server's idle
		 * timeout), so it is checked again, a few times at most. */
		for (int round = 0; round < 4; round++) {
			reused = c->conn && !strcmp(c->host, u->host) && c->port == u->port &&
				 same_via(c->via, via) && tls_idle_ok(c->conn);
			if (!reused && open_conn(c, u, via, label, deadline) < 0)
				goto out;
			if (!r->ready || r->ready(r->ready_ctx) <= 0)
				break;
			waited = 1;
		}
		buf_free(&resp->body);
		/* A connection that sat idle while the caller waited may be
		 * found dead like a reused one: resent once, the same way. */
		rc = exchange(c, label, &req, h, reused || waited, r, resp, deadline);
		if (rc != XCH_RETRY)
			break;
		/* A kept-alive connection the server had closed meanwhile:
		 * resend once on a fresh one, if the request allows it. */
		if (!idem) {
			err_set(E_NET_CLOSED, label);
			rc = -1;
			break;
		}
	}
	if (rc == XCH_RETRY)
		rc = -1;
out:
	buf_wipe(&req);   /* it carried the Authorization header */
	if (rc < 0)
		total_timeout(c, label, deadline);
	return rc < 0 ? -1 : 0;
}

int http_do(struct http_client *c, const struct http_req *r, struct http_resp *resp)
{
	struct url origin, u;
	struct hop h = { r->method, r->body, r->body_len, 0, 0 };
	char *url = NULL;
	int rc = -1;

	memset(resp, 0, sizeof *resp);
	if (!c->o.policy)
		return err_set(E_HTTP_NO_POLICY);
	if (!r->method || (strcmp(r->method, "GET") && strcmp(r->method, "POST")))
		return err_set(E_HTTP_METHOD, r->method ? r->method : "?");
	if (check_hdrs(r) < 0 || url_parse(&origin, r->url) < 0)
		return -1;
	if (!(url = xstrdup(r->url))) {
		url_free(&origin);
		return -1;
	}
	int64_t deadline = c->o.total_ms > 0 ? net_mono_ms() + c->o.total_ms : 0;
	for (int hop = 0;; hop++) {
		if (url_parse(&u, url) < 0)
			goto out;
		if (strcmp(u.scheme, "https")) {
			err_set(E_URL_NOT_HTTPS);
			goto hop_out;
		}
		/* The guard sees every hop, before anything leaves. */
		if (c->o.policy(c->o.policy_ctx, h.method, &u, h.body, h.body_len) < 0)
			goto hop_out;
		/* RFC 9110 §15.4: credentials are for the origin they were
		 * given to; another scheme, host or port does not get them,
		 * nor any later hop. */
		if (strcmp(u.host, origin.host) || u.port != origin.port ||
		    strcmp(u.scheme, origin.scheme))
			h.drop_auth = 1;
		if (one_hop(c, &u, r, &h, resp, deadline) < 0)
			goto hop_out;
		const char *loc = http_resp_header(resp, "Location");
		if (!is_redirect(resp->status) || !loc)
			break;
		char label[300];
		url_hostport(u.host, u.port, label, sizeof label);
		if (hop == MAX_REDIRECTS) {
			err_set(E_HTTP_REDIRECTS, label, MAX_REDIRECTS);
			goto hop_out;
		}
		char *next = url_resolve(&u, loc);
		struct url chk;
		if (!next || url_parse(&chk, next) < 0) {
			free(next);
			err_set(E_HTTP_LOCATION, label);
			goto hop_out;
		}
		url_free(&chk);
		/* RFC 9110 §15.4.4: 303 means GET. §15.4.2–3 allow a client
		 * to turn POST into GET on 301 and 302, as browsers do. */
		if (resp->status == 303 ||
		    ((resp->status == 301 || resp->status == 302) && !strcmp(h.method, "POST"))) {
			h.drop_ctype = h.drop_ctype || strcmp(h.method, "GET");
			h.method = "GET";
			h.body = NULL;
			h.body_len = 0;
		}
		free(url);
		url = next;
		url_free(&u);
		http_resp_free(resp);
		memset(resp, 0, sizeof *resp);
	}
	resp->final_url = url;
	url = NULL;
	rc = 0;
hop_out:
	url_free(&u);
out:
	url_free(&origin);
	free(url);
	if (rc < 0)
		http_resp_free(resp);
	return rc;
}
