/*
 * The token source the Graph and Exchange clients call, from any thread.
 * One mutex: a refresh happens once, the other threads wait for it and
 * then take the new token. A token is renewed AUTH_RENEW_S before it
 * expires, so a request never leaves with a token about to die.
 *
 *  - client credentials (variables set): sign in as the application,
 *    per audience, on first use and on renewal; nothing kept on disk or
 *    in the keyring.
 *  - otherwise: the keyring records `reflexe login` made; a stale access
 *    token is renewed with the refresh token, and the keyring updated.
 *  - no keyring at all: the device code flow on first use, tokens kept in
 *    this process only (each applet run signs in again).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/ms.h"

struct src {
	pthread_mutex_t mu;
	const struct auth_cfg *cfg;
	struct auth_keyring kr;
	int have_kr;
	char tid[256];               /* resolved tenant id (keyring mode) */
	struct auth_signer *signer;
	struct auth_token tok[2];   /* per audience */
};

static const char *aud_label(enum ms_audience aud)
{
	return aud == MS_AUD_EXO ? "Exchange Online" : "Microsoft Graph";
}

/* Renewed AUTH_RENEW_S before expiry, or at three quarters of its life
 * when a token lives less than four times that (short-lived tokens a
 * tenant policy or a test sets), so a new token is never stale at once. */
static int fresh(const struct auth_token *t)
{
	int64_t margin = AUTH_RENEW_S;
	if (t->obtained_at && (t->expires_at - t->obtained_at) / 4 < margin)
		margin = (t->expires_at - t->obtained_at) / 4;
	return t->access && t->expires_at - tm_now() > margin;
}

static int app_token(struct src *s, enum ms_audience aud, struct auth_token *t)
{
	const struct auth_cfg *a = s->cfg;
	struct buf scope = { 0 };
	int r;
	if (a->mode == AUTH_CERT && !s->signer && auth_signer_load(&s->signer, a->cert_path) < 0)
		return -1;
	if (auth_default_scope(&scope, aud == MS_AUD_EXO ? a->cloud.exo_aud : a->cloud.graph_aud, 0) < 0)
		return -1;
	r = auth_client_credentials(a, s->signer, scope.p, t);
	buf_free(&scope);
	return r;
}

/* Renews t with its refresh token. 0, or -1 with the reason set. */
static int renew(struct src *s, enum ms_audience aud, struct auth_token *t)
{
	const struct auth_cfg *a = s->cfg;
	struct auth_token n;
	struct auth_oauth_err e;
	struct buf scope = { 0 };
	int r;

	if (aud == MS_AUD_GRAPH)
		r = auth_graph_scope_string(&scope);
	else
		r = auth_default_scope(&scope, a->cloud.exo_aud, 1);
	if (r < 0)
		return -1;
	r = auth_refresh(a, t->client_id, t->refresh, scope.p, &n, &e);
	buf_free(&scope);
	if (r == 1)
		return auth_oauth_fail(&e);
	if (r < 0)
		return -1;
	auth_token_wipe(t);
	*t = n;
	return 0;
}

/* Keyring mode: stored access token, else stored refresh token. */
static int stored_token(struct src *s, enum ms_audience aud, struct auth_token *t)
{
	const char *authority = s->cfg->cloud.authority;
	struct auth_token rt;
	int r;

	if (!s->tid[0]) {
		r = auth_store_resolve(&s->kr, s->cfg->tenant, s->tid, sizeof s->tid);
		if (r < 0)
			return -1;
		if (r == 1)
			return err_set(E_AUTH_NOT_SIGNED_IN, s->cfg->tenant);
	}
	if (!t->refresh) {
		r = auth_store_load(&s->kr, s->tid, aud, 1, authority, &rt);
		if (r < 0)
			return -1;
		if (r == 0) {
			t->refresh = rt.refresh;
			snprintf(t->client_id, sizeof t->client_id, "%s", rt.client_id);
		}
	}
	if (!t->access) {
		r = auth_store_load(&s->kr, s->tid, aud, 0, authority, &rt);
		if (r < 0)
			return -1;
		if (r == 0) {
			t->access = rt.access;
			t->expires_at = rt.expires_at;
			if (!t->client_id[0])
				snprintf(t->client_id, sizeof t->client_id, "%s", rt.client_id);
		}
	}
	if (fresh(t))
		return 0;
	if (!t->refresh)
		return err_set(aud == MS_AUD_EXO ? E_AUTH_NO_EXO : E_AUTH_NOT_SIGNED_IN, s->cfg->tenant);
	if (renew(s, aud, t) < 0)
		return err_context(E_AUTH_RENEW, aud_label(aud));
	/* Keep the renewed tokens for the next applet. A keyring that
	 * refuses is not a reason to fail this run. */
	if (auth_store_save(&s->kr, s->tid, aud, t, authority) < 0)
		err_clear();
	return 0;
}

