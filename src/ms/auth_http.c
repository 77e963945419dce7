/*
 * The sign-in requests: POSTs of a form to {authority}/{tenant}/oauth2/
 * v2.0/devicecode or /token, nothing else. The HTTP client refuses any
 * request its policy does not allow, redirects included, before a byte
 * is sent (src/net/http.c).
 *
 * Two policies in a row: the read-only guard every Microsoft request
 * goes through (guard.c: GET, these two POSTs, $batch of GETs, Get-*
 * cmdlets), then auth_policy, narrower, for what a sign-in connection
 * may do: exactly the two sign-in endpoints of the configured authority.
 */
#include <stdio.h>
#include <stdlib.h>
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

struct auth_conn {
	struct http_client *c;
	struct guard_ctx guard;
	const struct auth_cfg *a;
};

static int conn_policy(void *ctx, const char *method, const struct url *u, const void *body, size_t n)
{
	struct auth_conn *k = ctx;
	if (guard_policy(&k->guard, method, u, body, n) < 0)
		return -1;
	return auth_policy((void *)k->a, method, u, body, n);
}

int auth_conn_new(struct auth_conn **out, const struct auth_cfg *a)
{
	struct http_opts o = { 0 };
	struct auth_conn *k = calloc(1, sizeof *k);

	*out = NULL;
	if (!k)
		return err_set(E_NOMEM);
	k->a = a;
	if (guard_init(&k->guard, &a->cloud) < 0) {
		free(k);
		return -1;
	}
	o.proxy = a->proxy;
	o.policy = conn_policy;
	o.policy_ctx = k;
	o.max_body = 256 * 1024;     /* token replies are a few KiB */
	o.total_ms = 60000;
	if (http_client_new(&k->c, &o) < 0) {
		free(k);
		return -1;
	}
	*out = k;
	return 0;
}

void auth_conn_free(struct auth_conn *k)
{
	if (!k)
		return;
	http_client_free(k->c);
	free(k);
}

/* {authority}/{tenant}/oauth2/v2.0/{what} */
int auth_endpoint(char *out, size_t n, const struct auth_cfg *a, const char *what)
{
	int k = snprintf(out, n, "%s/%s/oauth2/v2.0/%s", a->cloud.authority, a->tenant, what);
	if (k < 0 || (size_t)k >= n)
		return err_set(E_AUTH_ENV_URL, "AZURE_AUTHORITY_HOST");
	return 0;
}

int auth_post(struct auth_conn *k, const char *url, const struct buf *form, struct http_resp *resp)
{
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
	if (net_uuid4(rid) < 0)
		return -1;
	q.method = "POST";
	q.url = url;
	q.hdrs = h;
	q.nhdrs = 3;
	q.body = form->p;
	q.body_len = form->len;
	q.idempotent = 1;
	memset(resp, 0, sizeof *resp);
	if (http_do(k->c, &q, resp) < 0) {
		http_resp_free(resp);
		return err_context(E_AUTH_HTTP_CTX, url);
	}
	return 0;
}
