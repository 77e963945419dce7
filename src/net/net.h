/*
 * net/ — TLS over mbedTLS, HTTP/1.1, proxies, URLs, pinned roots.
 * Knows nothing of Microsoft. Prefixes: url_, tls_, http_, proxy_, sock_.
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
	http_sink_fn sink;           /* NULL: body collected in resp->body */
	void *sink_ctx;
};

struct http_resp {
	int status;
	struct buf head;             /* raw header block, NUL-separated lines */
	struct buf body;
	size_t body_bytes;           /* bytes received (also when streamed) */
	char final_url[2048];        /* after redirects */
};

/* One client = one keep-alive connection (reused while host, port and
 * proxy match) and its settings; use one per thread. */
struct http_client;
int http_client_new(struct http_client **out, const struct http_opts *o);
void http_client_free(struct http_client *c);
/* Performs the request (following up to 5 redirects, dropping
 * Authorization when the host changes). 0 when a response was received,
 * whatever its status; -1 with a human message otherwise. */
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
/* Refuses a host clock earlier than the build date (certificate validity
 * cannot be judged on it). */
int tls_check_clock(void);
/* mbedTLS version string, for --version. */
const char *tls_version_string(void);

#endif
