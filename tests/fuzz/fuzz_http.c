/* libFuzzer harness for what a hostile server or network hands net/: the
 * HTTP/1.1 response parser, URLs (a Location header is one), and the
 * no_proxy rules. Not part of make test; `make fuzz` builds it with the
 * other harnesses and runs each for FUZZ_SECONDS.
 *
 * The parser gets the input twice, whole and cut into pieces whose sizes
 * come from the input, under small limits so that every limit is reached;
 * both runs must agree on everything (result, status, framing, body,
 * bytes used), and the invariants below must hold. A disagreement or a
 * broken invariant aborts, which libFuzzer reports as a crash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "net/net.h"


struct run {
	int rc;
	int status, keep_alive, framing;
	size_t used;
	uint64_t body_bytes;
	struct buf body;
	struct buf head;
};

static int collect(void *ctx, const void *d, size_t n)
{
	return buf_append(ctx, d, n);
}

/* Feeds d[0..n) in pieces: piece k has size 1 + (cut[k % ncut] % 97), or
 * everything at once when ncut is 0. eof: 0 none, 1 clean, 2 cut. */
static void parse(struct run *r, const char *d, size_t n, const unsigned char *cut,
		  size_t ncut, int connect, int eof, struct http_limits lim)
{
	struct http_parser p;
	size_t off = 0, k = 0, used;

	memset(r, 0, sizeof *r);
	r->body.max = lim.max_body + 1;
	http_parser_init(&p, "fuzz:443", lim);
	p.connect = connect;
	p.sink = collect;
	p.sink_ctx = &r->body;
	r->rc = HP_MORE;
	while (off < n || r->rc == HP_HEAD) {
		size_t step = ncut ? 1 + (size_t)(cut[k++ % ncut] % 97) : n - off;
		if (step > n - off)
			step = n - off;
		r->rc = http_parser_feed(&p, d + off, step, &used);
		MUST(used <= step);
		off += used;
		if (r->rc == HP_HEAD) {
			/* What http.c reads once the head is in. */
			MUST(p.status >= 200 && p.status <= 999);
			MUST(p.head.p != NULL);
			http_head_get(&p.head, "Location");
			http_head_get(&p.head, "Content-Type");
			continue;
		}
		if (r->rc != HP_MORE)
			break;
		MUST(used == step);
	}
	if (r->rc == HP_MORE && eof)
		r->rc = http_parser_eof(&p, eof == 1);
	MUST(r->rc == HP_MORE || r->rc == HP_DONE || r->rc == -1);
	MUST(p.body_bytes <= lim.max_body);
	if (r->rc == -1)
		MUST(err_msg()[0] != 0);   /* every refusal says why */
	else
		MUST(r->body.len == p.body_bytes);
	if (r->rc == HP_DONE && p.framing == HP_LENGTH)
		MUST(p.body_bytes == p.length);
	r->used = off;
	r->status = p.status;
	r->keep_alive = p.keep_alive;
	r->framing = (int)p.framing;
	r->body_bytes = p.body_bytes;
	r->head = p.head;
	p.head = (struct buf){ 0 };
	http_parser_free(&p);
}

static void same(const struct run *a, const struct run *b)
{
	MUST(a->rc == b->rc);
	if (a->rc == -1)
		return;     /* where exactly an error is seen may differ */
	MUST(a->used == b->used);
	MUST(a->status == b->status);
	MUST(a->body_bytes == b->body_bytes);
	MUST(a->body.len == b->body.len);
	MUST(!a->body.len || !memcmp(a->body.p, b->body.p, a->body.len));
	if (a->rc == HP_DONE) {
		MUST(a->framing == b->framing);
		MUST(a->keep_alive == b->keep_alive);
		MUST(a->head.len == b->head.len);
		MUST(!a->head.len || !memcmp(a->head.p, b->head.p, a->head.len));
	}
}

static void run_free(struct run *r)
{
	buf_free(&r->body);
	buf_free(&r->head);
}

static void fuzz_parser(const unsigned char *data, size_t size)
{
	/* Byte 0: flags; bytes 1..8: cut sizes; the rest: the response. */
	if (size < 9)
		return;
	unsigned flags = data[0];
	const unsigned char *cut = data + 1;
	const char *d = (const char *)data + 9;
	size_t n = size - 9;
	struct http_limits lim = { 512 + (flags & 3) * 1024, 8 + (flags >> 2 & 3) * 8,
				   (flags & 0x10) ? 64 : 4096 };
	int connect = !!(flags & 0x20), eof = (flags >> 6) % 3;
	struct run whole, pieces, bytes;
	static const unsigned char one[1] = { 0 };

	parse(&whole, d, n, NULL, 0, connect, eof, lim);
	parse(&pieces, d, n, cut, 8, connect, eof, lim);
	parse(&bytes, d, n, one, 1, connect, eof, lim);
	same(&whole, &pieces);
	same(&whole, &bytes);
	run_free(&whole);
	run_free(&pieces);
	run_free(&bytes);
}

static void fuzz_url(const char *s)
{
	struct url u, v, base;
	char hp[300];

	if (url_parse(&u, s) == 0) {
		MUST(u.host[0] != 0);
		MUST(u.path && u.path[0] == '/');
		MUST(u.port != 0);
		MUST(!strcmp(u.scheme, "https") || !strcmp(u.scheme, "http"));
		MUST(strpbrk(u.path, "\r\n ") == NULL);   /* goes on the request line */
		url_hostport(u.host, u.port, hp, sizeof hp);
		url_free(&u);
	}
	/* The same string as a Location received from a server. */
	if (url_parse(&base, "https://login.example.com:8443/a/b/c?x=1") != 0)
		abort();
	char *next = url_resolve(&base, s);
	if (next) {
		if (url_parse(&v, next) == 0) {
			MUST(v.path[0] == '/');
			url_free(&v);
		}
		free(next);
	}
	url_free(&base);
}

static void fuzz_no_proxy(const char *rules)
{
	static const struct { const char *host; uint16_t port; } hosts[] = {
		{ "graph.microsoft.com", 443 }, { "login.microsoftonline.com", 443 },
		{ "127.0.0.1", 443 }, { "10.1.2.3", 8443 }, { "::1", 443 },
		{ "fd00::1", 443 }, { "localhost", 1 },
	};
	for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
		int m = proxy_no_proxy_match(rules, hosts[i].host, hosts[i].port);
		MUST(m == 0 || m == 1);
	}
}

FUZZ_INIT(fuzz_nothing)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parser(data, size);
	if (size > 16384)
		return 0;
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	fuzz_url(s);
	fuzz_no_proxy(s);
	free(s);
	return 0;
}
