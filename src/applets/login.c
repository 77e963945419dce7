/*
 * login, logout — sign in to the tenant once per case; wipe the tokens.
 * The flows live in src/ms/auth_*.c; this file parses options, talks to
 * the responder, and decides what is kept.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "applets/applets.h"
#include "case/case.h"
#include "courante/courante.h"
#include "ms/ms.h"

enum { O_CLOUD = 1, O_CLIENT, O_NO_EXO, O_STATUS, O_CONSENT };

static const struct opt_spec own[] = {
	{ "cloud", 0, OPT_ARG, O_CLOUD },
	{ "client-id", 0, OPT_ARG, O_CLIENT },
	{ "no-exchange", 0, OPT_NOARG, O_NO_EXO },
	{ "status", 0, OPT_NOARG, O_STATUS },
	{ "print-consent", 0, OPT_NOARG, O_CONSENT },
	{ NULL, 0, 0, 0 },
};

static const struct applet_help help = { M_HELP_LOGIN };
static const struct applet_help logout_help = { M_HELP_LOGOUT };

struct ctx {
	const char *cloud, *client;
	int no_exo, status, consent;
	struct common c;
};

static int on_opt(void *p, int id, const char *arg)
{
	struct ctx *x = p;
	switch (id) {
	case O_CLOUD: x->cloud = arg; break;
	case O_CLIENT: x->client = arg; break;
	case O_NO_EXO: x->no_exo = 1; break;
	case O_STATUS: x->status = 1; break;
	case O_CONSENT: x->consent = 1; break;
	}
	return 0;
}

/* Ctrl-C, or the terminal closing, while the responder types the code:
 * the flow stops at its next step and nothing is kept. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static int stop_requested(void)
{
	return interrupted;
}

static void catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* ---- --print-consent ---------------------------------------------------- */

static int print_consent(const struct auth_cfg *a)
{
	struct buf url = { 0 };
	int custom = strcmp(a->client_id, MS_CLIENT_GRAPH_CLI) != 0;

	tr_fprintf(stdout, M_LOGIN_CONSENT_HEAD, custom ? tr(M_LOGIN_THIS_APP) : "Microsoft Graph Command Line Tools",
	       a->client_id, a->cloud.graph_aud);
	printf("\n");
	for (size_t i = 0; i < auth_ngraph_scopes; i++)
		printf("  %-40s %s\n", auth_graph_scopes[i].name, tr(auth_graph_scopes[i].why));
	printf("\n");
	tr_fprintf(stdout, M_LOGIN_CONSENT_EXO, a->cloud.exo_aud, MS_CLIENT_EXO_PS);
	printf("\n\n%s\n", tr(M_LOGIN_CONSENT_URL));
	if (auth_consent_url(&url, a, a->client_id, 0) < 0)
		return EXIT_FAIL;
	printf("  Microsoft Graph:\n    %s\n", url.p);
	if (custom) {
		/* The organisation's app gets Exchange through its refresh
		 * token only if it holds Exchange's delegated permission. */
		buf_reset(&url);
		if (auth_consent_url(&url, a, a->client_id, 1) < 0)
			return EXIT_FAIL;
		printf("  Exchange Online:\n    %s\n", url.p);
	} else {
		printf("  Exchange Online: %s\n", tr(M_LOGIN_CONSENT_EXO_NONE));
	}
	buf_free(&url);
	return EXIT_CLEAN;
}

/* AADSTS65001: the URL an administrator opens to consent, right away
 * (the error line main() prints next says what it is for). */
static void consent_hint(const struct auth_cfg *a)
{
	struct buf url = { 0 };
	/* Only a failed allocation could make it fail; the error line stays. */
	if (auth_consent_url(&url, a, a->client_id, 0) == 0)
		fprintf(stderr, "%s\n  %s\n", tr(M_LOGIN_CONSENT_URL), url.p);
	buf_free(&url);
}

/* ---- what a token says, for the responder --------------------------------- */

