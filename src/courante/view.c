/*
 * What a reader sees: the log is append-only, so "current state" is
 * derived here — the latest status of each action (status lines applied
 * in file order), which lines were corrected and by which — then rows are
 * filtered and put in event order (a note written late with --at lands
 * where it happened; ties keep the writing order).
 */
#include <stdlib.h>
#include <string.h>

#include "courante/courante.h"

/* ASCII case-insensitive substring: names and UPNs are what people
 * filter on; accents are compared as written. */
static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (!n)
		return 1;
	for (; *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i]) {
			unsigned char a = (unsigned char)hay[i], b = (unsigned char)needle[i];
			if (a >= 'A' && a <= 'Z') a = (unsigned char)(a + 32);
			if (b >= 'A' && b <= 'Z') b = (unsigned char)(b + 32);
			if (a != b)
				break;
			i++;
		}
		if (i == n)
			return 1;
	}
	return 0;
}

static int by_event(const void *a, const void *b)
{
	const struct cour_row *x = a, *y = b;
	if (x->e->event != y->e->event)
		return x->e->event < y->e->event ? -1 : 1;
	return x->e->seq < y->e->seq ? -1 : x->e->seq > y->e->seq;
}

int cour_view(const struct cour_log *log, const struct cour_filter *f, struct cour_view *v)
{
	struct cour_row *all = calloc(log->n ? log->n : 1, sizeof *all);
	memset(v, 0, sizeof *v);
	if (!all)
		return err_set(E_NOMEM);
	for (size_t i = 0; i < log->n; i++) {
		all[i].e = &log->e[i];
		all[i].eff = log->e[i].status;
	}
	/* status and correction lines point back at a seq; the log is in
	 * file order, so the last one written wins. */
	for (size_t i = 0; i < log->n; i++) {
		const struct cour_entry *e = &log->e[i];
		long long to = e->kind == COUR_STATUS ? e->status_of
			: e->kind == COUR_CORRECT ? e->corrects : 0;
		const struct cour_entry *t = to ? cour_find(log, to) : NULL;
		if (!t || t->seq >= e->seq)     /* only backwards */
			continue;
		struct cour_row *r = &all[t - log->e];
		if (e->kind == COUR_STATUS) {
			r->eff = e->status;
			r->status_seq = e->seq;
		} else {
			r->corrected_by = e->seq;
		}
	}
	size_t k = 0;
	for (size_t i = 0; i < log->n; i++) {
		const struct cour_row *r = &all[i];
		const struct cour_entry *e = r->e;
		if (f) {
			if (f->who && !contains_ci(e->who, f->who))
				continue;
			if (f->since && e->event < f->since)
				continue;
			if ((f->status || f->actions_only) && e->kind == COUR_STATUS)
				continue;
			if (f->status && (int)r->eff != f->status)
				continue;
			if (f->actions_only && (r->corrected_by ||
			    (r->eff != COUR_ST_TODO && r->eff != COUR_ST_DOING)))
				continue;
			if (f->target) {
				int hit = 0;
				for (size_t t = 0; t < e->ntargets && !hit; t++)
					hit = contains_ci(e->targets[t], f->target);
				if (!hit)
					continue;
			}
		}
		all[k++] = *r;
	}
	qsort(all, k, sizeof *all, by_event);
	v->r = all;
	v->n = k;
	return 0;
}

void cour_view_free(struct cour_view *v)
{
	free(v->r);
	v->r = NULL;
	v->n = 0;
}
