/*
 * One record seen the same way whatever its file: a JSON object (an
 * AuditData record, a Graph sign-in) or a CSV row (a Purview or Log
 * Analytics export). Fields are asked for by a list of names, "a|b|c",
 * because each layout spells them its own way (CreationTime, TimeGenerated,
 * "Date (UTC)"); for JSON a name may be a dotted path ("status.errorCode").
 * CSV column names are matched without case, trimmed, and without a
 * " [UTC]" or " (UTC)" label — which is remembered: it is the export
 * saying its dates are UTC.
 *
 * Nested values come as objects in Graph JSON and as JSON text in Log
 * Analytics and CSV cells (InitiatedBy, TargetResources, Parameters…):
 * exp_rec_sub gives a parsed tree either way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "export/export.h"

/* ---- CSV header ------------------------------------------------------------- */

static uint32_t hash_ci(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c |= 0x20;
		h = (h ^ c) * 16777619u;
	}
	return h;
}

void exp_cols_free(struct exp_cols *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->name[i]);
	free(c->name);
	free(c->utc);
	free(c->slot);
	memset(c, 0, sizeof *c);
}

/* Trims blanks; drops a zone label: " [UTC]" or " (UTC)" (setting *utc),
 * or another (" [Local Time]", " [UTC+01:00]": not UTC, so the dates
 * then need --tz). Other parentheses stay ("IP address (seen by
 * resource)"). */
static size_t clean(const char *s, size_t n, const char **out, int *utc)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*utc = 0;
	if (n > 3 && (s[n - 1] == ']' || s[n - 1] == ')')) {
		char open = s[n - 1] == ']' ? '[' : '(';
		size_t k = n - 1;
		while (k > 0 && s[k - 1] != open)
			k--;
		const char *in = s + k;
		if (k >= 2 && s[k - 2] == ' ' && (!strncasecmp(in, "UTC", 3) || !strncasecmp(in, "GMT", 3) ||
						   !strncasecmp(in, "Local", 5))) {
			*utc = n - 1 - k == 3 && !strncasecmp(s + k, "UTC", 3);
			n = k - 2;
		}
	}
	*out = s;
	return n;
}

int exp_cols_init(struct exp_cols *c, const struct csv *row)
{
	memset(c, 0, sizeof *c);
	size_t n = csv_nfields(row);
	c->n = n;
	c->nslot = 16;
	while (c->nslot < n * 2)
		c->nslot *= 2;
	c->name = calloc(n ? n : 1, sizeof *c->name);
	c->utc = calloc(n ? n : 1, sizeof *c->utc);
	c->slot = malloc(c->nslot * sizeof *c->slot);
	if (!c->name || !c->utc || !c->slot) {
		exp_cols_free(c);
		return err_set(E_NOMEM);
	}
	for (size_t i = 0; i < c->nslot; i++)
		c->slot[i] = -1;
	for (size_t i = 0; i < n; i++) {
		size_t len;
		const char *f = csv_field(row, i, &len), *s;
		int utc;
		size_t k = clean(f, len, &s, &utc);
		if (!(c->name[i] = malloc(k + 1))) {
			exp_cols_free(c);
			return err_set(E_NOMEM);
		}
		memcpy(c->name[i], s, k);
		c->name[i][k] = 0;
		c->utc[i] = (char)utc;
		/* first column of a name wins */
		if (exp_cols_find(c, c->name[i], k) >= 0)
			continue;
		for (uint32_t h = hash_ci(s, k) & (uint32_t)(c->nslot - 1);; h = (h + 1) & (uint32_t)(c->nslot - 1))
			if (c->slot[h] < 0) {
				c->slot[h] = (int)i;
				break;
			}
	}
	return 0;
}

int exp_cols_find(const struct exp_cols *c, const char *name, size_t n)
{
	if (!c->nslot)
		return -1;
	for (uint32_t h = hash_ci(name, n) & (uint32_t)(c->nslot - 1);; h = (h + 1) & (uint32_t)(c->nslot - 1)) {
		int i = c->slot[h];
		if (i < 0)
			return -1;
		if (strlen(c->name[i]) == n && !strncasecmp(c->name[i], name, n))
			return i;
	}
}

/* ---- fields -------------------------------------------------------------------- */

