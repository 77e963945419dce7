/*
 * Token endpoint grants without a user at the keyboard: refresh token
 * (RFC 6749 §6) and client credentials with a secret or a signed JWT
 * assertion (RFC 7523 §2.2; Microsoft identity platform "client
 * credentials flow", learn.microsoft.com/entra/identity-platform/
 * v2-oauth2-client-creds-grant-flow). Every buffer that held a secret is
 * wiped before it is freed.
 */
#include <stdio.h>
#include <string.h>

#include "ms/ms.h"

/* POST form to the token endpoint and parse the reply: 0 ok, 1 OAuth
 * error in e, -1 transport or malformed reply. */
int auth_token_call(struct auth_conn *c, const struct auth_cfg *a, const struct buf *form,
		    struct auth_token *out, struct auth_oauth_err *e)
{
	char url[600];
	struct http_resp resp;
	int r;

	if (auth_endpoint(url, sizeof url, a, "token") < 0)
		return -1;
	if (auth_post(c, url, form, &resp) < 0)
		return -1;
	r = auth_parse_token_reply(resp.status, resp.body.p, resp.body.len, tm_now(), out, e);
	http_resp_free(&resp);      /* wipes the body */
	if (r < 0)
		err_context(E_AUTH_HTTP_CTX, url);
	return r;
}

static int one_call(const struct auth_cfg *a, const struct buf *form, struct auth_token *out,
		    struct auth_oauth_err *e)
{
	struct auth_conn *c;
	int r;
	if (auth_conn_new(&c, a) < 0)
		return -1;
	r = auth_token_call(c, a, form, out, e);
	auth_conn_free(c);
	return r;
}

int auth_refresh(const struct auth_cfg *a, const char *client_id, const char *refresh,
		 const char *scope, struct auth_token *out, struct auth_oauth_err *e)
{
	struct buf f = { 0 };
	int r = -1;

	memset(e, 0, sizeof *e);
	if (auth_buf_reserve(&f, strlen(refresh) * 3 + strlen(scope) * 3 + 512) < 0 ||
	    auth_form_add(&f, "client_id", client_id) < 0 ||
	    auth_form_add(&f, "grant_type", "refresh_token") < 0 ||
	    auth_form_add(&f, "scope", scope) < 0 ||
	    auth_form_add(&f, "refresh_token", refresh) < 0)
		goto done;
	r = one_call(a, &f, out, e);
	if (r == 0) {
		snprintf(out->client_id, sizeof out->client_id, "%s", client_id);
		/* No new refresh token in the reply: the old one stays good
		 * (RFC 6749 §6, the server MAY issue a new one). */
		if (!out->refresh && !(out->refresh = xstrdup(refresh))) {
			auth_token_wipe(out);
			r = -1;
		}
	}
done:
	buf_wipe(&f);
	return r;
}

/* scope: "<resource>/.default", the only form client credentials take. */
int auth_client_credentials(const struct auth_cfg *a, struct auth_signer *s, const char *scope,
			    struct auth_token *out)
{
	struct buf f = { 0 }, jwt = { 0 };
	struct auth_oauth_err e;
	char aud[600];
	int r = -1;

	if (auth_buf_reserve(&f, (a->secret ? strlen(a->secret) * 3 : 0) + 24 * 1024) < 0 ||
	    auth_form_add(&f, "client_id", a->client_id) < 0 ||
	    auth_form_add(&f, "scope", scope) < 0 ||
	    auth_form_add(&f, "grant_type", "client_credentials") < 0)
		goto done;
	if (a->mode == AUTH_SECRET) {
		if (auth_form_add(&f, "client_secret", a->secret) < 0)
			goto done;
	} else {
		/* The assertion's audience is the token endpoint it is sent to. */
		if (!s || auth_endpoint(aud, sizeof aud, a, "token") < 0 ||
		    auth_jwt_assertion(&jwt, s, a->client_id, aud, tm_now(), a->pss) < 0)
			goto done;
		if (auth_form_add(&f, "client_assertion_type",
				  "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") < 0 ||
		    auth_form_add(&f, "client_assertion", jwt.p) < 0)
			goto done;
	}
	r = one_call(a, &f, out, &e);
	if (r == 1)
		r = auth_oauth_fail(&e);
	if (r == 0)
		snprintf(out->client_id, sizeof out->client_id, "%s", a->client_id);
done:
	buf_wipe(&f);
	buf_wipe(&jwt);
	return r;
}
