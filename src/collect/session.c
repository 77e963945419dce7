/*
 * What every collector opens before asking Microsoft anything: the sign-in
 * (token source), the case folder, the Graph service, and the probe that
 * says what this tenant has and this sign-in may read. check-mail and
 * check-apps open the same way.
 */
#include <stdio.h>
#include <string.h>

#include "case/case.h"
#include "collect/collect.h"
#include "ms/ms.h"

int collect_open(struct collect_session *s, const char *case_dir, const struct common *co)
{
	memset(s, 0, sizeof *s);
	s->quiet = co->quiet;
	if (auth_cfg_init(&s->a, NULL, co->tenant, NULL, co->proxy) < 0)
		return -1;
	s->a_init = 1;
	s->a.quiet = co->quiet;
	if (auth_token_source(&s->ts, &s->a) < 0)
		goto fail;
	s->ts_init = 1;
	/* The tenant signed in to (--tenant, else AZURE_TENANT_ID) names the
	 * case, as --tenant alone did. */
	if (case_open(&s->cs, case_dir, s->a.tenant, co->who, 0) < 0)
		goto fail;
	struct ms_opts mo = {
		.cloud = &s->a.cloud, .tok = s->ts, .cs = s->cs, .parallel = co->parallel ? co->parallel : COLLECT_PARALLEL,
		.quiet = co->quiet, .proxy = co->proxy, .tenant = co->tenant,
	};
	if (graph_open(&s->g, &mo) < 0)
		goto fail;
	return 0;
fail:
	collect_close(s);
	return -1;
}

int collect_probe(struct collect_session *s, struct ms_probe *p)
{
	/* Always asked again: a probe left by an earlier sign-in may carry
	 * other scopes than this one's. */
	if (ms_probe(s->g, &s->ts, p) < 0) {
		if (!s->quiet)
			fprintf(stderr, "reflexe: %s: %s\n", tr(M_COLLECT_NO_PROBE), err_msg());
		err_clear();
		return -1;
	}
	if (p->tenant_id[0] && case_set_tenant(s->cs, p->tenant_id, p->domains) < 0)
		return -1;
	return 0;
}

void collect_stats(struct collect_session *s)
{
	struct ms_svc_stats st;
	ms_svc_stats(s->g, &st);
	fprintf(stderr, "reflexe: ");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	fprintf(stderr, tr(M_COLLECT_STATS), st.requests, st.subrequests, st.throttled,
		(double)st.waited_ms / 1000.0);
#pragma GCC diagnostic pop
	fputc('\n', stderr);
}

int collect_close(struct collect_session *s)
{
	int rc = 0;
	if (s->g)
		ms_svc_close(s->g);
	if (s->cs && case_close(s->cs) < 0)
		rc = -1;
	if (s->ts_init)
		auth_token_source_free(&s->ts);
	if (s->a_init)
		auth_cfg_free(&s->a);
	memset(s, 0, sizeof *s);
	return rc;
}

int collect_save(const char *case_dir, const struct common *co, const char *rel,
		 const struct buf *data)
{
	struct case_dir *cs;
	if (case_open(&cs, case_dir, co->tenant, co->who, 0) < 0)
		return -1;
	int rc = case_save(cs, rel, data->p ? data->p : "", data->len, NULL);
	if (case_close(cs) < 0)
		rc = -1;
	return rc;
}
