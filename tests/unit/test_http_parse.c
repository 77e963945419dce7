/* The HTTP/1.1 response parser, every framing case of RFC 9112 §6–7 and
 * every limit. Each response is fed twice: whole, and one byte at a time,
 * and both runs must agree (a parser that only works when a line arrives
 * in one read is a classic bug). */
#include <stdlib.h>

#include "net/net.h"
#include "t.h"

struct res {
	int rc;                 /* HP_DONE, HP_MORE or -1 */
	enum msg_id err;
	int status, keep_alive;
	enum hp_framing framing;
	size_t used;            /* bytes of the input that were the response */
	struct buf body;
	struct buf head;
};

static int collect(void *ctx, const void *d, size_t n)
{
	return buf_append(ctx, d, n);
}

static int failing_sink(void *ctx, const void *d, size_t n)
{
	(void)ctx;
	(void)d;
	(void)n;
	return err_set(E_NOMEM);
}

/* eof: 0 none, 1 clean close (close_notify), 2 cut. */
static struct res run_lim(const char *s, size_t n, size_t step, int eof, struct http_limits lim)
{
	struct http_parser p;
	struct res r = { 0 };
	size_t off = 0, used;

	err_clear();
	http_parser_init(&p, "test:443", lim);
	p.sink = collect;
	p.sink_ctx = &r.body;
	r.rc = HP_MORE;
	while (off < n || r.rc == HP_HEAD) {
		size_t k = n - off < step ? n - off : step;
		r.rc = http_parser_feed(&p, s + off, k, &used);
		CHECK(used <= k);
		off += used;
		if (r.rc == -1 || r.rc == HP_DONE)
			break;
		if (r.rc == HP_MORE)
			CHECK(used == k);
	}
	if (r.rc == HP_MORE && eof)
		r.rc = http_parser_eof(&p, eof == 1);
	r.err = err_id();
	r.status = p.status;
	r.keep_alive = p.keep_alive;
	r.framing = p.framing;
	r.used = off;
	r.head = p.head;
	p.head = (struct buf){ 0 };
	http_parser_free(&p);
	return r;
}

static void res_free(struct res *r)
{
	buf_free(&r->body);
	buf_free(&r->head);
}

/* Runs whole and bytewise; checks they agree; returns the whole run. */
static struct res run2(const char *s, size_t n, int eof, struct http_limits lim)
{
	struct res a = run_lim(s, n, n ? n : 1, eof, lim);
	struct res b = run_lim(s, n, 1, eof, lim);
	CHECK_INT(a.rc, b.rc);
	CHECK_INT(a.err, b.err);
	CHECK_INT(a.status, b.status);
	/* After an error, how far each run got is not part of the contract. */
	if (a.rc != -1) {
		CHECK_INT(a.used, b.used);
		CHECK_INT(a.body.len, b.body.len);
		if (a.body.len == b.body.len && a.body.len)
			CHECK(!memcmp(a.body.p, b.body.p, a.body.len));
	}
	res_free(&b);
	return a;
}

#define LIM HTTP_LIMITS_DEFAULT
#define RUN_S(lit, eof) run2(lit, sizeof(lit) - 1, eof, LIM)

