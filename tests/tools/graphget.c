/*
 * graphget — test-only: drives the Graph and Exchange clients exactly as
 * the applets will (same ms/ services, guard, case folder), with a fixed
 * token from the environment instead of a sign-in.
 *
 *   graphget --case DIR [options] list PATH
 *   graphget --case DIR [options] batch VERSION URL...   ("none:URL": 404 = none)
 *   graphget --case DIR [options] batch VERSION --ids-from PATH --template T
 *   graphget --case DIR [options] exo CMDLET [--param JSON]
 *   graphget --case DIR [options] probe
 *   graphget --case DIR [options] raw METHOD URL [--body TEXT]
 *
 * Options: --tenant T, --offline, -q, --parallel N, --max-retries N,
 * --max-wait S, --idle-ms N, --lang fr|en, --stats;
 * list: --select, --filter, --top, --expand, --count, --eventual,
 * --none-404, --save-as REL; --print raw|ids|none (default raw).
 * Endpoints: REFLEXE_GRAPH_URL, REFLEXE_EXO_URL, AZURE_AUTHORITY_HOST
 * (ms_cloud_init). Tokens: REFLEXE_TEST_TOKEN (Graph) and
 * REFLEXE_TEST_EXO_TOKEN (Exchange).
 *
 * Output (stdout): one "item\t<evidence path>\t<raw JSON>" line per item
 * (--print raw), then "result\t<what>\t<status>\t<items>\t<pages>\t<code>"
 * lines; with --stats a "stats\t…" line. Exit: 0 done (whatever the
 * results), 3 a failure (one line on stderr), 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "ms/ms.h"

enum { O_CASE = 1, O_TENANT, O_OFFLINE, O_QUIET, O_PAR, O_RETRIES, O_WAIT, O_IDLE, O_LANG,
       O_STATS, O_SELECT, O_FILTER, O_TOP, O_EXPAND, O_COUNT, O_EVENTUAL, O_NONE404,
       O_SAVEAS, O_PRINT, O_PARAM, O_BODY, O_IDSFROM, O_TEMPLATE };

static const struct opt_spec opts[] = {
	{ "case", 0, OPT_ARG, O_CASE }, { "tenant", 0, OPT_ARG, O_TENANT },
	{ "offline", 0, OPT_NOARG, O_OFFLINE }, { "quiet", 'q', OPT_NOARG, O_QUIET },
	{ "parallel", 0, OPT_ARG, O_PAR }, { "max-retries", 0, OPT_ARG, O_RETRIES },
	{ "max-wait", 0, OPT_ARG, O_WAIT }, { "idle-ms", 0, OPT_ARG, O_IDLE },
	{ "lang", 0, OPT_ARG, O_LANG }, { "stats", 0, OPT_NOARG, O_STATS },
	{ "select", 0, OPT_ARG, O_SELECT }, { "filter", 0, OPT_ARG, O_FILTER },
	{ "top", 0, OPT_ARG, O_TOP }, { "expand", 0, OPT_ARG, O_EXPAND },
	{ "count", 0, OPT_NOARG, O_COUNT }, { "eventual", 0, OPT_NOARG, O_EVENTUAL },
	{ "none-404", 0, OPT_NOARG, O_NONE404 }, { "save-as", 0, OPT_ARG, O_SAVEAS },
	{ "print", 0, OPT_ARG, O_PRINT }, { "param", 0, OPT_ARG, O_PARAM },
	{ "body", 0, OPT_ARG, O_BODY }, { "ids-from", 0, OPT_ARG, O_IDSFROM },
	{ "template", 0, OPT_ARG, O_TEMPLATE },
	{ NULL, 0, 0, 0 },
};

static enum { P_RAW, P_IDS, P_NONE } print_mode = P_RAW;

/* ---- a fixed token source ------------------------------------------------------- */

static int fixed_token(void *ctx, enum ms_audience aud, struct buf *out)
{
	(void)ctx;
	const char *t = getenv(aud == MS_AUD_GRAPH ? "REFLEXE_TEST_TOKEN" : "REFLEXE_TEST_EXO_TOKEN");
	if (!t || !*t)
		return err_set(E_MS_OPTS, aud == MS_AUD_GRAPH ? "Graph" : "Exchange", "REFLEXE_TEST_TOKEN");
	buf_reset(out);
	return buf_puts(out, t);
}

/* ---- output -------------------------------------------------------------------------- */

static int print_item(void *ctx, const struct json *j, int item, const char *ev)
{
	(void)ctx;
	size_t n;
	const char *raw = json_raw(j, item, &n);
	if (print_mode == P_RAW) {
		printf("item\t%s\t%.*s\n", ev, (int)n, raw);
	} else if (print_mode == P_IDS) {
		char id[256];
		if (json_str(j, item, "id", id, sizeof id) != 0)
			snprintf(id, sizeof id, "-");
		err_clear();
		printf("item\t%s\t%s\n", ev, id);
	}
	return 0;
}

