/*
 * Per-record string memory: what a record's event points at lives until
 * the next record. Chunks of 64 KiB (a larger string gets its own), all
 * but the first dropped at each reset, so that one huge record does not
 * keep its memory for the rest of the file.
 */
#include <stdlib.h>
#include <string.h>

#include "export/export.h"

#define CHUNK (64u * 1024)

struct exp_chunk {
	struct exp_chunk *next;
	size_t cap, used;
	char data[];
};

char *exp_alloc(struct exp_arena *a, size_t n)
{
	struct exp_chunk *c = a->head;
	n = (n + 7) & ~(size_t)7;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > CHUNK ? n : CHUNK;
		struct exp_chunk *d = malloc(sizeof *d + cap);
		if (!d) {
			err_set(E_NOMEM);
			return NULL;
		}
		d->cap = cap;
		d->used = 0;
		/* a big one-off goes behind the current chunk, which keeps
		 * serving the small strings */
		if (c && n > CHUNK) {
			d->next = c->next;
			c->next = d;
		} else {
			d->next = c;
			a->head = d;
		}
		c = d;
	}
	char *p = c->data + c->used;
	c->used += n;
	a->used += n;
	return p;
}

char *exp_strndup(struct exp_arena *a, const char *s, size_t n)
{
	char *p = exp_alloc(a, n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}

void exp_arena_reset(struct exp_arena *a)
{
	struct exp_chunk *c = a->head;
	if (!c)
		return;
	/* keep the last chunk of the list (the first ever made): 64 KiB */
	while (c->next) {
		struct exp_chunk *n = c->next;
		free(c);
		c = n;
	}
	if (c->cap > CHUNK) {
		free(c);
		c = NULL;
	} else {
		c->used = 0;
	}
	a->head = c;
	a->used = 0;
}

void exp_arena_free(struct exp_arena *a)
{
	for (struct exp_chunk *c = a->head; c;) {
		struct exp_chunk *n = c->next;
		free(c);
		c = n;
	}
	a->head = NULL;
	a->used = 0;
}
