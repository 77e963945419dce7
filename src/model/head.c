/*
 * What every check's model reads first: the collection record, the case's
 * time and names, and the window the rules look at.
 */
#include <stdio.h>
#include <string.h>

#include "case/case.h"
#include "model/model.h"

int mdl_head_load(struct case_dir *cs, const char *check, const struct tm_window *w, int64_t dflt,
		  const int *logs, size_t nlogs, struct mdl_head *h)
{
	const struct case_info *ci = case_info(cs);
	if (mdl_record_read(cs, check, &h->rec, h->src, h->nsrc) < 0)
		return -1;
	/* Without a record, every source is read if its pages are there. */
	if (!h->rec.found)
		for (size_t s = 0; s < h->nsrc; s++)
			h->src[s].st = MDL_ST_OK;
	int64_t started = 0;
	int off, has;
	if (ci->started[0] && tm_parse_iso(ci->started, &started, &off, &has) < 0) {
		started = 0;
		err_clear();
	}
	h->now = h->rec.until ? h->rec.until : started ? started : tm_now();
	snprintf(h->tenant_id, sizeof h->tenant_id, "%s", ci->tenant_id);
	snprintf(h->tenant_domains, sizeof h->tenant_domains, "%s", ci->domains);
	snprintf(h->tenant, sizeof h->tenant, "%s",
		 h->rec.tenant[0] ? h->rec.tenant : ci->tenant_id[0] ? ci->tenant_id : ci->tenant);
	h->since = w && (w->abs || w->dur) ? tm_window_start(w, h->now, dflt) :
		   h->rec.since ? h->rec.since : h->now - dflt;
	/* An --offline window wider than the collection's: the logs were
	 * asked for from the record's "since" only. */
	for (size_t i = 0; i < nlogs; i++) {
		struct mdl_src *s = &h->src[logs[i]];
		if (h->rec.since > h->since && h->rec.since > s->since) {
			s->since = h->rec.since;
			s->since_collected = 1;
		}
	}
	return 0;
}

void mdl_src_state_copy(struct mdl_src *to, const struct mdl_src *from)
{
	to->st = from->st;
	memcpy(to->detail, from->detail, sizeof to->detail);
	memcpy(to->needs_rec, from->needs_rec, sizeof to->needs_rec);
	to->since = from->since;
	to->since_collected = from->since_collected;
}

void mdl_src_init(struct mdl_src *out, const struct mdl_src_def *def, size_t n)
{
	memset(out, 0, n * sizeof *out);
	for (size_t s = 0; s < n; s++) {
		out[s].name = def[s].name;
		out[s].rel = def[s].rel;
		out[s].needs = def[s].needs;
	}
}

int mdl_src_pages(struct case_dir *cs, struct mdl_src *src, const char *rel, mdl_item_fn fn, void *ctx)
{
	size_t np = 0;
	int r = mdl_pages(cs, rel, fn, ctx, &np);
	if (r < 0) {
		if (mdl_fatal(r))
			return -1;
		src->st = MDL_ST_BAD;
		snprintf(src->detail, sizeof src->detail, "%s", err_msg());
		err_clear();
		return 0;
	}
	src->npages += np;
	return np > 0;
}

int mdl_src_read(struct case_dir *cs, struct mdl_head *h, size_t s, const char *rel, mdl_item_fn fn,
		 void *ctx)
{
	struct mdl_src *src = &h->src[s];
	/* Recorded as not collected (licence, permission…): nothing to read,
	 * and pages that might be there anyway are not trusted. */
	if (h->rec.found && src->st != MDL_ST_OK)
		return 0;
	int r = mdl_src_pages(cs, src, rel, fn, ctx);
	if (r < 0 || src->st == MDL_ST_BAD)
		return r < 0 ? -1 : 0;
	if (r)
		src->st = MDL_ST_OK;
	else if (h->rec.found) {
		/* Recorded as collected, yet no page: evidence went missing. */
		src->st = MDL_ST_BAD;
		snprintf(src->detail, sizeof src->detail, "%s", tr(M_MDL_NO_PAGES));
	} else
		src->st = MDL_ST_ABSENT;
	return 0;
}