static void print_result(const char *what, const struct ms_result *r)
{
	char txt[512];
	ms_result_text(r, txt, sizeof txt);
	printf("result\t%s\t%s\t%lu\t%u\t%s\t%s\n", what, ms_status_name(r->st), r->items, r->pages,
	       r->code, txt);
}

/* ids of a listing, for --ids-from */
struct ids { char **v; size_t n, cap; };

static int collect_id(void *ctx, const struct json *j, int item, const char *ev)
{
	struct ids *ids = ctx;
	char id[256];
	(void)ev;
	if (json_str(j, item, "id", id, sizeof id) != 0 || !id[0]) {
		err_clear();
		return 0;
	}
	if (ids->n == ids->cap) {
		size_t c = ids->cap ? ids->cap * 2 : 256;
		char **v = realloc(ids->v, c * sizeof *v);
		if (!v)
			return err_set(E_NOMEM);
		ids->v = v;
		ids->cap = c;
	}
	return (ids->v[ids->n++] = xstrdup(id)) ? 0 : -1;
}

static int usage(void)
{
	fprintf(stderr, "usage: graphget --case DIR [options] list PATH | batch VERSION URL... | "
			"exo CMDLET | probe | raw METHOD URL\n");
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	const char *case_dir = NULL, *tenant = NULL, *lang = NULL, *param = NULL, *body = NULL;
	const char *ids_from = NULL, *templ = NULL;
	struct graph_query q = { 0 };
	struct ms_opts mo = { 0 };
	struct ms_cloud cloud;
	struct case_dir *cs = NULL;
	struct ms_svc *svc = NULL;
	int stats = 0, rc = EXIT_FAIL;
	char **pos = calloc((size_t)argc + 1, sizeof *pos);
	struct opt_state st;
	const struct opt_spec *const tables[] = { opts, NULL };

	opt_init(&st, argc, argv, pos);
	for (int id; (id = opt_next(&st, tables)) != 0;) {
		if (id < 0) {
			fprintf(stderr, "graphget: %s\n", err_msg());
			return EXIT_USAGE;
		}
		const char *a = st.arg;
		switch (id) {
		case O_CASE: case_dir = a; break;
		case O_TENANT: tenant = a; break;
		case O_OFFLINE: mo.offline = 1; break;
		case O_QUIET: mo.quiet = 1; break;
		case O_PAR: mo.parallel = atoi(a); break;
		case O_RETRIES: mo.max_retries = atoi(a); break;
		case O_WAIT: mo.max_wait_s = atoi(a); break;
		case O_IDLE: mo.idle_ms = atoi(a); break;
		case O_LANG: lang = a; break;
		case O_STATS: stats = 1; break;
		case O_SELECT: q.select = a; break;
		case O_FILTER: q.filter = a; break;
		case O_TOP: q.top = atoi(a); break;
		case O_EXPAND: q.expand = a; break;
		case O_COUNT: q.count = 1; break;
		case O_EVENTUAL: q.eventual = 1; break;
		case O_NONE404: q.none_on_404 = 1; break;
		case O_SAVEAS: q.save_as = a; break;
		case O_PRINT:
			print_mode = !strcmp(a, "ids") ? P_IDS : !strcmp(a, "none") ? P_NONE : P_RAW;
			break;
		case O_PARAM: param = a; break;
		case O_BODY: body = a; break;
		case O_IDSFROM: ids_from = a; break;
		case O_TEMPLATE: templ = a; break;
		}
	}
	if (i18n_init(lang) < 0 || !case_dir || st.npos < 1)
		return usage();
	const char *cmd = pos[0];
	/* raw requests to the Exchange endpoint go through its service */
	int exo = !strcmp(cmd, "exo") ||
		  (!strcmp(cmd, "raw") && st.npos == 3 && strstr(pos[2], "/adminapi/"));

	if (ms_cloud_init(&cloud, NULL) < 0 ||
	    case_open(&cs, case_dir, tenant, "graphget", mo.offline) < 0)
		goto fail;
	mo.cloud = &cloud;
	mo.cs = cs;
	mo.tok = (struct ms_token_source){ fixed_token, NULL };
	mo.tenant = tenant;
	if (exo) {
		/* the anchor's domain, from the probe when there is one */
		static struct ms_probe p;
		if (ms_probe_read(case_dir, &p) == 0) {
			mo.anchor_domain = p.initial_domain;
			if (!mo.tenant)
				mo.tenant = p.tenant_id;
		}
		err_clear();
	}
	if ((exo ? exo_open(&svc, &mo) : graph_open(&svc, &mo)) < 0)
		goto fail;

	if (!strcmp(cmd, "list") && st.npos == 2) {
		struct ms_result r;
		q.path = pos[1];
		int x = graph_list(svc, &q, print_item, NULL, &r);
		print_result(q.path, &r);
		if (x < 0)
			goto fail;
	} else if (!strcmp(cmd, "batch") && st.npos >= 2) {
		struct ids ids = { 0 };
		struct graph_sub *subs;
		size_t n = 0;
		if (ids_from) {
			/* saved apart from a listing of the same path */
			struct buf as = { 0 };
			if (ms_path_dir("graph", ids_from, &as) < 0 || buf_puts(&as, "@ids") < 0)
				goto fail;
			struct graph_query lq = { .path = ids_from, .select = "id", .top = 999,
						  .save_as = as.p };
			struct ms_result r;
			int x = !templ ? -1 : graph_list(svc, &lq, collect_id, &ids, &r);
			buf_free(&as);
			if (x < 0)
				goto fail;
			n = ids.n;
		} else {
			n = (size_t)st.npos - 2;
		}
		subs = calloc(n ? n : 1, sizeof *subs);
		for (size_t i = 0; i < n; i++) {
			if (ids_from) {
				struct buf u = { 0 };
				const char *at = strstr(templ, "{id}");
				if (at)
					buf_printf(&u, "%.*s%s%s", (int)(at - templ), templ, ids.v[i], at + 4);
				else
					buf_puts(&u, templ);
				subs[i].url = u.p;     /* kept until exit */
				subs[i].none_on_404 = q.none_on_404;
			} else {
				/* "none:/url": a 404 there means "none" */
				const char *u = pos[2 + i];
				subs[i].none_on_404 = q.none_on_404 || !strncmp(u, "none:", 5);
				subs[i].url = !strncmp(u, "none:", 5) ? u + 5 : u;
			}
			subs[i].eventual = q.eventual;
		}
		int x = graph_batch(svc, pos[1], subs, n, print_item, NULL);
		for (size_t i = 0; i < n; i++)
			print_result(subs[i].url, &subs[i].res);
		for (size_t i = 0; i < ids.n; i++) {
			free(ids.v[i]);
			free((char *)subs[i].url);
		}
		free(ids.v);
		free(subs);
		if (x < 0)
			goto fail;
	} else if (exo && st.npos == 2) {
		struct ms_result r;
		int x = exo_invoke(svc, pos[1], param, q.save_as, print_item, NULL, &r);
		print_result(pos[1], &r);
		if (x < 0)
			goto fail;
	} else if (!strcmp(cmd, "probe") && st.npos == 1) {
		struct ms_probe p;
		struct ms_token_source tok = { fixed_token, NULL };
		if (ms_probe(svc, &tok, &p) < 0)
			goto fail;
		printf("probe\ttenant=%s\tinitial=%s\tp1=%d\tp2=%d\texo=%d\tapp=%d\twho=%s\n", p.tenant_id,
		       p.initial_domain, p.p1, p.p2, p.exo, p.app, p.who);
		printf("probe\troles=%s\n", p.dir_roles);
		printf("probe\tscopes=%s\n", p.scopes);
		printf("probe\tdomains=%s\n", p.domains);
		printf("probe\tsku_error=%s\troles_error=%s\n", p.sku_error, p.roles_error);
	} else if (!strcmp(cmd, "raw") && st.npos == 3) {
		/* Any request through the product's path: for guard tests. */
		struct ms_call c = { .method = pos[1], .url = pos[2], .body = body,
				     .body_len = body ? strlen(body) : 0, .exo = exo };
		int x = ms_call_do(svc, &c);
		ms_call_log(svc, &c, NULL, NULL, x < 0 ? err_msg() : NULL);
		if (x < 0)
			goto fail;
		printf("status\t%d\n", c.resp.status);
		ms_call_free(&c);
	} else {
		rc = usage();
		goto out;
	}
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "graphget: %s\n", err_msg());
	rc = EXIT_FAIL;
out:
	if (svc && stats) {
		struct ms_svc_stats s;
		ms_svc_stats(svc, &s);
		printf("stats\trequests=%lu\tsubrequests=%lu\tthrottled=%lu\tretries=%lu\twaited_ms=%lld"
		       "\thandshakes=%lu\n", s.requests, s.subrequests, s.throttled, s.retries,
		       (long long)s.waited_ms, s.handshakes);
	}
	ms_svc_close(svc);
	if (cs && case_close(cs) < 0 && rc == 0) {
		fprintf(stderr, "graphget: %s\n", err_msg());
		rc = EXIT_FAIL;
	}
	free(pos);
	return rc;
}
