/*
 * net/ — TLS over mbedTLS, HTTP/1.1, proxies, URLs, pinned roots.
 * Knows nothing of Microsoft. Prefixes: url_, tls_, http_, proxy_, sock_,
 * net_ (random numbers).
 */
#ifndef REFLEXE_NET_H
#define REFLEXE_NET_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

/* ---- URLs (url.c) -------------------------------------------------------
 * Only what the client needs: scheme http|https, optional user:pass@,
 * host (name, IPv4, [IPv6]), port, path+query ("/" if empty). Rejects
 * control characters, spaces, and anything it cannot parse exactly. */
struct url {
	char scheme[8];
	char user[128];
	char pass[128];
	char host[256];     /* without brackets for IPv6 */
	uint16_t port;
	char *path;         /* malloc'ed path + query, starts with '/' */
};
int url_parse(struct url *u, const char *s);
void url_free(struct url *u);
/* Appends v percent-encoded as the value of a query parameter ("name=v"
 * in a URL this client builds): see url.c for what stays literal. */
int url_query_enc(struct buf *b, const char *v);

/* ---- read-only guard ------------------------------------------------------
 * Called for every request, redirects included, before a byte is sent.
 * Returns 0 to allow; -1 with err_set() to refuse. The Microsoft layer
 * installs its policy; net/ ships a GET-only one for its tests. */
typedef int (*http_policy_fn)(void *ctx, const char *method, const struct url *u,
			      const void *body, size_t body_len);
int http_policy_get_only(void *ctx, const char *method, const struct url *u,
			 const void *body, size_t body_len);

/* ---- HTTP client (http.c) ------------------------------------------------ */
struct http_opts {
	int connect_ms;       /* default 15000 */
	int handshake_ms;     /* default 15000 */
	int idle_ms;          /* default 30000: longest silence while reading */
	int total_ms;         /* default 0 = none: whole request incl. redirects */
	size_t max_body;      /* default 64 MiB */
	const char *proxy;    /* --proxy URL; wins over the environment */
	http_policy_fn policy;/* required: no policy, no request */
	void *policy_ctx;
};

struct http_hdr {
	const char *name;
	const char *value;
};

/* Streams body bytes as they arrive; return -1 (with err_set) to abort. */
typedef int (*http_sink_fn)(void *ctx, const void *data, size_t n);

struct http_req {
	const char *method;          /* "GET" or "POST" */
	const char *url;
	const struct http_hdr *hdrs; /* extra headers; Host, Content-Length,
					Connection are set by the client */
	size_t nhdrs;
	const void *body;
	size_t body_len;
	http_sink_fn sink;           /* NULL: body collected in resp->body.
					With a sink, 2xx bodies stream to it;
					other statuses' bodies still land in
					resp->body, so callers can read the
					error document. */
	void *sink_ctx;
	int idempotent;              /* POST safe to resend (a $batch of GETs,
					token polling): a reused connection
					found dead is retried once. GET always
					is. */
	/* Called on the connection about to carry the request, after any
	 * connect and handshake, right before its first byte is written
	 * (and so on every redirect hop): the caller's last chance to wait
	 * (a throttling hold set meanwhile). Returns 1 when it waited (the
	 * connection is then checked again), 0 when not. NULL: none. */
	int (*ready)(void *ctx);
	void *ready_ctx;
};

struct http_resp {
	int status;
	struct buf head;             /* raw header block, NUL-separated lines */
	struct buf body;
	size_t body_bytes;           /* bytes received (also when streamed) */
	char *final_url;             /* after redirects (owned; any length
					the URL parser accepts) */
};

/* One client = one keep-alive connection (reused while host, port and
 * proxy match) and its settings; use one per thread. */
struct http_client;
int http_client_new(struct http_client **out, const struct http_opts *o);
void http_client_free(struct http_client *c);
/* Performs the request (following up to 5 redirects, dropping
 * Authorization when the scheme, host or port changes; the policy sees
 * every hop before anything is sent). 0 when a response was received,
 * whatever its status; -1 with a human message otherwise. resp is
 * overwritten on entry (free the previous one first) and already freed
 * on error. max_body bounds the body whether collected or streamed. */
int http_do(struct http_client *c, const struct http_req *r, struct http_resp *resp);
/* Value of a response header (case-insensitive), NULL if absent. */
const char *http_resp_header(const struct http_resp *r, const char *name);
void http_resp_free(struct http_resp *r);
/* Counters for tests and benchmarks. */
struct http_stats { unsigned long handshakes, requests, reused; };
void http_client_stats(const struct http_client *c, struct http_stats *s);

