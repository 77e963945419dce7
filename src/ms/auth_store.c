/*
 * Tokens as keyring records. Descriptions name the tenant by its id
 * (the token's tid) and the audience:
 *   reflexe:<tid>:graph           access token for Microsoft Graph
 *   reflexe:<tid>:graph:refresh   refresh token that renews it
 *   reflexe:<tid>:exo[:refresh]   the same for Exchange Online
 *   reflexe:<tid>:info            how the sign-in went (no secret)
 *   reflexe:alias:<name>          tenant id for the name given at login
 *                                 ("organizations", a domain)
 * Payload: "reflexe-token 1\n<expiry>\n<client id>\n<authority>\n<token>".
 * An access token key times out when the token expires; a refresh token
 * key after AUTH_RT_KEEP_S, much shorter than the 90 days Entra gives
 * it: a case is worked in a day, and a refresh token lying in a keyring
 * for weeks would be a gift to whoever compromises this laptop later.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ms/ms.h"

#define MAGIC "reflexe-token 1\n"

static const char *aud_name(enum ms_audience aud)
{
	return aud == MS_AUD_EXO ? "exo" : "graph";
}

static int desc(char *out, size_t n, const char *tid, const char *what, int refresh)
{
	int k = snprintf(out, n, "reflexe:%s:%s%s", tid, what, refresh ? ":refresh" : "");
	for (char *p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return (k < 0 || (size_t)k >= n) ? err_set(E_AUTH_TENANT_NAME, tid) : 0;
}

static int put_rec(const struct auth_keyring *k, const char *d, int64_t exp, const char *client,
		   const char *authority, const char *tok, long ttl)
{
	struct buf b = { 0 };
	int r;
	if (auth_buf_reserve(&b, strlen(tok) + strlen(authority) + 256) < 0)
		return -1;
	r = buf_printf(&b, MAGIC "%lld\n%s\n%s\n%s", (long long)exp, client, authority, tok);
	if (r == 0)
		r = auth_kr_put(k, d, b.p, b.len, ttl);
	buf_wipe(&b);
	return r;
}

int auth_store_save(const struct auth_keyring *k, const char *tid, enum ms_audience aud,
		    const struct auth_token *t, const char *authority)
{
	char d[400];
	int64_t now = tm_now();

	if (desc(d, sizeof d, tid, aud_name(aud), 0) < 0 ||
	    put_rec(k, d, t->expires_at, t->client_id, authority, t->access, (long)(t->expires_at - now)) < 0)
		return -1;
	if (!t->refresh)
		return 0;
	if (desc(d, sizeof d, tid, aud_name(aud), 1) < 0 ||
	    put_rec(k, d, now + AUTH_RT_KEEP_S, t->client_id, authority, t->refresh, AUTH_RT_KEEP_S) < 0)
		return -1;
	return 0;
}

/* Splits a record; the token is copied out (malloc'ed). 0 ok, 1 not
 * ours or for another authority, -1 error. */
static int parse_rec(struct buf *b, const char *authority, int64_t *exp, char *client, size_t cn,
		     char **tok)
{
	char *p = b->p, *l[4];
	*tok = NULL;
	if (!p || strncmp(p, MAGIC, strlen(MAGIC)))
		return 1;
	p += strlen(MAGIC);
	for (int i = 0; i < 4; i++) {
		char *nl = i < 3 ? strchr(p, '\n') : NULL;
		l[i] = p;
		if (i < 3) {
			if (!nl)
				return 1;
			*nl = 0;
			p = nl + 1;
		}
	}
	if (strcmp(l[2], authority) || strlen(l[1]) >= cn || !*l[3])
		return 1;
	*exp = strtoll(l[0], NULL, 10);
	snprintf(client, cn, "%s", l[1]);
	*tok = xstrdup(l[3]);
	return *tok ? 0 : -1;
}

int auth_store_load(const struct auth_keyring *k, const char *tid, enum ms_audience aud, int refresh,
		    const char *authority, struct auth_token *t)
{
	char d[400];
	struct buf b = { 0 };
	char *tok = NULL;
	int r;

	memset(t, 0, sizeof *t);
	if (desc(d, sizeof d, tid, aud_name(aud), refresh) < 0)
		return -1;
	r = auth_kr_get(k, d, &b);
	if (r == 0)
		r = parse_rec(&b, authority, &t->expires_at, t->client_id, sizeof t->client_id, &tok);
	buf_wipe(&b);
	if (r != 0)
		return r;
	if (refresh)
		t->refresh = tok;
	else
		t->access = tok;
	return 0;
}

int auth_store_put_info(const struct auth_keyring *k, const char *tid, const char *info)
{
	char d[400];
	if (desc(d, sizeof d, tid, "info", 0) < 0)
		return -1;
	return auth_kr_put(k, d, info, strlen(info), AUTH_RT_KEEP_S);
}

int auth_store_get_info(const struct auth_keyring *k, const char *tid, struct buf *out)
{
	char d[400];
	if (desc(d, sizeof d, tid, "info", 0) < 0)
		return -1;
	return auth_kr_get(k, d, out);
}

int auth_store_alias(const struct auth_keyring *k, const char *name, const char *tid)
{
	char d[400];
	if (!strcasecmp(name, tid))
		return 0;
	if (desc(d, sizeof d, "alias", name, 0) < 0)
		return -1;
	return auth_kr_put(k, d, tid, strlen(tid), AUTH_RT_KEEP_S);
}

/* The tenant id whose tokens serve the name the user gave: the name
 * itself when keys exist under it, else the alias. 0 found, 1 none. */
int auth_store_resolve(const struct auth_keyring *k, const char *name, char *tid, size_t n)
{
	char d[400];
	struct buf b = { 0 };
	int r;

	for (int aud = 0; aud < 2; aud++)
		for (int rf = 1; rf >= 0; rf--) {
			if (desc(d, sizeof d, name, aud_name((enum ms_audience)aud), rf) < 0)
				return -1;
			r = auth_kr_get(k, d, &b);
			buf_wipe(&b);
			if (r < 0)
				return -1;
			if (r == 0) {
				snprintf(tid, n, "%s", name);
				for (char *p = tid; *p; p++)
					*p = (char)tolower((unsigned char)*p);
				return 0;
			}
		}
	if (desc(d, sizeof d, "alias", name, 0) < 0)
		return -1;
	r = auth_kr_get(k, d, &b);
	if (r == 0) {
		int ok = b.len > 0 && b.len < n;
		for (size_t i = 0; ok && i < b.len; i++)
			ok = isalnum((unsigned char)b.p[i]) || b.p[i] == '-' || b.p[i] == '.';
		if (ok)
			snprintf(tid, n, "%s", b.p);
		r = ok ? 0 : 1;
	}
	buf_wipe(&b);
	return r;
}