/* Expects an error with the given message id. */
#define EXPECT_ERR(lit, eof, id) do { struct res r_ = RUN_S(lit, eof); \
	CHECK_INT(r_.rc, -1); CHECK_STR(i18n_msgname(r_.err), #id); res_free(&r_); } while (0)

static void content_length(void)
{
	static const char s[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 next";
	struct res r = RUN_S(s, 0);
	CHECK_INT(r.rc, HP_DONE);
	CHECK_INT(r.status, 200);
	CHECK_INT(r.framing, HP_LENGTH);
	CHECK_INT(r.keep_alive, 1);
	CHECK_STR(r.body.p, "hello");
	/* The parser stops at the end of the response, not of the input. */
	CHECK_INT(r.used, sizeof s - 1 - strlen("HTTP/1.1 next"));
	res_free(&r);

	r = RUN_S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0);
	CHECK_INT(r.rc, HP_DONE);
	CHECK_INT(r.body.len, 0);
	res_free(&r);

	/* Body bytes may hold anything, NUL and bare CR included. */
	static const char bin[] = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\na\0\rb";
	r = RUN_S(bin, 0);
	CHECK_INT(r.rc, HP_DONE);
	CHECK_INT(r.body.len, 4);
	res_free(&r);
}

static void content_length_truncated(void)
{
	EXPECT_ERR("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", 1, E_HTTP_TRUNCATED);
	EXPECT_ERR("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", 2, E_HTTP_TRUNCATED);
	EXPECT_ERR("HTTP/1.1 200 OK\r\nContent-Len", 2, E_HTTP_TRUNCATED);
	EXPECT_ERR("", 2, E_NET_CLOSED);
}

static void content_length_invalid(void)
{
	/* Same value twice, or as a list, is one length (RFC 9110 §8.6). */
	struct res r = RUN_S("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok", 0);
	CHECK_INT(r.rc, HP_DONE);
	CHECK_STR(r.body.p, "ok");
	res_free(&r);
	r = RUN_S("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok", 0);
	CHECK_INT(r.rc, HP_DONE);
	res_free(&r);

	EXPECT_ERR("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok", 0, E_HTTP_CL);
	EXPECT_ERR("HTTP/1.1 200 OK\r\nContent-Length: 2, 3\r\n\r\nok", 0, E_HTTP_CL);
	EXPECT_ERR("HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nok", 0, E_HTTP_CL);
	EXPECT_ERR("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nok", 0, E_HTTP_CL);
	EXPECT_ERR("HTTP/1.1 200 OK\r\nContent-Length: 2a\r\n\r\nok", 0, E_HTTP_CL);
	EXPECT_ERR("HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\nok", 0, E_HTTP_CL);
	EXPECT_ERR("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\nok", 0, E_HTTP_CL);
	EXPECT_ERR("HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\nok", 0, E_HTTP_CL);
	/* 19 digits: more than any body, and past what 64 bits hold safely. */
	EXPECT_ERR("HTTP/1.1 200 OK\r\nContent-Length: 9999999999999999999\r\n\r\n", 0, E_HTTP_CL);
}

static void chunked(void)
{
	static const char s[] =
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		"5\r\nhello\r\n"
		"5;name=value;other=\"q\"\r\n worl\r\n"   /* extensions ignored */
		"1 ; ext\r\nd\r\n"                       /* BWS before ';' */
		"A\r\n0123456789\r\n"                    /* upper-case hex */
		"a\r\nabcdefghij\r\n"
		"0\r\nX-Trailer: yes\r\nOther: 1\r\n\r\n" /* trailers consumed */
		"NEXT";
	struct res r = RUN_S(s, 0);
	CHECK_INT(r.rc, HP_DONE);
	CHECK_INT(r.framing, HP_CHUNKED);
	CHECK_STR(r.body.p, "hello world0123456789abcdefghij");
	CHECK_INT(r.used, sizeof s - 1 - 4);
	CHECK_INT(r.keep_alive, 1);
	/* Trailers are not merged into the header block. */
	CHECK(http_head_get(&r.head, "X-Trailer") == NULL);
	res_free(&r);

	r = RUN_S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 0);
	CHECK_INT(r.rc, HP_DONE);
	CHECK_INT(r.body.len, 0);
	res_free(&r);

	r = RUN_S("HTTP/1.1 200 OK\r\ntransfer-encoding: CHUNKED\r\n\r\n000002\r\nok\r\n0\r\n\r\n", 0);
	CHECK_INT(r.rc, HP_DONE);
	CHECK_STR(r.body.p, "ok");
	res_free(&r);
}

