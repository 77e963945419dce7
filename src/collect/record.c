/*
 * The state of each source as its calls end, and collect/<check>.json,
 * the record model/ reads back (mdl_record_read): what was attempted, in
 * which window, and per source ok / licence / denied / failed / skipped
 * with what it needs. A source is never "clean" for lack of an answer.
 */
#include <stdio.h>
#include <string.h>

#include "case/case.h"
#include "collect/collect.h"

void collect_note(struct mdl_src *x, const struct ms_result *r)
{
	enum mdl_state st;
	switch (r->st) {
	case MS_OK:
	case MS_NONE:
		if (x->st == MDL_ST_ABSENT)
			x->st = MDL_ST_OK;
		return;
	case MS_UNKNOWN:
		st = r->need == MS_NEED_P1 || r->need == MS_NEED_P2 || r->need == MS_NEED_EXO ?
		     MDL_ST_LICENCE : MDL_ST_DENIED;
		break;
	default:
		st = MDL_ST_FAILED;
		break;
	}
	static const int rank[] = { [MDL_ST_ABSENT] = 0, [MDL_ST_OK] = 1, [MDL_ST_SKIPPED] = 2,
				    [MDL_ST_LICENCE] = 3, [MDL_ST_DENIED] = 4, [MDL_ST_FAILED] = 5,
				    [MDL_ST_BAD] = 6 };
	if (rank[st] < rank[x->st])
		return;
	x->st = st;
	if (r->http)
		snprintf(x->detail, sizeof x->detail, "HTTP %d %s", r->http, r->code);
	else
		ms_result_text(r, x->detail, sizeof x->detail);
	if (r->st == MS_FAILED && r->detail[0])
		ms_strcpy(x->detail, sizeof x->detail, r->detail);
	const char *need = r->need == MS_NEED_P1 ? "Entra ID P1" : r->need == MS_NEED_P2 ? "Entra ID P2" :
			   r->need == MS_NEED_EXO ? "Exchange Online" : NULL;
	struct buf n = { 0 };
	if (need && buf_puts(&n, need) < 0)
		err_clear();
	if (r->needs[0] && ((n.len && buf_puts(&n, " + ") < 0) || buf_puts(&n, r->needs) < 0))
		err_clear();
	if (n.p)
		ms_strcpy(x->needs_rec, sizeof x->needs_rec, n.p);
	buf_free(&n);
}

int collect_lacks(const struct collect_session *s, struct mdl_src *src, enum ms_need licence,
		  const char *scopes)
{
	struct ms_result r;
	if (!s->have_probe || !ms_probe_lacks(&s->probe, licence, scopes, &r))
		return 0;
	collect_note(src, &r);
	return 1;
}

void collect_retention(const struct collect_session *s, struct mdl_src *src, const int *logs,
		       size_t nlogs, int64_t since, int64_t now)
{
	int keep = !s->have_probe ? 0 : s->probe.p1 == 0 ? 7 : s->probe.p1 == 1 ? 30 : 0;
	for (size_t i = 0; keep && i < nlogs; i++) {
		struct mdl_src *r = &src[logs[i]];
		if (r->st != MDL_ST_OK || since >= now - keep * 86400)
			continue;
		r->since = now - keep * 86400;
		snprintf(r->detail, sizeof r->detail, "%d days kept (%s)", keep,
			 keep == 7 ? "Entra ID Free" : "Entra ID P1/P2");
		snprintf(r->needs_rec, sizeof r->needs_rec, "%s", keep == 7 ? "Entra ID P1 (30 days)" :
			 "diagnostic settings to Log Analytics or storage (beyond 30 days)");
	}
}

int collect_record(struct collect_session *s, const char *check, const struct mdl_src *src,
		   size_t n, int64_t since, int64_t until)
{
	char a[32], b[32], rel[128];
	struct buf o = { 0 };
	tm_utc_iso(since, a, sizeof a);
	tm_utc_iso(until, b, sizeof b);
	int rc = buf_puts(&o, "{\"applet\":") | json_put_str(&o, check) | buf_puts(&o, ",\"tenant\":") |
		 json_put_str(&o, collect_tenant(s)) |
		 buf_printf(&o, ",\"since\":\"%s\",\"until\":\"%s\",\"sources\":{", a, b);
	for (size_t k = 0; k < n && rc == 0; k++) {
		const struct mdl_src *r = &src[k];
		/* Never attempted (no call made, no probe refusal): skipped. */
		enum mdl_state st = r->st == MDL_ST_ABSENT ? MDL_ST_SKIPPED : r->st;
		rc = buf_printf(&o, "%s\n\"%s\":{\"state\":\"%s\"", k ? "," : "", r->name, mdl_state_name(st)) |
		     buf_puts(&o, ",\"detail\":") | json_put_str(&o, r->detail) | buf_puts(&o, ",\"needs\":") |
		     json_put_str(&o, r->needs_rec);
		if (r->since) {
			char t[32];
			tm_utc_iso(r->since, t, sizeof t);
			rc |= buf_printf(&o, ",\"since\":\"%s\"", t);
		}
		rc |= buf_puts(&o, "}");
	}
	rc |= buf_puts(&o, "}}\n");
	snprintf(rel, sizeof rel, "collect/%s.json", check);
	if (rc == 0)
		rc = case_save(s->cs, rel, o.p, o.len, NULL);
	buf_free(&o);
	return rc ? -1 : 0;
}
