/*
 * What every collector opens before asking Microsoft anything: the sign-in
 * (token source), the case folder, the Graph service, and the probe that
 * says what this tenant has and this sign-in may read. Opened once per
 * run: qualify runs every check in one session (one sign-in, one probe).
 */
#include <stdio.h>
#include <string.h>

#include "case/case.h"
#include "collect/collect.h"
#include "ms/ms.h"

static int probe(struct collect_session *s)
{
	/* Always asked again: a probe left by an earlier sign-in may carry
	 * other scopes than this one's. */
	if (ms_probe(s->g, &s->ts, &s->probe) < 0) {
		if (!s->quiet)
			fprintf(stderr, "reflexe: %s: %s\n", tr(M_COLLECT_NO_PROBE), err_msg());
		err_clear();
		memset(&s->probe, 0, sizeof s->probe);
		return 0;
	}
	s->have_probe = 1;
	if (s->probe.tenant_id[0] && case_set_tenant(s->cs, s->probe.tenant_id, s->probe.domains) < 0)
		return -1;
	return 0;
}

int collect_config(struct collect_session *s, const struct common *co)
{
	memset(s, 0, sizeof *s);
	s->quiet = co->quiet;
	s->proxy = co->proxy;
	s->tenant = co->tenant;
	s->parallel = co->parallel ? co->parallel : COLLECT_PARALLEL;
	if (auth_cfg_init(&s->a, NULL, co->tenant, NULL, co->proxy) < 0)
		return -1;
	s->a_init = 1;
	s->a.quiet = co->quiet;
	return 0;
}

int collect_open(struct collect_session *s, const char *case_dir, const struct common *co)
{
	return collect_config(s, co) < 0 ? -1 : collect_start(s, case_dir, co);
}

int collect_start(struct collect_session *s, const char *case_dir, const struct common *co)
{
	if (auth_token_source(&s->ts, &s->a) < 0)
		goto fail;
	s->ts_init = 1;
	/* The tenant signed in to (--tenant, else AZURE_TENANT_ID) names the
	 * case, as --tenant alone did. */
	if (case_open(&s->cs, case_dir, s->a.tenant, co->who, 0) < 0)
		goto fail;
	struct ms_opts mo = {
		.cloud = &s->a.cloud, .tok = s->ts, .cs = s->cs, .parallel = s->parallel,
		.quiet = co->quiet, .proxy = co->proxy, .tenant = co->tenant,
	};
	if (graph_open(&s->g, &mo) < 0 || probe(s) < 0)
		goto fail;
	return 0;
fail:
	collect_close(s);
	return -1;
}

int collect_exo(struct collect_session *s)
{
	if (s->x)
		return 0;
	const char *tenant = s->probe.tenant_id[0] ? s->probe.tenant_id : s->tenant;
	struct ms_opts mo = {
		.cloud = &s->a.cloud, .tok = s->ts, .cs = s->cs,
		.parallel = s->parallel < COLLECT_EXO_PARALLEL ? s->parallel : COLLECT_EXO_PARALLEL,
		.quiet = s->quiet, .proxy = s->proxy, .tenant = tenant,
		.anchor_domain = s->probe.initial_domain[0] ? s->probe.initial_domain : NULL,
		.app_only = s->probe.app,
	};
	return exo_open(&s->x, &mo);
}

const char *collect_tenant(const struct collect_session *s)
{
	if (s->have_probe && s->probe.initial_domain[0])
		return s->probe.initial_domain;
	if (s->have_probe && s->probe.tenant_id[0])
		return s->probe.tenant_id;
	return s->tenant ? s->tenant : "";
}

void collect_stats(struct collect_session *s)
{
	struct ms_svc_stats st;
	ms_svc_stats(s->g, &st);
	if (s->x) {
		struct ms_svc_stats x;
		ms_svc_stats(s->x, &x);
		st.requests += x.requests;
		st.throttled += x.throttled;
		st.waited_ms += x.waited_ms;
	}
	fprintf(stderr, "reflexe: ");
	tr_fprintf(stderr, M_COLLECT_STATS, st.requests, st.subrequests, st.throttled,
		(double)st.waited_ms / 1000.0);
	fputc('\n', stderr);
}

int collect_close(struct collect_session *s)
{
	int rc = 0;
	if (s->x)
		ms_svc_close(s->x);
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
