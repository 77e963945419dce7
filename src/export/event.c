/*
 * The normalised event, one JSON object per line in
 * imports/<sha256>/events.jsonl. Keys are short (a million-row export
 * writes them a million times) and always in this order, so that a
 * reader can tell a line's category and operation without parsing it
 * (exp_event_peek), and skip the lines no rule reads:
 *
 *   t     UTC time "2023-07-23T06:46:28Z", or null when the export has none
 *   c     category: ual, exo (Exchange cmdlet), audit (Entra), signin
 *   op    operation as written ("Set-Mailbox", "Add member to role.")
 *   id    the record's own id            wl   workload / logging service
 *   res   result as written              au   actor UPN
 *   aid   actor object id                ip   actor address (no port)
 *   app   actor application id           an   actor display name
 *   ua    user agent / client info
 *   tg    targets [{"ty","id","upn","n"}]
 *   p     parameters / modified properties [[name, value, old]]
 *   d     details [[name, value]]
 *   err   sign-in error code (0 success) cc, city  country, city
 *   sa, sai  sign-in application name, id      cli  client app
 *   rs    resource   risk  risk event types   int  interactive (0/1)
 *   l, r  line of the file and record number it came from
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/export.h"

static const char *const cats[EXP_CAT__N] = { "ual", "exo", "audit", "signin" };

const char *exp_cat_name(enum exp_cat c)
{
	return (unsigned)c < EXP_CAT__N ? cats[c] : "ual";
}

int exp_cat_parse(const char *s)
{
	for (int i = 0; i < EXP_CAT__N; i++)
		if (!strcmp(s, cats[i]))
			return i;
	return -1;
}

void exp_event_init(struct exp_event *e)
{
	uint64_t rec = e->record;
	memset(e, 0, sizeof *e);
	e->record = rec;
	e->t = EXP_NO_TIME;
	e->err = -1;
	e->interactive = -1;
}

static int kv(struct buf *b, const char *k, const char *v)
{
	if (!v)
		return 0;
	return buf_puts(b, ",\"") | buf_puts(b, k) | buf_puts(b, "\":") | json_put_str(b, v) ? -1 : 0;
}

static int str_or_null(struct buf *b, const char *v)
{
	return v ? json_put_str(b, v) : buf_puts(b, "null");
}

int exp_event_write(const struct exp_event *e, struct buf *b)
{
	char t[32];
	int rc = buf_puts(b, "{\"t\":");
	if (e->t == EXP_NO_TIME) {
		rc |= buf_puts(b, "null");
	} else {
		tm_utc_iso(e->t, t, sizeof t);
		rc |= buf_printf(b, "\"%s\"", t);
	}
	rc |= buf_printf(b, ",\"c\":\"%s\",\"op\":", exp_cat_name(e->cat));
	rc |= json_put_str(b, e->op ? e->op : "");
	rc |= kv(b, "id", e->id) | kv(b, "wl", e->workload) | kv(b, "res", e->result) |
	      kv(b, "au", e->actor_upn) | kv(b, "aid", e->actor_id) | kv(b, "ip", e->actor_ip) |
	      kv(b, "app", e->actor_app) | kv(b, "an", e->actor_name) | kv(b, "ua", e->ua);
	if (e->ntgt) {
		rc |= buf_puts(b, ",\"tg\":[");
		for (int i = 0; i < e->ntgt; i++) {
			const struct exp_target *g = &e->tgt[i];
			rc |= buf_puts(b, i ? ",{" : "{");
			size_t mark = b->len;
			rc |= kv(b, "ty", g->type) | kv(b, "id", g->id) | kv(b, "upn", g->upn) | kv(b, "n", g->name);
			if (b->len > mark)      /* drop the first comma */
				memmove(b->p + mark, b->p + mark + 1, b->len - mark), b->len--;
			rc |= buf_puts(b, "}");
		}
		rc |= buf_puts(b, "]");
	}
	if (e->nparam) {
		rc |= buf_puts(b, ",\"p\":[");
		for (size_t i = 0; i < e->nparam; i++) {
			const struct exp_kv *p = &e->param[i];
			rc |= buf_puts(b, i ? ",[" : "[") | json_put_str(b, p->name) | buf_puts(b, ",") |
			      str_or_null(b, p->value);
			if (p->old)
				rc |= buf_puts(b, ",") | json_put_str(b, p->old);
			rc |= buf_puts(b, "]");
		}
		rc |= buf_puts(b, "]");
	}
	if (e->ndetail) {
		rc |= buf_puts(b, ",\"d\":[");
		for (size_t i = 0; i < e->ndetail; i++)
			rc |= buf_puts(b, i ? ",[" : "[") | json_put_str(b, e->detail[i].name) |
			      buf_puts(b, ",") | str_or_null(b, e->detail[i].value) | buf_puts(b, "]");
		rc |= buf_puts(b, "]");
	}
	if (e->err >= 0)
		rc |= buf_printf(b, ",\"err\":%ld", e->err);
	rc |= kv(b, "cc", e->country) | kv(b, "city", e->city) | kv(b, "sa", e->app) |
	      kv(b, "sai", e->app_id) | kv(b, "cli", e->client_app) | kv(b, "rs", e->resource) |
	      kv(b, "risk", e->risk);
	if (e->interactive >= 0)
		rc |= buf_printf(b, ",\"int\":%d", e->interactive);
	rc |= buf_printf(b, ",\"l\":%llu,\"r\":%llu}\n", (unsigned long long)e->line,
			 (unsigned long long)e->record);
	return rc ? -1 : 0;
}

