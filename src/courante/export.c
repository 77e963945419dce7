/*
 * Markdown table and self-contained HTML timeline.
 *
 * The HTML page loads nothing: inline CSS only, and a Content-Security-
 * Policy of default-src 'none' so that even a text that slipped through
 * escaping could not fetch or run anything. Every text is escaped for
 * HTML (& < > " '). Printed, a sheet holds PAGE_ROWS entries, fewer when
 * they are long: the entries are cut into sections here, by an estimate
 * of the lines each takes in the print layout, and each section starts a
 * new sheet (CSS Fragmentation Level 3, break-after: page, with the older
 * page-break-after for older engines). Cutting by count alone made a
 * section of long entries spill two lines onto an otherwise blank sheet.
 */
#include <stdlib.h>
#include <string.h>

#include "courante/courante.h"

#define PAGE_ROWS 30
/* The print layout below: A4, 12 mm + 14 mm margins, 8 pt text at line
 * height 1.2 gives about 78 lines a sheet, 72 on the first one under the
 * title; the budgets keep a margin for the estimate's error. A text
 * line holds 100 to 110 characters (measured with Chromium's print to
 * PDF and DejaVu Sans). */
#define PAGE_LINES_FIRST 66
#define PAGE_LINES 74
#define LINE_CHARS 100

static int targets_joined(const struct cour_entry *e, struct buf *t)
{
	int r = 0;
	for (size_t k = 0; k < e->ntargets; k++) {
		r |= k ? buf_puts(t, ", ") : 0;
		r |= buf_puts(t, e->targets[k]);
	}
	return r | buf_append(t, "", 0);
}

/* ---- Markdown ----------------------------------------------------------- */

/* Inside a table cell: '|' would split the cell, a newline the row;
 * CommonMark §2.4 lets any ASCII punctuation be backslash-escaped, so the
 * characters that could start markup or raw HTML are escaped, and a
 * newline becomes <br> (the one tag GitHub-flavoured tables need). */
static int md(struct buf *b, const char *s)
{
	int r = 0;
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && !r; p++) {
		if (*p == '\n')
			r |= buf_puts(b, "<br>");
		else if (*p == '\r')
			continue;
		else if (*p < 0x20 || *p == 0x7f)
			r |= buf_puts(b, " ");
		else if (utf8_invisible(p, NULL)) {
			/* bidi and zero-width characters: "Trojan Source" */
			r |= buf_puts(b, "?");
			p += 2;
		} else if (strchr("\\`*_[]<>|~#!&", *p))
			r |= buf_printf(b, "\\%c", *p);
		else
			r |= buf_append(b, p, 1);
	}
	return r;
}

int cour_render_md(const struct cour_doc *d, const struct cour_view *v, struct buf *b)
{
	char gen[48];
	int r = buf_printf(b, "# %s — ", tr(M_COUR_TITLE));
	r |= md(b, d->case_name);
	cour_utc_str(d->generated, gen, sizeof gen);
	r |= buf_puts(b, "\n\n");
	r |= buf_trf(b, M_COUR_GENERATED, gen, REFLEXE_VERSION);
	r |= buf_puts(b, "\n\n");
	struct buf il = { 0 };
	r |= cour_integrity_line(d->log, &il);
	r |= md(b, il.p);
	buf_free(&il);
	r |= buf_printf(b, "\n\n| %s | %s | %s | %s | %s | %s | %s | %s |\n",
			tr(M_COUR_COL_NO), tr(M_COUR_COL_LOCAL), tr(M_COUR_COL_UTC),
			tr(M_COUR_COL_WHO), tr(M_COUR_COL_WHAT), tr(M_COUR_COL_TARGETS),
			tr(M_COUR_COL_STATUS), tr(M_COUR_COL_SOURCE));
	r |= buf_puts(b, "| ---: | --- | --- | --- | --- | --- | --- | --- |\n");
	for (size_t i = 0; i < v->n && !r; i++) {
		const struct cour_row *row = &v->r[i];
		const struct cour_entry *e = row->e;
		char loc[48], utc[32];
		struct buf t = { 0 };
		cour_local_str(e->event, e->offset_min, loc, sizeof loc);
		tm_utc_iso(e->event, utc, sizeof utc);
		r |= targets_joined(e, &t);
		r |= buf_printf(b, "| %lld | %s | %s | ", e->seq, loc, utc);
		r |= md(b, e->who);
		r |= buf_puts(b, " | ");
		r |= md(b, e->what);
		struct buf note = { 0 };
		if (e->corrects)
			r |= buf_trf(&note, M_COUR_L_CORRECTS, e->corrects);
		if (e->status_of)
			r |= buf_trf(&note, M_COUR_L_STATUS_OF, e->status_of);
		if (row->corrected_by) {
			r |= buf_puts(&note, note.len ? " ; " : "");
			r |= buf_trf(&note, M_COUR_L_CORRECTED_BY, row->corrected_by);
		}
		if (cour_written_late(e)) {
			char rec[48];
			cour_utc_str(e->recorded, rec, sizeof rec);
			r |= buf_printf(&note, "%s%s %s", note.len ? " ; " : "", tr(M_COUR_L_WRITTEN), rec);
		}
		if (cour_is_bad_line(d->log, e)) {
			r |= buf_puts(&note, note.len ? " ; " : "");
			r |= buf_trf(&note, M_COUR_L_BROKEN, d->log->bad_why);
		}
		if (note.len) {
			r |= buf_puts(b, " *(");
			r |= md(b, note.p);
			r |= buf_puts(b, ")*");
		}
		buf_free(&note);
		r |= buf_puts(b, " | ");
		r |= md(b, t.p);
		r |= buf_printf(b, " | %s | ", cour_status_label(row->eff));
		r |= md(b, e->source);
		r |= buf_puts(b, " |\n");
		buf_free(&t);
	}
	return r ? -1 : 0;
}

