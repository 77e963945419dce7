/*
 * The read-only guard (DESIGN.md principle 2): the request policy net/
 * calls for every request and every redirect hop, before a byte leaves.
 * reflexe must never change the tenant it examines, whatever a bug, a
 * hostile server (a redirect, a nextLink) or a later contributor does, so
 * the rule is an allow-list of what reading needs:
 *
 *   GET, without a body, to the authority, Graph or Exchange host;
 *   POST {authority}/{tenant}/oauth2/v2.0/devicecode and …/token
 *       (sign-in: Microsoft identity platform, device code and token
 *       endpoints; they issue tokens and change nothing in the tenant);
 *   POST {graph}/(v1.0|beta)/$batch whose every sub-request is a GET
 *       ("Combine multiple requests in one HTTP call using JSON
 *       batching", learn.microsoft.com/graph/json-batching: the body is
 *       {"requests":[{"id","method","url","headers","dependsOn"}]});
 *   POST {exo}/adminapi/beta/{tenant}/InvokeCommand of a Get-* cmdlet
 *       (the REST endpoint ExchangeOnlineManagement v3 uses; body
 *       {"CmdletInput":{"CmdletName","Parameters"}}).
 *
 * Bodies are parsed as JSON with small limits. A member named twice is
 * refused: servers differ on which one they take ({"method":"GET",
 * "method":"DELETE"} must not pass because we read the first). Members
 * we do not know are refused too, so nothing unexpected rides along.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ms/ms.h"

static int ep_init(struct guard_ep *e, const char *base)
{
	struct url u;
	memset(e, 0, sizeof *e);
	if (!base || !*base)
		return 0;               /* unset endpoint: matches nothing */
	if (url_parse(&u, base) < 0)
		return -1;
	snprintf(e->host, sizeof e->host, "%s", u.host);
	e->port = u.port;
	size_t n = strcspn(u.path, "?#");
	while (n > 0 && u.path[n - 1] == '/')
		n--;
	if (n >= sizeof e->path) {
		url_free(&u);
		return err_set(E_URL_BAD, base);
	}
	memcpy(e->path, u.path, n);
	e->path[n] = 0;
	url_free(&u);
	return 0;
}

int guard_init(struct guard_ctx *g, const struct ms_cloud *c)
{
	if (ep_init(&g->authority, c->authority) < 0 || ep_init(&g->graph, c->graph) < 0 ||
	    ep_init(&g->exo, c->exo) < 0)
		return -1;
	return 0;
}

/* The rest of u's path after the endpoint's base path, or NULL when u is
 * not on that endpoint (host compared without case, RFC 9110 §4.2.3). */
static const char *ep_rest(const struct guard_ep *e, const struct url *u)
{
	if (!e->host[0] || strcasecmp(e->host, u->host) || e->port != u->port)
		return NULL;
	size_t n = strlen(e->path);
	if (strncmp(u->path, e->path, n))
		return NULL;
	const char *r = u->path + n;
	return (*r == '/' || *r == 0) ? r : NULL;
}