/* Calls fn for each alternative of "a|b|c" until one is found. */
static int json_alt(const struct exp_rec *r, const char *keys, size_t *which)
{
	char path[96];
	size_t k = 0;
	for (const char *p = keys;; p += k + 1) {
		k = strcspn(p, "|");
		if (k < sizeof path) {
			memcpy(path, p, k);
			path[k] = 0;
			int t = json_get(r->j, r->tok, path);
			if (t >= 0 && json_type(r->j, t) != JSON_NULL) {
				if (which)
					*which = (size_t)(p - keys);
				return t;
			}
		}
		if (!p[k])
			return -1;
	}
}

static int col_alt(const struct exp_rec *r, const char *keys)
{
	size_t k = 0;
	for (const char *p = keys;; p += k + 1) {
		k = strcspn(p, "|");
		int i = exp_cols_find(r->cols, p, k);
		if (i >= 0) {
			size_t n;
			const char *v = csv_field(r->row, (size_t)i, &n);
			if (v && n)
				return i;
		}
		if (!p[k])
			return -1;
	}
}

/* The text of a JSON token: strings unescaped, anything else as written.
 * NULL (err set) on a string json_str refuses (\u0000, lone surrogate). */
const char *exp_json_text(struct exp_arena *a, const struct json *j, int t)
{
	size_t n;
	const char *raw = json_raw(j, t, &n);
	if (json_type(j, t) != JSON_STR)
		return exp_strndup(a, raw, n);
	char *out = exp_alloc(a, n + 1);
	if (!out || json_str(j, t, "", out, n + 1) < 0)
		return NULL;
	return out;
}

const char *exp_rec_str(const struct exp_rec *r, const char *keys)
{
	if (r->j) {
		int t = json_alt(r, keys, NULL);
		if (t < 0)
			return NULL;
		const char *s = exp_json_text(r->a, r->j, t);
		if (!s)
			err_clear();   /* an unreadable string reads as absent */
		return s && *s ? s : NULL;
	}
	if (r->row) {
		int i = col_alt(r, keys);
		return i < 0 ? NULL : csv_field(r->row, (size_t)i, NULL);
	}
	return NULL;
}

const char *exp_rec_time_str(const struct exp_rec *r, const char *keys, int *utc_label)
{
	*utc_label = 0;
	if (r->row) {
		int i = col_alt(r, keys);
		if (i < 0)
			return NULL;
		*utc_label = r->cols->utc[i];
		return csv_field(r->row, (size_t)i, NULL);
	}
	return exp_rec_str(r, keys);
}

void exp_sub_free(struct exp_sub *s)
{
	if (s->owned)
		json_free(&s->own);
	s->owned = 0;
	s->j = NULL;
	s->tok = -1;
}

static int sub_parse(struct exp_sub *s, const char *text, size_t n, const char *key, uint64_t line)
{
	/* an empty cell, or Log Analytics' "[]"/"{}" */
	while (n && (*text == ' ' || *text == '\r' || *text == '\n' || *text == '\t'))
		text++, n--;
	if (!n)
		return 0;
	if (json_parse(&s->own, text, n, (struct json_limits){ EXP_MAX_TOKENS, EXP_MAX_DEPTH }) < 0)
		return err_context(E_EXP_NESTED, (unsigned long long)line, key);
	s->owned = 1;
	s->j = &s->own;
	s->tok = 0;
	return 1;
}

int exp_rec_sub(const struct exp_rec *r, const char *keys, struct exp_sub *s)
{
	memset(s, 0, sizeof *s);
	s->tok = -1;
	if (r->j) {
		size_t which;
		int t = json_alt(r, keys, &which);
		if (t < 0)
			return 0;
		enum json_type ty = json_type(r->j, t);
		if (ty == JSON_OBJ || ty == JSON_ARR) {
			s->j = r->j;
			s->tok = t;
			return 1;
		}
		if (ty != JSON_STR)
			return 0;
		/* JSON text inside a string (Log Analytics): unescape, parse */
		const char *txt = exp_json_text(r->a, r->j, t);
		if (!txt)
			return -1;
		size_t kn = strcspn(keys + which, "|");
		char key[64];
		snprintf(key, sizeof key, "%.*s", (int)(kn < 63 ? kn : 63), keys + which);
		return sub_parse(s, txt, strlen(txt), key, r->line);
	}
	if (r->row) {
		int i = col_alt(r, keys);
		if (i < 0)
			return 0;
		size_t n;
		const char *v = csv_field(r->row, (size_t)i, &n);
		return sub_parse(s, v, n, r->cols->name[i], r->line);
	}
	return 0;
}