static void chunked_bad_sizes(void)
{
#define CH "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	EXPECT_ERR(CH "-1\r\nx\r\n0\r\n\r\n", 0, E_HTTP_CHUNK);
	EXPECT_ERR(CH "zz\r\nx\r\n0\r\n\r\n", 0, E_HTTP_CHUNK);
	EXPECT_ERR(CH "\r\nx\r\n0\r\n\r\n", 0, E_HTTP_CHUNK);
	EXPECT_ERR(CH "0x5\r\nhello\r\n0\r\n\r\n", 0, E_HTTP_CHUNK);
	EXPECT_ERR(CH "5 5\r\nhello\r\n0\r\n\r\n", 0, E_HTTP_CHUNK);
	EXPECT_ERR(CH " 5\r\nhello\r\n0\r\n\r\n", 0, E_HTTP_CHUNK);
	/* 17 hex digits overflow 64 bits: refused, never wrapped. */
	EXPECT_ERR(CH "1FFFFFFFFFFFFFFFF\r\nx\r\n", 0, E_HTTP_CHUNK);
	EXPECT_ERR(CH "100000000000000000000005\r\nhello\r\n", 0, E_HTTP_CHUNK);
	/* 16 digits fit, but are far over the body limit. */
	EXPECT_ERR(CH "FFFFFFFFFFFFFFFF\r\nx\r\n", 0, E_HTTP_BODY_SIZE);
	/* Data longer than announced: the CRLF is not where it should be. */
	EXPECT_ERR(CH "5\r\nhelloX\r\n0\r\n\r\n", 0, E_HTTP_CHUNK);
	/* A control byte in an extension. */
	EXPECT_ERR(CH "5;a=\x01\r\nhello\r\n0\r\n\r\n", 0, E_HTTP_CHUNK);
	/* A size line that never ends. */
	char big[8192];
	size_t n = (size_t)snprintf(big, sizeof big, CH "5;");
	memset(big + n, 'x', sizeof big - n - 1);
	big[sizeof big - 1] = 0;
	struct res r = run2(big, strlen(big), 0, LIM);
	CHECK_INT(r.rc, -1);
	CHECK_STR(i18n_msgname(r.err), "E_HTTP_CHUNK");
	res_free(&r);
}

static void chunked_truncated(void)
{
	EXPECT_ERR(CH "5\r\nhel", 1, E_HTTP_TRUNCATED);
	EXPECT_ERR(CH "5\r\nhello\r\n", 2, E_HTTP_TRUNCATED);
	EXPECT_ERR(CH "5\r\nhello\r\n0\r\n", 1, E_HTTP_TRUNCATED);
	/* Trailers are checked like headers. */
	EXPECT_ERR(CH "0\r\nBad\rTrailer: x\r\n\r\n", 0, E_HTTP_CTL);
	EXPECT_ERR(CH "0\r\nNoColon\r\n\r\n", 0, E_HTTP_HEADER);
}

