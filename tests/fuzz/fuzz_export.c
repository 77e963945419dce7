/* libFuzzer harness for reading exports (export/), not part of make test.
 * Any bytes go through exp_run as a file would (CSV or JSON, every
 * layout: a Purview CSV's AuditData, Log Analytics' nested JSON text,
 * Graph's {"value":[…]}, dates of every shape); each event it emits must
 * write to one line that reads back (exp_event_read) to the same
 * category, operation, time and line, and peek must agree. */
#include <stdlib.h>
#include <string.h>

#include "export/export.h"

struct src {
	const uint8_t *p;
	size_t n, pos;
};

static int rd(void *ctx, char *buf, size_t n)
{
	struct src *s = ctx;
	size_t k = s->n - s->pos;
	if (k > 4096)
		k = 4096;
	if (k > n)
		k = n;
	memcpy(buf, s->p + s->pos, k);
	s->pos += k;
	return (int)k;
}

static int check(void *ctx, const struct exp_event *e)
{
	struct exp_arena *a = ctx;
	struct buf b = { 0 };
	struct exp_event back;
	if (exp_event_write(e, &b) < 0) {
		buf_free(&b);
		return -1;
	}
	if (!b.len || b.p[b.len - 1] != '\n' || memchr(b.p, '\n', b.len - 1))
		abort();
	exp_arena_reset(a);
	if (exp_event_read(b.p, b.len - 1, a, &back) < 0)
		abort();
	/* the op as the line holds it: invalid UTF-8 became U+FFFD */
	struct buf q = { 0 };
	struct json j;
	char *want = NULL;
	if (json_put_str(&q, e->op ? e->op : "") == 0 && json_parse(&j, q.p, q.len, (struct json_limits){ 4, 2 }) == 0) {
		want = json_strdup(&j, 0, "");
		json_free(&j);
	}
	buf_free(&q);
	if (back.cat != e->cat || !want || strcmp(back.op, want) || back.t != e->t || back.line != e->line)
		abort();
	free(want);
	enum exp_cat c;
	char op[64];
	int pk = exp_event_peek(b.p, b.len, &c, op, sizeof op);
	if (pk < 0 || (pk == 1 && (c != e->cat || strcmp(op, back.op))))
		abort();
	buf_free(&b);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tm_zone z;
	static int init;
	if (!init) {
		tm_zone_parse("Europe/Paris", &z);
		init = 1;
	}
	struct src s = { data, size, 0 };
	struct exp_arena a = { 0 };
	struct exp_stats st;
	struct exp_opts o = { size & 1 ? &z : NULL };
	exp_run(rd, &s, check, &a, &o, &st);
	exp_arena_free(&a);
	err_clear();
	return 0;
}
