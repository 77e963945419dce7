/*
 * String interning and the id map. Sign-in logs repeat the same few IPs,
 * countries, apps and UPNs thousands of times: one copy of each keeps a
 * 100,000-sign-in case well under the memory budget.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/model.h"

#define CHUNK (64 * 1024)

struct mdl_chunk {
	struct mdl_chunk *next;
	size_t used, cap;
	char data[];
};

/* FNV-1a, 64-bit; case-folded for the map. Not a security boundary: the
 * tables grow at half load, so a hostile set of keys costs time (bounded
 * by MDL_MAX_ITEMS), never correctness. */
static uint64_t hash(const char *s, int fold)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (fold && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		h = (h ^ c) * 1099511628211ULL;
	}
	return h;
}

static char *arena_copy(struct mdl_arena *a, const char *s, size_t n)
{
	struct mdl_chunk *c = a->head;
	if (!c || c->cap - c->used < n + 1) {
		size_t cap = n + 1 > CHUNK ? n + 1 : CHUNK;
		c = malloc(sizeof *c + cap);
		if (!c) {
			err_set(E_NOMEM);
			return NULL;
		}
		c->next = a->head;
		c->used = 0;
		c->cap = cap;
		a->head = c;
	}
	char *p = c->data + c->used;
	memcpy(p, s, n);
	p[n] = 0;
	c->used += n + 1;
	return p;
}

static int intern_grow(struct mdl_arena *a)
{
	size_t n = a->nslot ? a->nslot * 2 : 1024;
	char **s = calloc(n, sizeof *s);
	if (!s)
		return err_set(E_NOMEM);
	for (size_t i = 0; i < a->nslot; i++) {
		if (!a->slot[i])
			continue;
		size_t k = hash(a->slot[i], 0) & (n - 1);
		while (s[k])
			k = (k + 1) & (n - 1);
		s[k] = a->slot[i];
	}
	free(a->slot);
	a->slot = s;
	a->nslot = n;
	return 0;
}

const char *mdl_intern(struct mdl_arena *a, const char *s)
{
	if (!s)
		return NULL;
	if ((a->nused + 1) * 2 > a->nslot && intern_grow(a) < 0)
		return NULL;
	size_t k = hash(s, 0) & (a->nslot - 1);
	while (a->slot[k]) {
		if (!strcmp(a->slot[k], s))
			return a->slot[k];
		k = (k + 1) & (a->nslot - 1);
	}
	char *p = arena_copy(a, s, strlen(s));
	if (!p)
		return NULL;
	a->slot[k] = p;
	a->nused++;
	return p;
}

void mdl_arena_free(struct mdl_arena *a)
{
	struct mdl_chunk *c = a->head;
	while (c) {
		struct mdl_chunk *n = c->next;
		free(c);
		c = n;
	}
	free(a->slot);
	memset(a, 0, sizeof *a);
}

size_t mdl_map_get(const struct mdl_map *m, const char *k)
{
	if (!k || !m->n)
		return MDL_NONE;
	size_t i = hash(k, 1) & (m->n - 1);
	while (m->s[i].k) {
		if (!strcasecmp(m->s[i].k, k))
			return m->s[i].v;
		i = (i + 1) & (m->n - 1);
	}
	return MDL_NONE;
}

int mdl_map_put(struct mdl_map *m, const char *k, size_t v)
{
	if (!k)
		return 0;
	if ((m->used + 1) * 2 > m->n) {
		size_t n = m->n ? m->n * 2 : 256;
		struct mdl_map_slot *s = calloc(n, sizeof *s);
		if (!s)
			return err_set(E_NOMEM);
		for (size_t i = 0; i < m->n; i++) {
			if (!m->s[i].k)
				continue;
			size_t j = hash(m->s[i].k, 1) & (n - 1);
			while (s[j].k)
				j = (j + 1) & (n - 1);
			s[j] = m->s[i];
		}
		free(m->s);
		m->s = s;
		m->n = n;
	}
	size_t i = hash(k, 1) & (m->n - 1);
	while (m->s[i].k) {
		if (!strcasecmp(m->s[i].k, k)) {
			m->s[i].v = v;
			return 0;
		}
		i = (i + 1) & (m->n - 1);
	}
	m->s[i].k = k;
	m->s[i].v = v;
	m->used++;
	return 0;
}

void mdl_map_free(struct mdl_map *m)
{
	free(m->s);
	memset(m, 0, sizeof *m);
}

void *mdl_push(void **v, size_t *n, size_t *cap, size_t elsz)
{
	if (*n >= MDL_MAX_ITEMS) {
		err_set(E_MDL_ITEMS, "model", MDL_MAX_ITEMS);
		return NULL;
	}
	return vec_push(v, n, cap, elsz);
}