static void te_with_cl(void)
{
	/* RFC 9112 §6.3 rule 3: smuggling shape; refused, never guessed. */
	EXPECT_ERR("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
		   "5\r\nhello\r\n0\r\n\r\n", 0, E_HTTP_TE_CL);
	EXPECT_ERR("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 0,
		   E_HTTP_TE_CL);
	EXPECT_ERR("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", 0, E_HTTP_TE);
	EXPECT_ERR("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 0, E_HTTP_TE);
	EXPECT_ERR("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
		   0, E_HTTP_TE);
	EXPECT_ERR("HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\n\r\n", 0, E_HTTP_TE);
	EXPECT_ERR("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 0, E_HTTP_TE);
}

static void close_delimited(void)
{
	/* Complete only with close_notify (eof 1); a bare close is a cut. */
	struct res r = RUN_S("HTTP/1.1 200 OK\r\nX: y\r\n\r\nall of it", 1);
	CHECK_INT(r.rc, HP_DONE);
	CHECK_INT(r.framing, HP_CLOSE);
	CHECK_INT(r.keep_alive, 0);
	CHECK_STR(r.body.p, "all of it");
	res_free(&r);
	EXPECT_ERR("HTTP/1.1 200 OK\r\nX: y\r\n\r\nall of it", 2, E_HTTP_NO_CLOSE_NOTIFY);

	struct http_limits small = LIM;
	small.max_body = 4;
	static const char s[] = "HTTP/1.1 200 OK\r\n\r\n12345";
	r = run2(s, sizeof s - 1, 1, small);
	CHECK_INT(r.rc, -1);
	CHECK_STR(i18n_msgname(r.err), "E_HTTP_BODY_SIZE");
	res_free(&r);
}

static void body_limit(void)
{
	struct http_limits small = LIM;
	small.max_body = 4;
	/* Known in advance from Content-Length: refused before any byte. */
	static const char cl[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
	struct res r = run2(cl, sizeof cl - 1, 0, small);
	CHECK_INT(r.rc, -1);
	CHECK_STR(i18n_msgname(r.err), "E_HTTP_BODY_SIZE");
	res_free(&r);
	/* Chunked: the sum of chunks counts. */
	static const char ch[] = CH "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
	r = run2(ch, sizeof ch - 1, 0, small);
	CHECK_INT(r.rc, -1);
	CHECK_STR(i18n_msgname(r.err), "E_HTTP_BODY_SIZE");
	res_free(&r);
	static const char ok[] = CH "2\r\nab\r\n2\r\ncd\r\n0\r\n\r\n";
	r = run2(ok, sizeof ok - 1, 0, small);
	CHECK_INT(r.rc, HP_DONE);
	res_free(&r);
}

static void header_limits(void)
{
	struct buf b = { 0 };
	/* Status line + 99 fields = 100 lines: accepted. */
	buf_puts(&b, "HTTP/1.1 200 OK\r\n");
	for (int i = 0; i < 98; i++)
		buf_printf(&b, "X-%d: v\r\n", i);
	buf_puts(&b, "Content-Length: 0\r\n\r\n");
	struct res r = run2(b.p, b.len, 0, LIM);
	CHECK_INT(r.rc, HP_DONE);
	res_free(&r);
	/* One more line: refused. */
	buf_reset(&b);
	buf_puts(&b, "HTTP/1.1 200 OK\r\n");
	for (int i = 0; i < 100; i++)
		buf_printf(&b, "X-%d: v\r\n", i);
	buf_puts(&b, "\r\n");
	r = run2(b.p, b.len, 0, LIM);
	CHECK_INT(r.rc, -1);
	CHECK_STR(i18n_msgname(r.err), "E_HTTP_HEAD_LINES");
	res_free(&r);
	/* One field of 70 000 bytes: over 64 KiB. */
	buf_reset(&b);
	buf_puts(&b, "HTTP/1.1 200 OK\r\nBig: ");
	for (int i = 0; i < 70000; i++)
		buf_append(&b, "a", 1);
	buf_puts(&b, "\r\n\r\n");
	r = run2(b.p, b.len, 0, LIM);
	CHECK_INT(r.rc, -1);
	CHECK_STR(i18n_msgname(r.err), "E_HTTP_HEAD_SIZE");
	res_free(&r);
	/* A status line that never ends is bounded too. */
	buf_reset(&b);
	buf_puts(&b, "HTTP/1.1 200 ");
	for (int i = 0; i < 70000; i++)
		buf_append(&b, "a", 1);
	r = run2(b.p, b.len, 0, LIM);
	CHECK_INT(r.rc, -1);
	CHECK_STR(i18n_msgname(r.err), "E_HTTP_HEAD_SIZE");
	res_free(&r);
	buf_free(&b);
}

static void forbidden_bytes(void)
{
	EXPECT_ERR("HTTP/1.1 200 OK\r\nX: a\rb\r\nContent-Length: 0\r\n\r\n", 0, E_HTTP_CTL);
	EXPECT_ERR("HTTP/1.1 200 OK\r\nX: a\nContent-Length: 0\r\n\r\n", 0, E_HTTP_CTL);
	EXPECT_ERR("HTTP/1.1 200 OK\nContent-Length: 0\n\n", 0, E_HTTP_CTL);
	EXPECT_ERR("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\r\n", 0, E_HTTP_CTL);
	static const char nul[] = "HTTP/1.1 200 OK\r\nX: a\0b\r\nContent-Length: 0\r\n\r\n";
	struct res r = RUN_S(nul, 0);
	CHECK_INT(r.rc, -1);
	CHECK_STR(i18n_msgname(r.err), "E_HTTP_CTL");
	res_free(&r);
	EXPECT_ERR("HTTP/1.1 200 OK\r\nX: a\x01" "b\r\n\r\n", 0, E_HTTP_HEADER);
	EXPECT_ERR("HTTP/1.1 200 OK\r\nX: a\x7f\r\n\r\n", 0, E_HTTP_HEADER);
}

static void obs_fold(void)
{
	EXPECT_ERR("HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n", 0, E_HTTP_OBS_FOLD);
	EXPECT_ERR("HTTP/1.1 200 OK\r\nX: a\r\n\tb\r\nContent-Length: 0\r\n\r\n", 0, E_HTTP_OBS_FOLD);
}

static void field_syntax(void)
{
	EXPECT_ERR("HTTP/1.1 200 OK\r\nX : a\r\n\r\n", 0, E_HTTP_HEADER);
	EXPECT_ERR("HTTP/1.1 200 OK\r\nNoColon\r\n\r\n", 0, E_HTTP_HEADER);
	EXPECT_ERR("HTTP/1.1 200 OK\r\n: empty-name\r\n\r\n", 0, E_HTTP_HEADER);
	EXPECT_ERR("HTTP/1.1 200 OK\r\nBad(Name): x\r\n\r\n", 0, E_HTTP_HEADER);

	struct res r = RUN_S("HTTP/1.1 404 Not Found\r\ncontent-TYPE: \t text/plain  \r\n"
			     "Empty:\r\nX-Dup: 1\r\nX-Dup: 2\r\nContent-Length: 0\r\n\r\n", 0);
	CHECK_INT(r.rc, HP_DONE);
	CHECK_INT(r.status, 404);
	CHECK_STR(http_head_get(&r.head, "Content-Type"), "text/plain");
	CHECK_STR(http_head_get(&r.head, "empty"), "");
	CHECK_STR(http_head_get(&r.head, "x-dup"), "1");
	CHECK(http_head_get(&r.head, "Content") == NULL);
	CHECK(http_head_get(&r.head, "Missing") == NULL);
	CHECK_STR(r.head.p, "HTTP/1.1 404 Not Found");
	res_free(&r);
}

static void status_line(void)
{
	EXPECT_ERR("HTTP/2 200 OK\r\n\r\n", 0, E_HTTP_STATUS_LINE);
	EXPECT_ERR("HTTP/1.1 20 OK\r\n\r\n", 0, E_HTTP_STATUS_LINE);
	EXPECT_ERR("HTTP/1.1 200OK\r\n\r\n", 0, E_HTTP_STATUS_LINE);
	EXPECT_ERR("ICY 200 OK\r\n\r\n", 0, E_HTTP_STATUS_LINE);
	EXPECT_ERR("HTTP/1.1 099 Low\r\n\r\n", 0, E_HTTP_STATUS_LINE);
	EXPECT_ERR("\r\nHTTP/1.1 200 OK\r\n\r\n", 0, E_HTTP_STATUS_LINE);
	/* An empty reason phrase is allowed (RFC 9112 §4). */
	struct res r = RUN_S("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", 0);
	CHECK_INT(r.rc, HP_DONE);
	res_free(&r);
	r = RUN_S("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 0);
	CHECK_INT(r.rc, HP_DONE);
	CHECK_INT(r.keep_alive, 0);    /* HTTP/1.0: closed after */
	res_free(&r);
	r = RUN_S("HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n", 0);
	CHECK_INT(r.keep_alive, 0);
	res_free(&r);
}

static void interim_1xx(void)
{
	struct res r = RUN_S("HTTP/1.1 100 Continue\r\n\r\n"
			     "HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"
			     "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 0);
	CHECK_INT(r.rc, HP_DONE);
	CHECK_INT(r.status, 200);
	CHECK_STR(r.body.p, "ok");
	CHECK(http_head_get(&r.head, "Link") == NULL);
	res_free(&r);
	EXPECT_ERR("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n", 0, E_HTTP_UPGRADE);
	/* An endless stream of 100 Continue hits the line limit. */
	struct buf b = { 0 };
	for (int i = 0; i < 150; i++)
		buf_puts(&b, "HTTP/1.1 100 Continue\r\n\r\n");
	r = run2(b.p, b.len, 0, LIM);
	CHECK_INT(r.rc, -1);
	CHECK_STR(i18n_msgname(r.err), "E_HTTP_HEAD_LINES");
	res_free(&r);
	buf_free(&b);
}

static void no_body_statuses(void)
{
	/* 204 and 304 end at the blank line whatever they announce. */
	static const char s204[] = "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello";
	struct res r = RUN_S(s204, 0);
	CHECK_INT(r.rc, HP_DONE);
	CHECK_INT(r.body.len, 0);
	CHECK_INT(r.used, sizeof s204 - 1 - 5);
	res_free(&r);
	r = RUN_S("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n", 0);
	CHECK_INT(r.rc, HP_DONE);
	res_free(&r);
}

static void connect_reply(void)
{
	struct http_parser p;
	size_t used;
	static const char s[] = "HTTP/1.1 200 Connection established\r\nContent-Length: 10\r\n\r\nTLS";
	http_parser_init(&p, "proxy", LIM);
	p.connect = 1;
	CHECK_INT(http_parser_feed(&p, s, sizeof s - 1, &used), HP_HEAD);
	CHECK_INT(used, sizeof s - 1 - 3);
	CHECK_INT(p.framing, HP_NONE);
	CHECK_INT(http_parser_feed(&p, s + used, 0, &used), HP_DONE);
	http_parser_free(&p);
}

static void sink_error(void)
{
	struct http_parser p;
	size_t used;
	static const char s[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
	err_clear();
	http_parser_init(&p, "t", LIM);
	p.sink = failing_sink;
	int rc = http_parser_feed(&p, s, sizeof s - 1, &used);
	if (rc == HP_HEAD)
		rc = http_parser_feed(&p, s + used, sizeof s - 1 - used, &used);
	CHECK_INT(rc, -1);
	CHECK_STR(i18n_msgname(err_id()), "E_NOMEM");
	/* A failed parser stays failed. */
	CHECK_INT(http_parser_feed(&p, "x", 1, &used), -1);
	http_parser_free(&p);
}

static void messages_name_the_peer(void)
{
	struct res r = RUN_S("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 0);
	CHECK(strstr(err_msg(), "test:443") != NULL);
	res_free(&r);
}

int main(void)
{
	i18n_init("en");
	RUN(content_length);
	RUN(content_length_truncated);
	RUN(content_length_invalid);
	RUN(chunked);
	RUN(chunked_bad_sizes);
	RUN(chunked_truncated);
	RUN(te_with_cl);
	RUN(close_delimited);
	RUN(body_limit);
	RUN(header_limits);
	RUN(forbidden_bytes);
	RUN(obs_fold);
	RUN(field_syntax);
	RUN(status_line);
	RUN(interim_1xx);
	RUN(no_body_statuses);
	RUN(connect_reply);
	RUN(sink_error);
	RUN(messages_name_the_peer);
	T_DONE();
}
