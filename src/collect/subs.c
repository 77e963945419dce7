/*
 * A $batch of GETs under construction: each sub-request tagged with the
 * source its answer counts for, the URLs and folders built for them owned
 * here until the batch is done.
 */
#include <stdlib.h>
#include <string.h>

#include "collect/collect.h"

const char *collect_subs_own(struct collect_subs *s, struct buf *b)
{
	if (s->nown == s->capown) {
		size_t c = s->capown ? s->capown * 2 : 64;
		char **p = realloc(s->owned, c * sizeof *p);
		if (!p) {
			err_set(E_NOMEM);
			return NULL;
		}
		s->owned = p;
		s->capown = c;
	}
	char *x = b->p ? b->p : xstrdup("");
	if (!x)
		return NULL;
	b->p = NULL;
	b->len = b->cap = 0;
	return s->owned[s->nown++] = x;
}

int collect_subs_add(struct collect_subs *s, int src, const char *url, const char *save_as,
		     int none_on_404)
{
	if (!url || !save_as)
		return -1;
	if (s->n == s->cap) {
		size_t c = s->cap ? s->cap * 2 : 32;
		struct graph_sub *v = realloc(s->v, c * sizeof *v);
		if (!v)
			return err_set(E_NOMEM);
		s->v = v;
		int *x = realloc(s->src, c * sizeof *x);
		if (!x)
			return err_set(E_NOMEM);
		s->src = x;
		s->cap = c;
	}
	memset(&s->v[s->n], 0, sizeof s->v[s->n]);
	s->v[s->n].url = url;
	s->v[s->n].save_as = save_as;
	s->v[s->n].none_on_404 = none_on_404;
	s->src[s->n] = src;
	s->n++;
	return 0;
}

int collect_subs_run(struct collect_session *cs, struct collect_subs *s, ms_item_fn fn, void *ctx,
		     struct mdl_src *srcs)
{
	if (graph_batch(cs->g, "v1.0", s->v, s->n, fn, ctx) < 0)
		return -1;
	for (size_t i = 0; i < s->n; i++)
		collect_note(&srcs[s->src[i]], &s->v[i].res);
	return 0;
}

void collect_subs_free(struct collect_subs *s)
{
	for (size_t i = 0; i < s->nown; i++)
		free(s->owned[i]);
	free(s->owned);
	free(s->v);
	free(s->src);
	memset(s, 0, sizeof *s);
}