static void print_expiry(const char *label, int64_t exp)
{
	char when[32];
	long long left = (long long)(exp - tm_now());
	tm_utc_iso(exp, when, sizeof when);
	if (left > 0)
		tr_fprintf(stdout, M_LOGIN_ST_VALID, label, when, (int)(left / 60));
	else
		tr_fprintf(stdout, M_LOGIN_ST_EXPIRED, label, when);
	printf("\n");
}

static void print_roles(const char *wids)
{
	char buf[1024];
	int any = 0;
	snprintf(buf, sizeof buf, "%s", wids);
	printf("%-14s", tr(M_LOGIN_ST_ROLES));
	for (char *save = NULL, *id = strtok_r(buf, " ", &save); id; id = strtok_r(NULL, " ", &save)) {
		const char *n = auth_role_name(id);
		printf("%s%s", any ? ", " : " ", n ? n : id);
		any = 1;
	}
	printf("%s%s\n", any ? "" : " ", any ? "" : tr(M_LOGIN_ST_NO_ROLE));
}

static void print_who(const struct auth_who *w)
{
	if (!strcmp(w->idtyp, "app") || (!w->upn[0] && w->appid[0]))
		printf("%-14s %s (%s)\n", tr(M_LOGIN_ST_APP), w->app[0] ? w->app : "?", w->appid);
	else
		printf("%-14s %s\n", tr(M_LOGIN_ST_ACCOUNT), w->upn[0] ? w->upn : "?");
}

/* The summary after a sign-in and for --status: from the Graph token
 * (who, scopes, roles) and the Exchange one (expiry). */
static void summary(const char *graph, const char *exo, const char *exo_via, const char *cloud,
		    const char *keeping)
{
	struct auth_who w;
	if (graph && auth_who(graph, &w) == 0) {
		printf("%-14s %s (%s)\n", tr(M_LOGIN_ST_TENANT), w.tid[0] ? w.tid : "?", cloud);
		print_who(&w);
		print_expiry("Microsoft Graph", w.exp);
		if (w.scp[0])
			printf("%-14s %s\n", tr(M_LOGIN_ST_SCOPES), w.scp);
		if (w.roles[0])
			printf("%-14s %s\n", tr(M_LOGIN_ST_APPROLES), w.roles);
		if (strcmp(w.idtyp, "app"))
			print_roles(w.wids);
	}
	err_clear();
	if (exo && auth_who(exo, &w) == 0) {
		print_expiry("Exchange Online", w.exp);
		if (exo_via && *exo_via)
			printf("%-14s %s\n", "", exo_via);
	} else {
		printf("%-14s %s\n", "Exchange", tr(M_LOGIN_ST_NO_EXO));
	}
	err_clear();
	if (keeping)
		printf("%-14s %s\n", tr(M_LOGIN_ST_KEPT), keeping);
}

static const char *kr_label(const struct auth_keyring *k)
{
	return tr(k->kind == AUTH_KR_SESSION ? M_LOGIN_KR_SESSION : M_LOGIN_KR_USER_SESSION);
}

/* ---- --status --------------------------------------------------------------- */