/* ---- roots and TLS (roots.c, tls.c) -------------------------------------- */
/* SHA-256 (hex) of the concatenated DER of the compiled-in roots, for
 * --version; and the same for whatever REFLEXE_CA_FILE holds if set. */
int tls_roots_fingerprint(char hex[65]);
/* The same for the compiled-in set only, whatever REFLEXE_CA_FILE says. */
int tls_roots_builtin_fingerprint(char hex[65]);
/* Refuses a host clock earlier than the build date (certificate validity
 * cannot be judged on it). */
int tls_check_clock(void);
/* Same check against a given time, for tests. */
int tls_check_clock_at(int64_t now);
/* mbedTLS version string, for --version. */
const char *tls_version_string(void);

/* ==== internals shared by net/ files, declared here for the unit tests ===
 * (one header per folder). Callers outside net/ use the API above. */

int64_t net_mono_ms(void);     /* monotonic clock, for deadlines */

/* "host:port", IPv6 in brackets: for messages, Host and CONNECT. */
void url_hostport(const char *host, uint16_t port, char *out, size_t n);
/* 4 or 6 when host is an IPv4 or IPv6 literal (no brackets), else 0;
 * the address bytes go to addr (16 bytes) when not NULL. */
int url_ip_literal(const char *host, unsigned char addr[16]);
/* Resolves a Location value against the URL it came from into a new
 * absolute URL (malloc'ed): absolute, "//authority…", "/path", or a
 * relative path. NULL with err_set when it cannot. */
char *url_resolve(const struct url *base, const char *loc);

/* ---- compiled-in roots (roots.c) ---------------------------------------- */
struct tls_root {
	const char *name;            /* subject CN */
	const unsigned char *der;
	size_t len;
	const char *sha256;          /* fingerprint, lower-case hex */
};
extern const struct tls_root tls_roots[];
extern const size_t tls_nroots;
/* Appends the roots in use to chain: REFLEXE_CA_FILE's PEM certificates
 * when set (all of them must parse), else the compiled-in set. */
struct mbedtls_x509_crt;
int tls_roots_load(struct mbedtls_x509_crt *chain);

/* ---- response parser (http_parse.c) --------------------------------------
 * Push parser over the bytes of one response: no sockets, no allocation but
 * the header block. Strict RFC 9112: CRLF line ends only; bare CR, bare
 * LF, NUL and obs-fold refused; Content-Length and Transfer-Encoding
 * checked as §6.3 says; 1xx interim responses skipped. */
struct http_limits {
	size_t head_bytes;     /* all header blocks and trailers, 64 KiB */
	size_t head_lines;     /* idem, lines, 100 */
	size_t max_body;       /* body bytes, 64 MiB */
};
#define HTTP_LIMITS_DEFAULT ((struct http_limits){ 64 * 1024, 100, (size_t)64 << 20 })
enum { HP_MORE = 0, HP_HEAD = 1, HP_DONE = 2 };
enum hp_framing { HP_NONE = 0, HP_LENGTH, HP_CHUNKED, HP_CLOSE };
struct http_parser {
	/* set by the caller */
	const char *label;         /* "host:port" for messages */
	struct http_limits lim;
	http_sink_fn sink;         /* body bytes go here; NULL drops them.
				      May be changed when feed returns HP_HEAD */
	void *sink_ctx;
	int connect;               /* reply to CONNECT: a 2xx has no body */
	/* results, valid from HP_HEAD on */
	int status;
	int minor;                 /* HTTP/1.<minor> */
	int keep_alive;            /* connection reusable after HP_DONE */
	enum hp_framing framing;
	uint64_t length;           /* Content-Length when HP_LENGTH */
	struct buf head;           /* status line then "Name: value", each
				      NUL-terminated */
	uint64_t body_bytes;
	/* private */
	int state, cr;
	uint64_t left;
	size_t head_total, lines;
	struct buf line;
};
void http_parser_init(struct http_parser *p, const char *label, struct http_limits lim);
void http_parser_free(struct http_parser *p);
/* Consumes bytes; *used says how many. Returns HP_MORE (all used, more
 * needed), HP_HEAD (stopped after the final header block: look at status,
 * set the sink, feed the rest), HP_DONE (response complete; bytes past
 * *used are not part of it), or -1 with err_set. */
int http_parser_feed(struct http_parser *p, const char *data, size_t n, size_t *used);
/* The peer closed. clean: TLS close_notify came. HP_DONE when that ends a
 * close-delimited body properly, else -1 with err_set (truncation). */
int http_parser_eof(struct http_parser *p, int clean);
/* First value of header name in a head block built by the parser. */
const char *http_head_get(const struct buf *head, const char *name);