/* ---- HTML ------------------------------------------------------------------ */

/* Screen: a timeline, times in the left margin, one card per entry.
 * Print: a dense list, so that a page holds about PAGE_ROWS entries as
 * the sections assume (a card per entry gave 8 to an A4 page and each
 * "page" of 30 spread over four sheets): times in a column, who, status,
 * text and details run on in one paragraph; status chips get a border,
 * since browsers drop backgrounds when printing; every sheet is numbered
 * ("n / total", CSS Paged Media §4 margin boxes) so a missing sheet of a
 * printed logbook shows. The style sheet is M_COUR_CSS (msg.def). */

/* Characters (not bytes) of n bytes of UTF-8. */
static size_t chars(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}

static size_t chars0(const char *s)
{
	return s ? chars(s, strlen(s)) : 0;
}

/* Printed lines of one entry, in tenths: head, text and details run on
 * in one paragraph, each line break in the text starts a new line; the
 * time column takes two lines whatever the text; plus the padding. */
static size_t print_lines10(const struct cour_row *row)
{
	const struct cour_entry *e = row->e;
	size_t col = 12 + chars0(e->who) + (row->eff ? 10 : 0) + (cour_kind_label(e->kind) ? 12 : 0);
	size_t lines = 0;
	for (const char *p = e->what ? e->what : ""; ; ) {
		const char *nl = strchr(p, '\n');
		col += nl ? chars(p, (size_t)(nl - p)) : chars0(p);
		if (!nl)
			break;
		lines += col / LINE_CHARS + 1;
		col = 0;
		p = nl + 1;
	}
	col += 3;
	for (size_t t = 0; t < e->ntargets; t++)
		col += chars0(e->targets[t]) + 2;
	col += e->ntargets ? 8 : 0;
	col += e->source ? chars0(e->source) + 10 : 0;
	col += cour_written_late(e) ? 36 : 0;
	col += (e->corrects ? 22 : 0) + (e->status_of ? 22 : 0) + (row->status_seq ? 32 : 0) +
	       (row->corrected_by ? 24 : 0);
	lines += (col + LINE_CHARS - 1) / LINE_CHARS;
	return (lines < 2 ? 2 : lines) * 10 + 3;
}

/* Where each printed section ends: at most PAGE_ROWS entries, and no
 * more than a sheet's lines (a single longer entry gets a section of its
 * own and breaks across sheets). end[k] is one past section k's last row. */
static size_t plan_pages(const struct cour_view *v, size_t *end)
{
	size_t k = 0, used = 0, count = 0;
	for (size_t i = 0; i < v->n; i++) {
		size_t l = print_lines10(&v->r[i]);
		size_t budget = (k ? PAGE_LINES : PAGE_LINES_FIRST) * 10;
		if (count && (count == PAGE_ROWS || used + l > budget)) {
			end[k++] = i;
			used = count = 0;
		}
		used += l;
		count++;
	}
	if (count)
		end[k++] = v->n;
	return k;
}

/* A section's heading shows in print only: "Entrées 31 à 60 sur 65". */
static int section_open(struct buf *b, size_t first, size_t last, size_t n)
{
	int r = buf_puts(b, first ? "</ol>\n</section>\n" : "");
	r |= buf_puts(b, "<section class=\"page\">\n<h2 class=\"range\">");
	r |= buf_trf(b, M_COUR_PAGE_RANGE, first + 1, last, n);
	return r | buf_puts(b, "</h2>\n<ol class=\"tl\">\n");
}