static int status(const struct auth_cfg *a)
{
	struct auth_keyring k;
	struct auth_token g, gr, e;
	struct buf info = { 0 };
	char tid[256];
	const char *via = NULL;
	int r;

	if (a->mode != AUTH_DEVICE) {
		tr_fprintf(stdout, M_LOGIN_ST_ENV_APP, a->client_id, a->tenant,
		       a->mode == AUTH_SECRET ? tr(M_LOGIN_SECRET) : a->cert_path);
		printf("\n");
		return EXIT_CLEAN;
	}
	if (a->no_keyring || auth_kr_open(&k) < 0) {
		err_clear();
		printf("%s\n", tr(M_AUTH_NO_KEYRING));
		return err_set(E_AUTH_NOT_SIGNED_IN, a->tenant), EXIT_FAIL;
	}
	r = auth_store_resolve(&k, a->tenant, tid, sizeof tid);
	if (r != 0)
		return r < 0 ? EXIT_FAIL : (err_set(E_AUTH_NOT_SIGNED_IN, a->tenant), EXIT_FAIL);
	if (auth_store_load(&k, tid, MS_AUD_GRAPH, 0, a->cloud.authority, &g) < 0 ||
	    auth_store_load(&k, tid, MS_AUD_GRAPH, 1, a->cloud.authority, &gr) < 0 ||
	    auth_store_load(&k, tid, MS_AUD_EXO, 0, a->cloud.authority, &e) < 0)
		return EXIT_FAIL;
	if (auth_store_get_info(&k, tid, &info) == 0 && info.p) {
		if (strstr(info.p, "exo=refresh"))
			via = tr(M_LOGIN_EXO_VIA_REFRESH);
		else if (strstr(info.p, "exo=device"))
			via = tr(M_LOGIN_EXO_VIA_DEVICE);
	}
	err_clear();
	if (!g.access && !gr.refresh) {
		r = err_set(E_AUTH_NOT_SIGNED_IN, a->tenant);
	} else {
		if (g.access)
			summary(g.access, e.access, via, a->cloud.name, kr_label(&k));
		else
			printf("%-14s %s\n", tr(M_LOGIN_ST_TENANT), tid);
		if (gr.refresh)
			print_expiry(tr(M_LOGIN_ST_RENEWABLE), gr.expires_at);
		r = 0;
	}
	auth_token_wipe(&g);
	auth_token_wipe(&gr);
	auth_token_wipe(&e);
	buf_wipe(&info);
	return r < 0 ? EXIT_FAIL : EXIT_CLEAN;
}

/* ---- the probe and the logbook ---------------------------------------------------- */

static const char *yes_no(int v)
{
	return tr(v > 0 ? M_LOGIN_YES : v == 0 ? M_LOGIN_NO : M_LOGIN_UNKNOWN);
}

/* After a sign-in: what this tenant has (licences, domains) and what this
 * sign-in may read (scopes, roles), saved to the case folder for the
 * checks to mark what they cannot answer; and a logbook line. A failure
 * here is said, never fatal: the sign-in itself stands. */
/* The tenant's name for its case folder: the one given, else (tid) the
 * one signed in to; NULL when neither is known yet. */
static const char *case_name(const struct auth_cfg *a, const char *tid)
{
	return strcmp(a->tenant, "organizations") && strcmp(a->tenant, "common") ? a->tenant : tid;
}

/* dir: the case folder named before the sign-in (login_case), "" when it
 * could not be (then named now, after the tenant signed in to). */
static void probe_and_log(const struct auth_cfg *a, struct ms_token_source *ts, const char *tid,
			  const struct common *c, const char *case_dir, const char *who,
			  const char *exo_via)
{
	char dir[4096];
	struct case_dir *cs = NULL;
	struct ms_svc *g = NULL;
	struct ms_probe p;
	struct buf line = { 0 };
	const char *name = case_name(a, tid);

	memset(&p, 0, sizeof p);
	snprintf(dir, sizeof dir, "%s", case_dir);
	if (!*dir && case_find_dir(c->case_dir, name, tm_now(), dir, sizeof dir) < 0)
		goto fail;
	if (case_open(&cs, dir, name, c->who, 0) < 0)
		goto fail;
	/* The case folder is there: from now on, the only one written
	 * (the first narrowing let its parent be written to make it).
	 * What the probe reads is the tenant's. */
	struct narrow nw = { .case_dir = dir, .cloud = &a->cloud, .proxy = c->proxy };
	if (common_narrow(&nw) < 0)
		goto fail;
	struct ms_opts mo = {
		.cloud = &a->cloud, .tok = *ts, .cs = cs, .parallel = 1, .quiet = c->quiet,
		.proxy = c->proxy, .tenant = tid,
	};
	if (graph_open(&g, &mo) < 0 || ms_probe(g, ts, &p) < 0 ||
	    (p.tenant_id[0] && case_set_tenant(cs, p.tenant_id, p.domains) < 0))
		goto fail;
	printf("%-14s %s\n", tr(M_LOGIN_ST_CASE), case_path(cs));
	printf("%-14s Entra ID P1 %s, P2 %s, Exchange Online %s\n", tr(M_LOGIN_ST_LICENCES),
	       yes_no(p.p1), yes_no(p.p2), yes_no(p.exo));
	ms_svc_close(g);
	g = NULL;
	if (case_close(cs) < 0) {
		cs = NULL;
		goto fail;
	}
	cs = NULL;
	/* The logbook: who signed in, to what, how; never a token. */
	if (buf_trf(&line, M_LOGIN_LOG, who, tid, exo_via ? exo_via : tr(M_LOGIN_ST_NO_EXO)) == 0) {
		const char *targets[1] = { who };
		common_log(dir, c, "login", line.p, targets, 1);
	}
	buf_free(&line);
	return;
fail:
	err_context(M_LOGIN_PROBE_FAILED);
	err_warn();
	if (g)
		ms_svc_close(g);
	if (cs)
		case_close(cs);
	buf_free(&line);
}

