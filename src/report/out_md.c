/*
 * The report in Markdown (CommonMark with GitHub tables): the same
 * sections as the HTML page, to paste into a ticket or a wiki. Texts are
 * escaped: every ASCII punctuation that could start markup or raw HTML
 * is backslash-escaped (CommonMark §2.4), '|' inside table cells too, a
 * line break in a cell becomes <br>; control and bidi characters are
 * shown as \uXXXX as in the HTML page. Commands go in fenced blocks
 * whose fence is longer than any backtick run inside.
 */
#include <string.h>

#include "report/report.h"

static int esc(struct buf *b, const char *s, int cell)
{
	int r = 0;
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && !r; p++) {
		unsigned cp;
		if (*p == '\n')
			r |= buf_puts(b, cell ? "<br>" : "  \n");
		else if (*p == '\r')
			continue;
		else if (*p < 0x20 || *p == 0x7f)
			r |= buf_printf(b, "\\\\u%04X", *p);
		else if (utf8_invisible(p, &cp)) {
			r |= buf_printf(b, "\\\\u%04X", cp);
			p += 2;
		} else if (strchr("\\`*_[]<>|~#!&{}", *p))
			r |= buf_printf(b, "\\%c", *p);
		else
			r |= buf_append(b, p, 1);
	}
	return r;
}

static int fence(struct buf *b, const char *code)
{
	size_t run = 0, best = 0;
	for (const char *p = code; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	char f[16];
	size_t n = best + 1 > 3 ? best + 1 : 3;
	if (n >= sizeof f)
		n = sizeof f - 1;
	memset(f, '`', n);
	f[n] = 0;
	return buf_printf(b, "%s\n%s%s%s\n\n", f, code, code[0] && code[strlen(code) - 1] == '\n' ? "" : "\n", f);
}

static int block(struct buf *b, const struct rep_block *k)
{
	int r = 0;
	switch (k->kind) {
	case RB_P:
		r |= esc(b, k->cell[0], 0) | buf_puts(b, "\n\n");
		break;
	case RB_ALERT:
		r |= buf_puts(b, "**") | esc(b, k->cell[0], 0) | buf_puts(b, "**\n\n");
		break;
	case RB_QUOTE:
		r |= buf_puts(b, "> ") | esc(b, k->cell[0], 0) | buf_puts(b, "\n\n");
		break;
	case RB_CODE:
		r |= fence(b, k->cell[0]);
		break;
	case RB_LIST:
		for (size_t i = 0; i < k->n; i++)
			r |= buf_puts(b, "- ") | esc(b, k->cell[i], 1) | buf_puts(b, "\n");
		r |= buf_puts(b, "\n");
		break;
	case RB_KV:
		r |= buf_puts(b, "| | |\n| --- | --- |\n");
		for (size_t i = 0; i + 1 < k->n; i += 2)
			r |= buf_puts(b, "| **") | esc(b, k->cell[i], 1) | buf_puts(b, "** | ") |
			     esc(b, k->cell[i + 1], 1) | buf_puts(b, " |\n");
		r |= buf_puts(b, "\n");
		break;
	case RB_TABLE:
		for (size_t i = 0; i + k->ncol <= k->n; i += k->ncol) {
			r |= buf_puts(b, "|");
			for (size_t c = 0; c < k->ncol; c++)
				r |= buf_puts(b, " ") | esc(b, k->cell[i + c], 1) | buf_puts(b, " |");
			r |= buf_puts(b, "\n");
			if (i == 0) {
				r |= buf_puts(b, "|");
				for (size_t c = 0; c < k->ncol; c++)
					r |= buf_puts(b, " --- |");
				r |= buf_puts(b, "\n");
			}
		}
		r |= buf_puts(b, "\n");
		break;
	}
	return r;
}

int rep_md(const struct rep *r, const struct rep_out *o, struct buf *b)
{
	(void)r;
	int rc = buf_puts(b, "# ") | esc(b, o->title, 0) | buf_puts(b, "\n\n") | esc(b, o->subtitle, 0) |
		 buf_puts(b, "\n\n");
	if (o->stamp)
		rc |= buf_puts(b, "**") | esc(b, o->stamp, 0) | buf_puts(b, "**\n\n");
	for (size_t i = 0; i < o->ns && !rc; i++) {
		const struct rep_sec *s = &o->s[i];
		rc |= buf_puts(b, "## ") | esc(b, s->title, 0) | buf_puts(b, "\n\n");
		for (size_t k = 0; k < s->nb; k++)
			rc |= block(b, &s->b[k]);
		rc |= buf_puts(b, "*") | esc(b, o->footer, 0) | buf_puts(b, "*\n\n");
	}
	return rc ? -1 : 0;
}