int cour_render_html(const struct cour_doc *d, const struct cour_view *v, struct buf *b)
{
	char gen[48];
	const char *lang = i18n_lang() == LANG_FR ? "fr" : "en";
	cour_utc_str(d->generated, gen, sizeof gen);
	int r = buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
			   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
			   "style-src 'unsafe-inline'\">\n"
			   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			   "<title>", lang);
	r |= buf_html(b, tr(M_COUR_TITLE), 0);
	r |= buf_puts(b, " — ");
	r |= buf_html(b, d->case_name, 0);
	r |= buf_printf(b, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", tr(M_COUR_CSS));
	r |= buf_html(b, tr(M_COUR_TITLE), 0);
	r |= buf_puts(b, " — ");
	r |= buf_html(b, d->case_name, 0);
	r |= buf_puts(b, "</h1>\n<p class=\"gen\">");
	struct buf t = { 0 };
	r |= buf_trf(&t, M_COUR_GENERATED, gen, REFLEXE_VERSION);
	r |= buf_html(b, t.p, 0);
	buf_reset(&t);
	int bad = d->log->bad_line || d->log->torn.line;
	r |= buf_printf(b, "</p>\n<p class=\"integrity%s\">", bad ? " bad" : "");
	r |= cour_integrity_line(d->log, &t);
	r |= buf_html(b, t.p, 0);
	r |= buf_puts(b, "</p>\n");
	if (!v->n) {
		r |= buf_puts(b, "<p>");
		r |= buf_html(b, tr(M_COUR_EMPTY), 0);
		r |= buf_puts(b, "</p>\n");
	}
	size_t *end = malloc((v->n ? v->n : 1) * sizeof *end), sec = 0;
	if (!end) {
		buf_free(&t);
		return err_set(E_NOMEM);
	}
	plan_pages(v, end);
	for (size_t i = 0; i < v->n && !r; i++) {
		const struct cour_row *row = &v->r[i];
		const struct cour_entry *e = row->e;
		char loc[48], utc[32];
		if (i == 0 || i == end[sec - 1]) {
			r |= section_open(b, i, end[sec], v->n);
			sec++;
		}
		cour_local_str(e->event, e->offset_min, loc, sizeof loc);
		tm_utc_iso(e->event, utc, sizeof utc);
		int broken = cour_is_bad_line(d->log, e);
		r |= buf_printf(b, "<li id=\"e%lld\"%s>\n<div class=\"when\">"
				"<time datetime=\"%s\">%s</time><br><span class=\"utc\">%.8s UTC</span></div>\n"
				"<div class=\"body\">\n<div class=\"head\">#%lld · ", e->seq,
				broken ? " class=\"broken\"" : row->corrected_by ? " class=\"corrected\"" : "",
				utc, loc, utc + 11, e->seq);
		r |= buf_html(b, e->who, 0);
		if (row->eff) {
			const char *sn = cour_status_name(row->eff);
			r |= buf_printf(b, " <span class=\"st st-%s\">", sn);
			r |= buf_html(b, cour_status_label(row->eff), 0);
			r |= buf_puts(b, "</span>");
		}
		if (cour_kind_label(e->kind)) {
			r |= buf_puts(b, " <span class=\"kind\">");
			r |= buf_html(b, cour_kind_label(e->kind), 0);
			r |= buf_puts(b, "</span>");
		}
		r |= buf_puts(b, "</div>\n<div class=\"what\">");
		r |= buf_html(b, e->what, 1);
		r |= buf_puts(b, "</div>\n");
		buf_reset(&t);
		if (e->ntargets) {
			r |= buf_printf(&t, "%s ", tr(M_COUR_L_TARGETS));
			r |= targets_joined(e, &t);
		}
		if (e->source)
			r |= buf_printf(&t, "%s%s %s", t.len ? " · " : "", tr(M_COUR_L_SOURCE), e->source);
		if (cour_written_late(e)) {
			char rec[48];
			cour_utc_str(e->recorded, rec, sizeof rec);
			r |= buf_printf(&t, "%s%s %s", t.len ? " · " : "", tr(M_COUR_L_WRITTEN), rec);
		}
		if (t.len) {
			r |= buf_puts(b, "<div class=\"meta\">");
			r |= buf_html(b, t.p, 0);
			r |= buf_puts(b, "</div>\n");
		}
		long long links[4] = { e->corrects, e->status_of, row->status_seq, row->corrected_by };
		enum msg_id ids[4] = { M_COUR_L_CORRECTS, M_COUR_L_STATUS_OF, M_COUR_L_STATUS_NOW,
				       M_COUR_L_CORRECTED_BY };
		for (int k = 0; k < 4; k++) {
			if (!links[k])
				continue;
			buf_reset(&t);
			r |= buf_trf(&t, ids[k], links[k]);
			r |= buf_printf(b, "<div class=\"meta\"><a href=\"#e%lld\">", links[k]);
			r |= buf_html(b, t.p, 0);
			r |= buf_puts(b, "</a></div>\n");
		}
		if (broken) {
			buf_reset(&t);
			r |= buf_trf(&t, M_COUR_L_BROKEN, d->log->bad_why);
			r |= buf_puts(b, "<div class=\"meta bad\">");
			r |= buf_html(b, t.p, 0);
			r |= buf_puts(b, "</div>\n");
		}
		r |= buf_puts(b, "</div>\n</li>\n");
	}
	if (v->n)
		r |= buf_puts(b, "</ol>\n</section>\n");
	r |= buf_puts(b, "</body>\n</html>\n");
	free(end);
	buf_free(&t);
	return r ? -1 : 0;
}