/* ---- sign-in -------------------------------------------------------------------- */

/* Exchange Online with the delegated sign-in: first the Graph refresh
 * token, redeemed by the same client for the Exchange resource (a refresh
 * token is good for every resource its client is consented to). The two
 * first-party clients are not in the "family of client IDs" whose members
 * redeem each other's refresh tokens (Secureworks, known-foci-clients.csv
 * lists neither 14d82eec… nor fb78d390…), so redeeming it as the Exchange
 * client would only earn AADSTS700022 / 70000. Where the Graph client has
 * no consent for Exchange (the usual case: AADSTS65001), a second code with
 * the Exchange Online PowerShell client, which Microsoft pre-authorises. */
static int exo_sign_in(const struct auth_cfg *a, const struct auth_token *g, struct auth_token *out,
		       const char **via)
{
	struct buf scope = { 0 };
	struct auth_oauth_err e;
	int r = 1;

	if (auth_default_scope(&scope, a->cloud.exo_aud, 1) < 0)
		return -1;
	if (g->refresh) {
		r = auth_refresh(a, g->client_id, g->refresh, scope.p, out, &e);
		if (r == 0) {
			*via = "refresh";
			fprintf(stderr, "%s\n", tr(M_LOGIN_EXO_BY_REFRESH));
		} else if (r == 1) {
			tr_fprintf(stderr, M_LOGIN_EXO_REFUSED, e.code, e.error);
			fprintf(stderr, "\n");
		}
	}
	if (r == 1 || (r < 0 && !g->refresh)) {
		err_clear();
		r = auth_device_flow(a, MS_CLIENT_EXO_PS, scope.p, "Exchange Online", stop_requested, out);
		if (r == 0)
			*via = "device";
	}
	buf_free(&scope);
	return r;
}

static int keep(const struct auth_cfg *a, const struct auth_keyring *k, const char *tid,
		const struct auth_token *g, const struct auth_token *e, const char *via)
{
	char info[512];
	if (auth_store_save(k, tid, MS_AUD_GRAPH, g, a->cloud.authority) < 0 ||
	    (e->access && auth_store_save(k, tid, MS_AUD_EXO, e, a->cloud.authority) < 0) ||
	    auth_store_alias(k, a->tenant, tid) < 0 ||
	    /* Applets run without --tenant look up "organizations": they
	     * get the tenant of the last sign-in. */
	    auth_store_alias(k, "organizations", tid) < 0)
		return -1;
	snprintf(info, sizeof info, "exo=%s\ncloud=%s\nclient=%s\n", via ? via : "none", a->cloud.name,
		 g->client_id);
	return auth_store_put_info(k, tid, info);
}

