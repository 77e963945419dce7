/*
 * The report's content as sections of blocks (report.h), and the format
 * dispatch. Every string is copied into the output's arena, so a section
 * builder formats into a scratch buffer and forgets it.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

const char *rep_str(struct rep_out *o, const char *s)
{
	return mdl_intern(&o->ar, s ? s : "");
}

static const char *vfmt(struct rep_out *o, enum msg_id id, va_list ap)
{
	struct buf b = { 0 };
	const char *s = buf_vtrf(&b, id, ap) < 0 ? NULL : rep_str(o, b.p ? b.p : "");
	buf_free(&b);
	return s;
}

const char *rep_fmt(struct rep_out *o, enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	const char *s = vfmt(o, id, ap);
	va_end(ap);
	return s;
}

int rep_sec_new(struct rep_out *o, const char *id, const char *title)
{
	struct rep_sec *s = MDL_PUSH(o->s, o->ns, o->cap);
	if (!s)
		return -1;
	s->id = id;
	s->title = rep_str(o, title);
	return s->title ? 0 : -1;
}

/* The current section's last block when of kind k (and ncol), else a new
 * one. Paragraphs, alerts, quotes and code are one block each. */
static struct rep_block *block(struct rep_out *o, enum rep_blk k, size_t ncol, int fresh)
{
	if (!o->ns && rep_sec_new(o, "", "") < 0)
		return NULL;
	struct rep_sec *s = &o->s[o->ns - 1];
	if (!fresh && s->nb && s->b[s->nb - 1].kind == k && s->b[s->nb - 1].ncol == ncol)
		return &s->b[s->nb - 1];
	struct rep_block *b = MDL_PUSH(s->b, s->nb, s->cap);
	if (b) {
		b->kind = k;
		b->ncol = ncol;
	}
	return b;
}

static int cell(struct rep_out *o, struct rep_block *b, const char *text)
{
	const char *s = rep_str(o, text);
	if (!b || !s)
		return -1;
	const char **c = MDL_PUSH(b->cell, b->n, b->cap);
	if (!c)
		return -1;
	*c = s;
	return 0;
}

int rep_p(struct rep_out *o, const char *text) { return cell(o, block(o, RB_P, 1, 1), text); }
int rep_alert(struct rep_out *o, const char *text) { return cell(o, block(o, RB_ALERT, 1, 1), text); }
int rep_quote(struct rep_out *o, const char *text) { return cell(o, block(o, RB_QUOTE, 1, 1), text); }
int rep_code(struct rep_out *o, const char *text) { return cell(o, block(o, RB_CODE, 1, 1), text); }
int rep_li(struct rep_out *o, const char *text) { return cell(o, block(o, RB_LIST, 1, 0), text); }

int rep_pf(struct rep_out *o, enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	const char *s = vfmt(o, id, ap);
	va_end(ap);
	return s ? rep_p(o, s) : -1;
}

int rep_kv(struct rep_out *o, const char *k, const char *v)
{
	struct rep_block *b = block(o, RB_KV, 2, 0);
	return cell(o, b, k) < 0 || cell(o, b, v) < 0 ? -1 : 0;
}

int rep_table(struct rep_out *o, size_t ncol, const char *const *head)
{
	struct rep_block *b = block(o, RB_TABLE, ncol, 1);
	for (size_t i = 0; i < ncol; i++)
		if (cell(o, b, head[i]) < 0)
			return -1;
	return 0;
}

int rep_row(struct rep_out *o, const char *const *cells)
{
	struct rep_sec *s = o->ns ? &o->s[o->ns - 1] : NULL;
	struct rep_block *b = s && s->nb ? &s->b[s->nb - 1] : NULL;
	if (!b || b->kind != RB_TABLE)
		return err_set(E_NOMEM);
	for (size_t i = 0; i < b->ncol; i++)
		if (cell(o, b, cells[i]) < 0)
			return -1;
	return 0;
}

void rep_out_free(struct rep_out *o)
{
	for (size_t i = 0; i < o->ns; i++) {
		for (size_t k = 0; k < o->s[i].nb; k++)
			free(o->s[i].b[k].cell);
		free(o->s[i].b);
	}
	free(o->s);
	mdl_arena_free(&o->ar);
	memset(o, 0, sizeof *o);
}

int rep_render(const struct rep *r, enum rep_fmt f, struct buf *out)
{
	if (f == RF_TEXT)
		return rep_text(r, out);
	if (f == RF_JSON)
		return rep_json(r, out);
	struct rep_out o = { 0 };
	int rc = rep_sections(r, &o);
	if (rc == 0)
		rc = f == RF_HTML ? rep_html(r, &o, out) : rep_md(r, &o, out);
	rep_out_free(&o);
	return rc;
}