/* ---- small helpers for the mappers ------------------------------------------------ */

const char *exp_sub_str(struct exp_arena *a, const struct json *j, int tok, const char *path)
{
	int t = json_get(j, tok, path);
	if (t < 0 || json_type(j, t) == JSON_NULL)
		return NULL;
	const char *s = exp_json_text(a, j, t);
	if (!s)
		err_clear();
	return s && *s ? s : NULL;
}

const char *exp_unquote(struct exp_arena *a, const char *s)
{
	/* Graph's modifiedProperties hold JSON text: a scalar is a JSON
	 * string inside the string ("\"Mail.Read\""); decoded twice at most
	 * (check-apps.md §3). Arrays and objects stay as text. */
	for (int round = 0; s && round < 2; round++) {
		size_t n = strlen(s);
		if (n < 2 || s[0] != '"' || s[n - 1] != '"')
			break;
		struct json j;
		if (json_parse(&j, s, n, (struct json_limits){ 4, 2 }) < 0) {
			err_clear();
			break;
		}
		const char *d = exp_json_text(a, &j, 0);
		json_free(&j);
		if (!d) {
			err_clear();
			break;
		}
		s = d;
	}
	return s;
}

/* "[2a09:bac5::1a:89]:25138" -> "2a09:bac5::1a:89"; "1.2.3.4:5" ->
 * "1.2.3.4"; an IPv6 address without brackets is left whole. */
const char *exp_ip(struct exp_arena *a, const char *s)
{
	if (!s || !*s)
		return NULL;
	size_t n = strlen(s);
	if (s[0] == '[') {
		const char *e = strchr(s, ']');
		return e ? exp_strndup(a, s + 1, (size_t)(e - s - 1)) : s;
	}
	const char *c = strchr(s, ':');
	if (c && !strchr(c + 1, ':') && c > s) {
		for (const char *p = c + 1; *p; p++)
			if (*p < '0' || *p > '9')
				return s;
		return exp_strndup(a, s, (size_t)(c - s));
	}
	(void)n;
	return s;
}

int exp_kv_push(struct exp_arena *a, struct exp_kv **v, size_t *n, size_t *cap,
		const char *name, const char *value, const char *old)
{
	if (!name)
		return 0;
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 8;
		struct exp_kv *p = (struct exp_kv *)exp_alloc(a, c * sizeof *p);
		if (!p)
			return -1;
		if (*n)
			memcpy(p, *v, *n * sizeof *p);
		*v = p;
		*cap = c;
	}
	(*v)[(*n)++] = (struct exp_kv){ name, value, old };
	return 0;
}

/* Appends name/value(/old) pairs from an array of objects. */
int exp_kv_from(struct exp_arena *a, const struct json *j, int arr, const char *kname,
		const char *kvalue, const char *kold, struct exp_kv **v, size_t *n, size_t *cap)
{
	if (arr < 0 || json_type(j, arr) != JSON_ARR)
		return 0;
	for (int e = json_first(j, arr); e >= 0; e = json_next(j, e)) {
		if (json_type(j, e) != JSON_OBJ)
			continue;
		const char *nm = exp_sub_str(a, j, e, kname);
		const char *val = exp_sub_str(a, j, e, kvalue);
		const char *old = kold ? exp_sub_str(a, j, e, kold) : NULL;
		if (exp_kv_push(a, v, n, cap, nm, val, old) < 0)
			return -1;
	}
	return 0;
}

int exp_map_time(struct exp_map *m, const struct exp_rec *r, const char *keys,
		 unsigned naive_basis, struct exp_event *e)
{
	int utc = 0;
	const char *s = exp_rec_time_str(r, keys, &utc);
	if (!s) {
		e->t = EXP_NO_TIME;
		return 0;
	}
	/* a CSV column names its zone or not; JSON fields have the
	 * layout's own rule */
	unsigned basis = r->row ? (utc ? EXP_TZ_HEADER : 0) : naive_basis;
	size_t k = strcspn(keys, "|");
	char col[64];
	snprintf(col, sizeof col, "%.*s", (int)(k < 63 ? k : 63), keys);
	return exp_when_parse(m->w, s, basis, col, r->line, &e->t);
}

const char *exp_detail(const struct exp_event *e, const char *name)
{
	for (size_t i = 0; i < e->ndetail; i++)
		if (e->detail[i].name && !strcasecmp(e->detail[i].name, name))
			return e->detail[i].value;
	return NULL;
}
