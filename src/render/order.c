/*
 * The reading order of findings and the verdict's words, shared by the
 * writers.
 */
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

enum msg_id render_verdict_msg(enum verdict v)
{
	switch (v) {
	case VERDICT_CONFIRMED: return M_VERDICT_CONFIRMED;
	case VERDICT_SUSPECTED: return M_VERDICT_SUSPECTED;
	case VERDICT_NOT_DETECTED: return M_VERDICT_NOT_DETECTED;
	default: return M_VERDICT_UNDETERMINED;
	}
}

const char *render_verdict_word(enum verdict v)
{
	return tr(render_verdict_msg(v));
}

static int cmp(const void *a, const void *b)
{
	const struct finding *x = *(const struct finding *const *)a;
	const struct finding *y = *(const struct finding *const *)b;
	if (x->status != y->status)
		return (int)y->status - (int)x->status;
	if (x->sev != y->sev)
		return (int)y->sev - (int)x->sev;
	int d = strcmp(x->rule->id, y->rule->id);
	if (d)
		return d;
	/* Stable among equals: keep the rule's own order. */
	return x < y ? -1 : x > y;
}

const struct finding **render_order(const struct findings *fs)
{
	const struct finding **v = malloc((fs->n ? fs->n : 1) * sizeof *v);
	if (!v) {
		err_set(E_NOMEM);
		return NULL;
	}
	for (size_t i = 0; i < fs->n; i++)
		v[i] = &fs->f[i];
	qsort(v, fs->n, sizeof *v, cmp);
	return v;
}