static int device_login(struct auth_cfg *a, const struct common *c, const char *dir, int no_exo)
{
	struct auth_keyring k;
	struct auth_token g, e;
	struct auth_who w;
	struct buf scope = { 0 };
	const char *via = NULL;
	char tid[256];
	int have_kr = 0, rc = EXIT_FAIL;

	memset(&e, 0, sizeof e);
	if (!a->no_keyring && auth_kr_open(&k) == 0)
		have_kr = 1;
	else
		fprintf(stderr, "reflexe: %s\n", tr(M_AUTH_NO_KEYRING));
	err_clear();
	if (auth_graph_scope_string(&scope) < 0)
		return EXIT_FAIL;
	if (auth_device_flow(a, a->client_id, scope.p, "Microsoft Graph", stop_requested, &g) < 0) {
		buf_free(&scope);
		return EXIT_FAIL;
	}
	buf_free(&scope);
	/* The tenant the account signed in to: the second sign-in and the
	 * keyring use its id, whatever name the responder gave. */
	snprintf(tid, sizeof tid, "%s", a->tenant);
	if (auth_who(g.access, &w) == 0 && auth_tenant_ok(w.tid))
		snprintf(tid, sizeof tid, "%s", w.tid);
	err_clear();
	if (!no_exo) {
		struct auth_cfg t = *a;
		snprintf(t.tenant, sizeof t.tenant, "%s", tid);
		t.secret = NULL;
		if (exo_sign_in(&t, &g, &e, &via) < 0) {
			if (interrupted)
				goto done;
			tr_fprintf(stderr, M_LOGIN_EXO_FAILED, err_msg());
			fprintf(stderr, "\n");
			err_clear();
		}
	}
	if (interrupted) {
		err_set(E_AUTH_INTERRUPTED);
		goto done;
	}
	if (have_kr && keep(a, &k, tid, &g, &e, via) < 0) {
		/* Half a set of keys is worse than none. */
		int n;
		char prefix[300];
		snprintf(prefix, sizeof prefix, "reflexe:%s:", tid);
		auth_kr_wipe_prefix(&k, prefix, &n);
		goto done;
	}
	const char *via_text = via ? tr(!strcmp(via, "refresh") ? M_LOGIN_EXO_VIA_REFRESH : M_LOGIN_EXO_VIA_DEVICE)
		: NULL;
	summary(g.access, e.access, via_text, a->cloud.name, have_kr ? kr_label(&k) : tr(M_LOGIN_KR_NONE));
	fflush(stdout);
	char who[256];
	snprintf(who, sizeof who, "%s", w.upn[0] ? w.upn : "?");
	struct ms_token_source ts;
	struct auth_cfg t = *a;
	snprintf(t.tenant, sizeof t.tenant, "%s", tid);
	t.secret = NULL;
	if (auth_token_source_with(&ts, &t, &g, &e) == 0) {
		probe_and_log(a, &ts, tid, c, dir, who, via_text);
		auth_token_source_free(&ts);
	}
	rc = EXIT_CLEAN;
done:
	auth_token_wipe(&g);
	auth_token_wipe(&e);
	return rc;
}

static int app_login(struct auth_cfg *a, const struct common *c, const char *dir, int no_exo)
{
	struct ms_token_source ts;
	struct buf g = { 0 }, e = { 0 };
	int rc = EXIT_FAIL;

	if (auth_token_source(&ts, a) < 0)
		return EXIT_FAIL;
	if (ts.get(ts.ctx, MS_AUD_GRAPH, &g) < 0)
		goto done;
	if (!no_exo && ts.get(ts.ctx, MS_AUD_EXO, &e) < 0) {
		tr_fprintf(stderr, M_LOGIN_EXO_FAILED, err_msg());
		fprintf(stderr, "\n");
		err_clear();
	}
	summary(g.p, e.len ? e.p : NULL, NULL, a->cloud.name, tr(M_LOGIN_KR_APP));
	fflush(stdout);
	struct auth_who w;
	if (auth_who(g.p, &w) == 0)
		probe_and_log(a, &ts, w.tid[0] ? w.tid : a->tenant, c, dir, w.appid,
			      e.len ? tr(M_LOGIN_EXO_VIA_APP) : NULL);
	err_clear();
	rc = EXIT_CLEAN;
done:
	buf_wipe(&g);
	buf_wipe(&e);
	auth_token_source_free(&ts);
	return rc;
}