/* "/{tenant}/oauth2/v2.0/devicecode" or "…/token", nothing more. */
static int token_path(const char *r)
{
	if (*r++ != '/')
		return 0;
	size_t t = strspn(r, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_");
	if (t == 0 || r[t] != '/')
		return 0;
	r += t;
	return !strcmp(r, "/oauth2/v2.0/devicecode") || !strcmp(r, "/oauth2/v2.0/token");
}

static int batch_path(const char *r)
{
	return !strcmp(r, "/v1.0/$batch") || !strcmp(r, "/beta/$batch");
}

/* "/adminapi/beta/{tenant}/InvokeCommand", with a query (the skip token
 * of a next page) allowed. */
static int invoke_path(const char *r)
{
	static const char pre[] = "/adminapi/beta/";
	if (strncmp(r, pre, sizeof pre - 1))
		return 0;
	r += sizeof pre - 1;
	size_t t = strspn(r, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_");
	if (t == 0)
		return 0;
	r += t;
	static const char inv[] = "/InvokeCommand";
	if (strncmp(r, inv, sizeof inv - 1))
		return 0;
	r += sizeof inv - 1;
	return *r == 0 || *r == '?';
}

int exo_cmdlet_ok(const char *name)
{
	/* ^Get-[A-Za-z]+$: a single verb-noun, nothing a shell or the
	 * server could read as a second command. */
	if (!name || strncmp(name, "Get-", 4) || !name[4])
		return 0;
	for (const char *p = name + 4; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			return 0;
	return 1;
}

/* Each member of object tok must be one of names[], at most once; the
 * value tokens go to vals[] (-1 when absent). Returns a reason message
 * id, or 0 when the object passes. */
static enum msg_id members(const struct json *j, int tok, const char *const *names, int *vals)
{
	int n = 0;
	while (names[n])
		vals[n++] = -1;
	if (json_type(j, tok) != JSON_OBJ)
		return M_GUARD_SHAPE;
	for (int v = json_first(j, tok); v >= 0; v = json_next(j, v)) {
		char key[64];
		if (json_key(j, v, key, sizeof key) < 0) {
			err_clear();
			return M_GUARD_MEMBER;
		}
		int k = 0;
		while (names[k] && strcmp(names[k], key))
			k++;
		if (!names[k])
			return M_GUARD_MEMBER;
		if (vals[k] >= 0)
			return M_GUARD_TWICE;
		vals[k] = v;
	}
	return 0;
}

static enum msg_id batch_body(const char *body, size_t len)
{
	static const char *const top[] = { "requests", NULL };
	static const char *const sub[] = { "id", "method", "url", "headers", "dependsOn", NULL };
	struct json j;
	int tv[1], sv[5];
	char s[2048];
	enum msg_id why = 0;

	/* 20 sub-requests of a few members each stay far below these. */
	if (!body || json_parse(&j, body, len, (struct json_limits){ 4000, 8 }) < 0) {
		err_clear();
		return M_GUARD_JSON;
	}
	if ((why = members(&j, 0, top, tv)))
		goto out;
	int reqs = tv[0];
	if (reqs < 0 || json_type(&j, reqs) != JSON_ARR || json_count(&j, reqs) < 1 ||
	    json_count(&j, reqs) > 20) {
		why = M_GUARD_SHAPE;
		goto out;
	}
	for (int r = json_first(&j, reqs); r >= 0 && !why; r = json_next(&j, r)) {
		if ((why = members(&j, r, sub, sv)))
			break;
		if (sv[0] < 0 || sv[1] < 0 || sv[2] < 0 || json_str(&j, sv[0], "", s, sizeof s) != 0 || !*s) {
			why = M_GUARD_SHAPE;
			break;
		}
		if (json_str(&j, sv[1], "", s, sizeof s) != 0 || strcmp(s, "GET")) {
			why = M_GUARD_NOT_GET;
			break;
		}
		/* Relative URLs only: an absolute one would name another
		 * host the guard never sees. */
		if (json_str(&j, sv[2], "", s, sizeof s) != 0 || !*s || strstr(s, "://") ||
		    !strncmp(s, "//", 2) || strchr(s, '\\')) {
			why = M_GUARD_SUBURL;
			break;
		}
		if (sv[3] >= 0) {
			if (json_type(&j, sv[3]) != JSON_OBJ) {
				why = M_GUARD_SHAPE;
				break;
			}
			for (int h = json_first(&j, sv[3]); h >= 0; h = json_next(&j, h))
				if (json_type(&j, h) != JSON_STR)
					why = M_GUARD_SHAPE;
		}
		if (sv[4] >= 0 && json_type(&j, sv[4]) != JSON_ARR)
			why = M_GUARD_SHAPE;
	}
out:
	err_clear();
	json_free(&j);
	return why;
}

static enum msg_id invoke_body(const char *body, size_t len, char *cmdlet, size_t csz)
{
	static const char *const top[] = { "CmdletInput", NULL };
	static const char *const in[] = { "CmdletName", "Parameters", NULL };
	struct json j;
	int tv[1], iv[2];
	enum msg_id why = 0;

	cmdlet[0] = 0;
	if (!body || json_parse(&j, body, len, (struct json_limits){ 20000, 16 }) < 0) {
		err_clear();
		return M_GUARD_JSON;
	}
	if ((why = members(&j, 0, top, tv)))
		goto out;
	if (tv[0] < 0 || (why = members(&j, tv[0], in, iv)))
		goto out;
	if (iv[0] < 0 || json_str(&j, iv[0], "", cmdlet, csz) != 0) {
		why = M_GUARD_SHAPE;
		goto out;
	}
	if (!exo_cmdlet_ok(cmdlet)) {
		why = M_GUARD_NOT_GETCMD;
		goto out;
	}
	if (iv[1] >= 0 && json_type(&j, iv[1]) != JSON_OBJ && json_type(&j, iv[1]) != JSON_NULL)
		why = M_GUARD_SHAPE;
out:
	err_clear();
	json_free(&j);
	return why;
}

/* "https://host:port/path" for messages: the query is left out (it may
 * be long or carry a skip token) and so are credentials. */
static void show_url(const struct url *u, char *out, size_t n)
{
	char hp[300];
	if (u->port == 443)
		snprintf(hp, sizeof hp, strchr(u->host, ':') ? "[%s]" : "%s", u->host);
	else
		url_hostport(u->host, u->port, hp, sizeof hp);
	snprintf(out, n, "%s://%s%.*s%s", u->scheme, hp, (int)strcspn(u->path, "?#"), u->path,
		 strchr(u->path, '?') ? "?…" : "");
}

int guard_policy(void *ctx, const char *method, const struct url *u,
		 const void *body, size_t body_len)
{
	const struct guard_ctx *g = ctx;
	char shown[600], cmd[128];
	const char *ra, *rg, *rx;
	enum msg_id why;

	show_url(u, shown, sizeof shown);
	if (!g || !method)
		return err_set(E_GUARD_REFUSED, method ? method : "?", shown);
	if (strcmp(u->scheme, "https") || u->user[0] || u->pass[0])
		return err_set(E_GUARD_REFUSED, method, shown);
	ra = ep_rest(&g->authority, u);
	rg = ep_rest(&g->graph, u);
	rx = ep_rest(&g->exo, u);
	if (!ra && !rg && !rx)
		return err_set(E_GUARD_HOST, method, shown);
	if (!strcmp(method, "GET")) {
		if (body_len)
			return err_set(E_GUARD_REFUSED, method, shown);
		return 0;
	}
	if (strcmp(method, "POST"))
		return err_set(E_GUARD_REFUSED, method, shown);
	if (ra && token_path(ra))
		return 0;
	if (rg && batch_path(rg)) {
		if ((why = batch_body(body, body_len)))
			return err_set(E_GUARD_BATCH, shown, tr(why));
		return 0;
	}
	if (rx && invoke_path(rx)) {
		if ((why = invoke_body(body, body_len, cmd, sizeof cmd))) {
			if (why == M_GUARD_NOT_GETCMD)
				return err_set(E_GUARD_CMDLET, cmd, shown);
			return err_set(E_GUARD_INVOKE, shown, tr(why));
		}
		return 0;
	}
	return err_set(E_GUARD_REFUSED, method, shown);
}
