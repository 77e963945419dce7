/*
 * The sign-in requests: POSTs of a form to {authority}/{tenant}/oauth2/
 * v2.0/devicecode or /token, nothing else. The HTTP client refuses any
 * request its policy does not allow, redirects included, before a byte
 * is sent (src/net/http.c).
 *
 * TODO(guard): once src/ms/guard.c lands, auth_http_new installs
 * guard_policy (GET, these two POSTs, $batch of GETs, Get-* cmdlets).
 * Until then auth_policy below allows exactly the two sign-in endpoints
 * of the configured authority, which is narrower.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ms/ms.h"

static int tenant_seg_ok(const char *s, size_t n)
{
	if (n == 0 || n > 255)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.' || c == '_'))
			return 0;
	}
	return 1;
}

/* ctx: the struct auth_cfg whose authority is allowed. */
int auth_policy(void *ctx, const char *method, const struct url *u, const void *body, size_t n)
{
	const struct auth_cfg *a = ctx;
	struct url auth;
	const char *p, *rest;
	int ok;

	(void)body;
	(void)n;
	if (strcmp(method, "POST") || strcmp(u->scheme, "https"))
		return err_set(E_AUTH_POLICY, method);
	if (url_parse(&auth, a->cloud.authority) < 0)
		return -1;
	ok = !strcasecmp(auth.host, u->host) && auth.port == u->port && !u->user[0];
	url_free(&auth);
	if (!ok)
		return err_set(E_AUTH_POLICY, method);
	/* "/<tenant>/oauth2/v2.0/devicecode" or ".../token", no query. */
	p = u->path + 1;
	rest = strchr(p, '/');
	if (!rest || !tenant_seg_ok(p, (size_t)(rest - p)) ||
	    (strcmp(rest, "/oauth2/v2.0/devicecode") && strcmp(rest, "/oauth2/v2.0/token")))
		return err_set(E_AUTH_POLICY, method);
	return 0;
}

int auth_http_new(struct http_client **c, const struct auth_cfg *a)
{
	struct http_opts o = { 0 };
	o.proxy = a->proxy;
	o.policy = auth_policy;
	o.policy_ctx = (void *)a;
	o.max_body = 256 * 1024;     /* token replies are a few KiB */
	o.total_ms = 60000;
	return http_client_new(c, &o);
}

/* {authority}/{tenant}/oauth2/v2.0/{what} */
int auth_endpoint(char *out, size_t n, const struct auth_cfg *a, const char *what)
{
	int k = snprintf(out, n, "%s/%s/oauth2/v2.0/%s", a->cloud.authority, a->tenant, what);
	if (k < 0 || (size_t)k >= n)
		return err_set(E_AUTH_ENV_URL, "AZURE_AUTHORITY_HOST");
	return 0;
}

int auth_post(struct http_client *c, const char *url, const struct buf *form, struct http_resp *resp)
{
	unsigned char r[16];
	char rid[40];
	struct http_hdr h[3] = {
		{ "Content-Type", "application/x-www-form-urlencoded" },
		{ "Accept", "application/json" },
		{ "client-request-id", rid },
	};
	struct http_req q = { 0 };

	/* A client-request-id of our own: Entra records it in the sign-in
	 * logs as the correlation id, so the tenant's logs can be matched to
	 * what reflexe did. */
	if (auth_random(r, sizeof r) < 0)
		return -1;
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	snprintf(rid, sizeof rid, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12],
		 r[13], r[14], r[15]);
	q.method = "POST";
	q.url = url;
	q.hdrs = h;
	q.nhdrs = 3;
	q.body = form->p;
	q.body_len = form->len;
	q.idempotent = 1;
	memset(resp, 0, sizeof *resp);
	if (http_do(c, &q, resp) < 0) {
		http_resp_free(resp);
		return err_context(E_AUTH_HTTP_CTX, url);
	}
	return 0;
}