/* No keyring: sign in now, in this process only. */
static int memory_token(struct src *s, enum ms_audience aud, struct auth_token *t)
{
	const struct auth_cfg *a = s->cfg;
	struct buf scope = { 0 };
	int r;

	if (t->refresh)
		return renew(s, aud, t);
	if (aud == MS_AUD_EXO && s->tok[MS_AUD_GRAPH].refresh) {
		struct auth_token n;
		struct auth_oauth_err e;
		if (auth_default_scope(&scope, a->cloud.exo_aud, 1) < 0)
			return -1;
		r = auth_refresh(a, s->tok[MS_AUD_GRAPH].client_id, s->tok[MS_AUD_GRAPH].refresh,
				 scope.p, &n, &e);
		buf_free(&scope);
		if (r == 0) {
			auth_token_wipe(t);
			*t = n;
			return 0;
		}
		if (r < 0)
			return -1;
	}
	if (aud == MS_AUD_GRAPH)
		r = auth_graph_scope_string(&scope);
	else
		r = auth_default_scope(&scope, a->cloud.exo_aud, 1);
	if (r == 0)
		r = auth_device_flow(a, aud == MS_AUD_EXO ? MS_CLIENT_EXO_PS : a->client_id, scope.p,
				     aud_label(aud), NULL, t);
	buf_free(&scope);
	return r;
}

static int get(void *ctx, enum ms_audience aud, struct buf *out)
{
	struct src *s = ctx;
	struct auth_token *t;
	int r = 0;

	if ((unsigned)aud > MS_AUD_EXO)
		return err_set(E_AUTH_AUDIENCE);
	pthread_mutex_lock(&s->mu);
	t = &s->tok[aud];
	if (!fresh(t)) {
		if (s->cfg->mode != AUTH_DEVICE) {
			auth_token_wipe(t);
			r = app_token(s, aud, t);
		} else if (s->have_kr) {
			r = stored_token(s, aud, t);
		} else {
			r = memory_token(s, aud, t);
		}
	}
	if (r == 0) {
		buf_wipe(out);
		r = auth_buf_reserve(out, strlen(t->access) + 1);
		if (r == 0)
			r = buf_puts(out, t->access);
	}
	pthread_mutex_unlock(&s->mu);
	return r;
}

int auth_token_source(struct ms_token_source *out, const struct auth_cfg *cfg)
{
	struct src *s = calloc(1, sizeof *s);

	out->get = NULL;
	out->ctx = NULL;
	if (!s)
		return err_set(E_NOMEM);
	auth_harden();
	pthread_mutex_init(&s->mu, NULL);
	s->cfg = cfg;
	if (cfg->mode == AUTH_DEVICE && !cfg->no_keyring) {
		if (auth_kr_open(&s->kr) == 0) {
			s->have_kr = 1;
		} else {
			/* Said once, then each run signs in by itself. */
			if (!cfg->quiet)
				fprintf(stderr, "reflexe: %s\n", tr(M_AUTH_NO_KEYRING));
			err_clear();
		}
	}
	out->get = get;
	out->ctx = s;
	return 0;
}

int auth_token_source_with(struct ms_token_source *out, const struct auth_cfg *cfg,
			   struct auth_token *graph, struct auth_token *exo)
{
	struct src *s = calloc(1, sizeof *s);

	out->get = NULL;
	out->ctx = NULL;
	if (!s)
		return err_set(E_NOMEM);
	pthread_mutex_init(&s->mu, NULL);
	s->cfg = cfg;
	/* Moved, not copied: one owner for each secret. */
	if (graph) {
		s->tok[MS_AUD_GRAPH] = *graph;
		memset(graph, 0, sizeof *graph);
	}
	if (exo) {
		s->tok[MS_AUD_EXO] = *exo;
		memset(exo, 0, sizeof *exo);
	}
	out->get = get;
	out->ctx = s;
	return 0;
}

void auth_token_source_free(struct ms_token_source *ts)
{
	struct src *s = ts ? ts->ctx : NULL;
	if (!s)
		return;
	for (int i = 0; i < 2; i++)
		auth_token_wipe(&s->tok[i]);
	auth_signer_free(s->signer);
	pthread_mutex_destroy(&s->mu);
	mem_wipe(s, sizeof *s);
	free(s);
	ts->ctx = NULL;
	ts->get = NULL;
}