/* ---- reading back ---------------------------------------------------------------- */

static const char *str(struct exp_arena *a, const struct json *j, int tok, const char *k)
{
	int t = json_get(j, tok, k);
	if (t < 0 || json_type(j, t) != JSON_STR)
		return NULL;
	return exp_json_text(a, j, t);
}

static int kvlist(struct exp_arena *a, const struct json *j, const char *k, struct exp_kv **out,
		  size_t *n)
{
	int arr = json_get(j, 0, k);
	*out = NULL;
	*n = 0;
	if (arr < 0 || json_type(j, arr) != JSON_ARR)
		return 0;
	size_t cnt = (size_t)json_count(j, arr);
	if (!cnt)
		return 0;
	struct exp_kv *v = (struct exp_kv *)exp_alloc(a, cnt * sizeof *v);
	if (!v)
		return -1;
	for (int e = json_first(j, arr); e >= 0; e = json_next(j, e)) {
		if (json_type(j, e) != JSON_ARR || json_count(j, e) < 2)
			continue;
		struct exp_kv x = { str(a, j, e, "0"), str(a, j, e, "1"), str(a, j, e, "2") };
		if (x.name)
			v[(*n)++] = x;
	}
	*out = v;
	return 0;
}

static long long num(const struct json *j, const char *k, long long dflt)
{
	long long v;
	return json_int(j, 0, k, &v) == 0 ? v : dflt;
}

int exp_event_read(const char *line, size_t n, struct exp_arena *a, struct exp_event *e)
{
	struct json j;
	e->record = 0;
	exp_event_init(e);
	if (json_parse(&j, line, n, (struct json_limits){ EXP_MAX_TOKENS, 8 }) < 0)
		return -1;
	int rc = -1;
	if (json_type(&j, 0) != JSON_OBJ) {
		err_set(E_EXP_EVENT_BAD, "{}");
		goto out;
	}
	const char *t = str(a, &j, 0, "t");
	int off, has;
	if (t && tm_parse_iso(t, &e->t, &off, &has) < 0)
		goto out;
	const char *c = str(a, &j, 0, "c");
	int ci = c ? exp_cat_parse(c) : -1;
	e->op = str(a, &j, 0, "op");
	if (ci < 0 || !e->op) {
		err_set(E_EXP_EVENT_BAD, ci < 0 ? "c" : "op");
		goto out;
	}
	e->cat = (enum exp_cat)ci;
	e->id = str(a, &j, 0, "id");
	e->workload = str(a, &j, 0, "wl");
	e->result = str(a, &j, 0, "res");
	e->actor_upn = str(a, &j, 0, "au");
	e->actor_id = str(a, &j, 0, "aid");
	e->actor_ip = str(a, &j, 0, "ip");
	e->actor_app = str(a, &j, 0, "app");
	e->actor_name = str(a, &j, 0, "an");
	e->ua = str(a, &j, 0, "ua");
	int tg = json_get(&j, 0, "tg");
	if (tg >= 0 && json_type(&j, tg) == JSON_ARR)
		for (int g = json_first(&j, tg); g >= 0 && e->ntgt < EXP_MAX_TARGETS; g = json_next(&j, g))
			e->tgt[e->ntgt++] = (struct exp_target){ str(a, &j, g, "ty"), str(a, &j, g, "id"),
								  str(a, &j, g, "upn"), str(a, &j, g, "n") };
	if (kvlist(a, &j, "p", &e->param, &e->nparam) < 0 || kvlist(a, &j, "d", &e->detail, &e->ndetail) < 0)
		goto out;
	e->err = (long)num(&j, "err", -1);
	e->country = str(a, &j, 0, "cc");
	e->city = str(a, &j, 0, "city");
	e->app = str(a, &j, 0, "sa");
	e->app_id = str(a, &j, 0, "sai");
	e->client_app = str(a, &j, 0, "cli");
	e->resource = str(a, &j, 0, "rs");
	e->risk = str(a, &j, 0, "risk");
	e->interactive = (int)num(&j, "int", -1);
	e->line = (uint64_t)num(&j, "l", 0);
	e->record = (uint64_t)num(&j, "r", 0);
	rc = 0;
out:
	json_free(&j);
	return rc;
}

int exp_event_peek(const char *line, size_t n, enum exp_cat *cat, char *op, size_t opsz)
{
	const char *p = line, *end = line + n;
	if (n < 8 || memcmp(p, "{\"t\":", 5))
		return -1;
	p += 5;
	if (end - p >= 4 && !memcmp(p, "null", 4)) {
		p += 4;
	} else if (*p == '"') {
		const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));
		if (!q)
			return -1;
		p = q + 1;
	} else {
		return -1;
	}
	if (end - p < 7 || memcmp(p, ",\"c\":\"", 6))
		return 0;
	p += 6;
	const char *q = memchr(p, '"', (size_t)(end - p));
	if (!q || q - p > 8)
		return 0;
	char c[10];
	memcpy(c, p, (size_t)(q - p));
	c[q - p] = 0;
	int ci = exp_cat_parse(c);
	if (ci < 0)
		return 0;
	p = q + 1;
	if (end - p < 7 || memcmp(p, ",\"op\":\"", 7))
		return 0;
	p += 7;
	size_t k = 0;
	for (; p < end && *p != '"'; p++) {
		if (*p == '\\' || k + 1 >= opsz)
			return 0;       /* escapes or a long name: parse it all */
		op[k++] = *p;
	}
	if (p >= end)
		return 0;
	op[k] = 0;
	*cat = (enum exp_cat)ci;
	return 1;
}