/* ---- proxy choice (proxy.c) ------------------------------------------------
 * no_proxy rules, as curl and Go read them: entries separated by commas
 * or spaces; "*" matches all; "example.com" and ".example.com" match the
 * name and every name under it; an IP literal entry matches that address,
 * "10.0.0.0/8" or "fd00::/8" a range (IP literal hosts only, never after
 * DNS); "host:port" matches only that port, a bare entry every port.
 * Case-insensitive; a trailing dot on a name is ignored. */
int proxy_no_proxy_match(const char *rules, const char *host, uint16_t port);
/* The proxy URL to use for https://host:port, or NULL for a direct
 * connection: opt (--proxy) wins; then https_proxy, HTTPS_PROXY unless
 * no_proxy/NO_PROXY matches. An empty value means none; one without a
 * scheme ("proxy.corp:3128") is an http:// proxy (http.c). */
const char *proxy_for(const char *opt, const char *host, uint16_t port);
/* Parses a proxy value: one without a scheme ("proxy.corp:3128", as many
 * hosts set https_proxy) is http:// (curl reads it so too). */
int proxy_url(struct url *pu, const char *via);
/* The TCP ports that connections to urls go to (each URL's own, or its
 * proxy's), with 53 (DNS over TCP): for the sandbox (core/sandbox.c),
 * which lets a process connect to those ports only. Returns how many it
 * wrote to ports, or -1 with err_set (a bad URL, more than max ports). */
int proxy_ports(const char *opt, const char *const *urls, size_t nurls, uint16_t *ports,
		size_t max);
/* Sends CONNECT host:port over fd (already connected to the proxy) and
 * reads the reply up to its end, never past it. 0 when the tunnel is up. */
int proxy_connect(int fd, const struct url *proxy, const char *host, uint16_t port,
		  int64_t deadline, int idle_ms);

/* ---- sockets (sock.c) ------------------------------------------------------
 * Non-blocking TCP connect to every address of host in turn, within
 * connect_ms (and the total deadline, 0 = none). Returns the fd (left
 * non-blocking) or -1 with a message naming host:port. */
int sock_connect(const char *host, uint16_t port, int connect_ms, int64_t deadline);
/* Waits for fd to be readable (POLLIN) or writable (POLLOUT) before the
 * deadline. 0 ready, 1 timed out, -1 error. */
int sock_wait(int fd, int events, int64_t deadline);

/* ---- random numbers (random.c: mbedTLS PSA, seeded by entropy.c) ----------- */
uint32_t net_random32(void);        /* jitter; a fixed value if the generator fails */
int net_uuid4(char out[37]);        /* random UUID v4 (RFC 9562 §5.4) */

/* ---- TLS connection (tls.c) -----------------------------------------------
 * tls_init: psa_crypto_init() once per process (pthread_once); before any
 * X.509, PK or TLS call (mbedtls_config.h, MBEDTLS_USE_PSA_CRYPTO). */
int tls_init(void);
struct tls_ctx;              /* roots + settings, one per client */
struct tls_conn;             /* one TLS session over one socket */
int tls_ctx_new(struct tls_ctx **out);
void tls_ctx_free(struct tls_ctx *t);
/* Handshake over fd (taken over: closed on failure and by tls_close) with
 * host for SNI and verification; label "host:port" for messages.
 * TLS_RETRY12: the server chose TLS 1.2 with an RSA-PSS key exchange
 * signature mbedTLS 3.6 cannot check there; connect again and call with
 * tls12_only set (see tls.c). */
enum { TLS_RETRY12 = -4 };
int tls_open(struct tls_conn **out, struct tls_ctx *t, int fd, const char *host,
	     const char *label, int handshake_ms, int64_t deadline, int tls12_only);
/* Reads up to n bytes waiting at most idle_ms of silence (and the total
 * deadline): > 0 bytes, 0 after close_notify, TLS_EOF when the peer closed
 * or reset without it, -1 with err_set on error or timeout. */
enum { TLS_EOF = -2 };
int tls_read(struct tls_conn *c, void *buf, size_t n, int idle_ms, int64_t deadline);
/* Writes all n bytes, or -1 (TLS_EOF when the peer was already gone). */
int tls_write(struct tls_conn *c, const void *buf, size_t n, int idle_ms, int64_t deadline);
/* True when a kept-alive connection can be reused: no byte and no EOF
 * pending on it. */
int tls_idle_ok(struct tls_conn *c);
void tls_close(struct tls_conn *c);
const char *tls_conn_version(const struct tls_conn *c); /* "TLSv1.3" */

#endif
