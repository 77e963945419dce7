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

/* Lines by seq, for the lookups below. In a sound logbook line k has seq
 * k, but after a deletion every later line is off by one: a linear
 * search per status line would make `list` quadratic on exactly the file
 * someone tampered with. A sorted index and a binary search instead. */
struct seq_ix {
	long long seq;
	size_t i;
};

static int by_seq_cmp(const void *a, const void *b)
{
	const struct seq_ix *x = a, *y = b;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;    /* ties in file order */
}

static struct seq_ix *seq_index(const struct cour_log *log)
{
	struct seq_ix *ix = malloc((log->n ? log->n : 1) * sizeof *ix);
	if (!ix)
		return NULL;
	for (size_t i = 0; i < log->n; i++)
		ix[i] = (struct seq_ix){ log->e[i].seq, i };
	qsort(ix, log->n, sizeof *ix, by_seq_cmp);
	return ix;
}

static const struct cour_entry *find(const struct cour_log *log, const struct seq_ix *ix,
				     long long seq)
{
	if (seq >= 1 && (size_t)seq <= log->n && log->e[seq - 1].seq == seq)
		return &log->e[seq - 1];
	size_t lo = 0, hi = log->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ix[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < log->n && ix[lo].seq == seq ? &log->e[ix[lo].i] : NULL;
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
	/* Status and correction lines point back at a seq; the log is in
	 * file order, so the last one written wins. A line and its
	 * corrections are one action (a "family", named by the original
	 * line): "status 2 done" after "correct 2 …" wrote #7 must close #7
	 * too, or `actions` would keep showing #7 as à faire. Whatever was
	 * written last in the family — the original, a correction (which
	 * carries a status), a status line on any member — sets its status. */
	size_t *root = malloc((log->n ? log->n : 1) * sizeof *root);
	struct seq_ix *by_seq = seq_index(log);
	enum cour_status *fam = malloc((log->n ? log->n : 1) * sizeof *fam);
	long long *fam_seq = malloc((log->n ? log->n : 1) * sizeof *fam_seq);
	if (!root || !fam || !fam_seq || !by_seq) {
		free(by_seq);
		free(root);
		free(fam);
		free(fam_seq);
		free(all);
		return err_set(E_NOMEM);
	}
	for (size_t i = 0; i < log->n; i++) {
		const struct cour_entry *e = &log->e[i];
		long long to = e->kind == COUR_STATUS ? e->status_of
			: e->kind == COUR_CORRECT ? e->corrects : 0;
		const struct cour_entry *t = to ? find(log, by_seq, to) : NULL;
		root[i] = i;
		/* only backwards in the file, and never onto a status line (a
		 * hostile or hand-edited file may point anywhere) */
		size_t ti = t ? (size_t)(t - log->e) : 0;
		if (t && (ti >= i || t->kind == COUR_STATUS))
			t = NULL;
		if (e->kind == COUR_STATUS) {
			if (t) {
				fam[root[ti]] = e->status;
				fam_seq[root[ti]] = e->seq;
			}
			continue;
		}
		if (e->kind == COUR_CORRECT && t) {
			all[ti].corrected_by = e->seq;
			root[i] = root[ti];
		}
		fam[root[i]] = e->status;
		fam_seq[root[i]] = 0;
	}
	for (size_t i = 0; i < log->n; i++)
		if (log->e[i].kind != COUR_STATUS) {
			all[i].eff = fam[root[i]];
			all[i].status_seq = fam_seq[root[i]];
		}
	free(by_seq);
	free(root);
	free(fam);
	free(fam_seq);
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