int applet_login(int argc, char **argv)
{
	struct ctx x = { 0 };
	struct auth_cfg a;
	int rc;

	rc = common_parse(argc, argv, own, on_opt, &x, &x.c, 0, &help);
	common_free(&x.c);
	if (rc || x.c.help)
		return rc;
	if (x.status + x.consent > 1)
		return err_set(E_LOGIN_MODES), EXIT_USAGE;
	/* A new sign-in (and its consent) is to the cloud named, else
	 * global: only --status, like the applets, follows the cloud of the
	 * session kept for the tenant. */
	if (!x.cloud && !x.status && !(getenv("REFLEXE_CLOUD") && *getenv("REFLEXE_CLOUD")))
		x.cloud = "global";
	if (auth_cfg_init(&a, x.cloud, x.c.tenant, x.client, x.c.proxy) < 0) {
		auth_cfg_free(&a);
		return EXIT_USAGE;
	}
	a.quiet = x.c.quiet;
	auth_harden();
	/* The sandbox: --print-consent and --status write nothing and
	 * connect nowhere; a sign-in writes its case folder (or, until it is
	 * made, its parent: narrowed again then) and talks to this cloud.
	 * The folder is named now when it can be (--case, REFLEXE_CASE, the
	 * only ./case-*, the tenant given), else after the tenant signed in
	 * to; a search that fails here fails again after the sign-in, where
	 * it is said. */
	char dir[4096] = "";
	struct narrow nw = { 0 };
	if (!x.consent && !x.status) {
		if (case_find_dir(x.c.case_dir, case_name(&a, NULL), tm_now(), dir, sizeof dir) < 0) {
			err_clear();
			dir[0] = 0;
		}
		nw.case_dir = *dir ? dir : ".";
		nw.cloud = &a.cloud;
		nw.proxy = x.c.proxy;
	}
	if (common_narrow(&nw) < 0) {
		auth_cfg_free(&a);
		return EXIT_FAIL;
	}
	if (x.consent)
		rc = print_consent(&a);
	else if (x.status)
		rc = status(&a);
	else {
		catch_signals();
		rc = a.mode == AUTH_DEVICE ? device_login(&a, &x.c, dir, x.no_exo)
			: app_login(&a, &x.c, dir, x.no_exo);
		if (rc == EXIT_FAIL && err_id() == E_AADSTS_CONSENT)
			consent_hint(&a);
	}
	fflush(stdout);
	auth_cfg_free(&a);
	return rc;
}

int applet_logout(int argc, char **argv)
{
	struct common c;
	struct auth_keyring k;
	int rc, n = 0;

	rc = common_parse(argc, argv, NULL, NULL, NULL, &c, 0, &logout_help);
	common_free(&c);
	if (rc || c.help)
		return rc;
	/* Into the logbook of the case at hand, if there is one; logout
	 * never makes a case folder, and connects nowhere. */
	char dir[4096];
	int have_case = common_case_dir(&c, 0, dir, sizeof dir) == 0 && file_exists(dir);
	err_clear();
	struct narrow nw = { .case_dir = have_case ? dir : NULL };
	if (common_narrow(&nw) < 0)
		return EXIT_FAIL;
	if (auth_kr_open(&k) < 0) {
		err_clear();
		printf("%s\n", tr(M_LOGOUT_NO_KEYRING));
		return EXIT_CLEAN;
	}
	rc = auth_kr_wipe_prefix(&k, "reflexe:", &n);
	tr_fprintf(stdout, M_LOGOUT_DONE, n, kr_label(&k));
	printf("\n");
	struct buf line = { 0 };
	if (rc == 0 && have_case && buf_trf(&line, M_LOGOUT_DONE, n, kr_label(&k)) == 0)
		common_log(dir, &c, "logout", line.p, NULL, 0);
	err_clear();
	buf_free(&line);
	return rc < 0 ? EXIT_FAIL : EXIT_CLEAN;
}
