/*
 * Markdown table and self-contained HTML timeline.
 *
 * The HTML page loads nothing: inline CSS only, and a Content-Security-
 * Policy of default-src 'none' so that even a text that slipped through
 * escaping could not fetch or run anything. Every text is escaped for
 * HTML (& < > " '). The print stylesheet starts a new page every
 * PAGE_ROWS entries (CSS Fragmentation Level 3, break-after: page, with
 * the older page-break-after for older engines).
 */
#include <stdarg.h>
#include <string.h>

#include "courante/courante.h"

#define PAGE_ROWS 30

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static int trf(struct buf *b, enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	int r = buf_vprintf(b, tr(id), ap);
	va_end(ap);
	return r;
}
#pragma GCC diagnostic pop

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
		else if (strchr("\\`*_[]<>|~#!&", *p))
			r |= buf_printf(b, "\\%c", *p);
		else
			r |= buf_append(b, p, 1);
	}
	return r;
}

int cour_render_md(const struct cour_doc *d, const struct cour_view *v, struct buf *b)
{
	char gen[32];
	int r = buf_printf(b, "# %s — ", tr(M_COUR_TITLE));
	r |= md(b, d->case_name);
	tm_utc_iso(d->generated, gen, sizeof gen);
	r |= buf_puts(b, "\n\n");
	r |= trf(b, M_COUR_GENERATED, gen, REFLEXE_VERSION);
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
			r |= trf(&note, M_COUR_L_CORRECTS, e->corrects);
		if (e->status_of)
			r |= trf(&note, M_COUR_L_STATUS_OF, e->status_of);
		if (row->corrected_by) {
			r |= buf_puts(&note, note.len ? " ; " : "");
			r |= trf(&note, M_COUR_L_CORRECTED_BY, row->corrected_by);
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

static int h(struct buf *b, const char *s, int br)
{
	int r = 0;
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && !r; p++) {
		switch (*p) {
		case '&': r |= buf_puts(b, "&amp;"); break;
		case '<': r |= buf_puts(b, "&lt;"); break;
		case '>': r |= buf_puts(b, "&gt;"); break;
		case '"': r |= buf_puts(b, "&quot;"); break;
		case '\'': r |= buf_puts(b, "&#39;"); break;
		case '\n': r |= buf_puts(b, br ? "<br>\n" : " "); break;
		case '\r': break;
		default:
			/* other controls have no business in a page */
			r |= *p < 0x20 || *p == 0x7f ? buf_puts(b, " ") : buf_append(b, p, 1);
		}
	}
	return r;
}

static const char css[] =
	"body{font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;"
	"margin:2em auto;max-width:60em;color:#111;padding:0 1em}"
	"h1{font-size:1.5em;margin-bottom:.2em}"
	".gen{color:#555;margin-top:0}"
	".integrity{padding:.5em .8em;border:1px solid #2a7;border-radius:4px}"
	".integrity.bad{border:2px solid #b00;color:#b00;font-weight:bold}"
	"ol.tl{list-style:none;margin:1em 0 0 10.5em;padding:0;border-left:3px solid #246}"
	"ol.tl li{position:relative;margin:0 0 .9em 1em;padding:.45em .7em;"
	"border:1px solid #ccc;border-radius:4px;break-inside:avoid;page-break-inside:avoid}"
	"ol.tl li::before{content:\"\";position:absolute;left:-1.45em;top:.8em;width:.7em;"
	"height:.7em;border-radius:50%;background:#246}"
	".when{position:absolute;left:-12.2em;width:10em;text-align:right;font-size:.85em;color:#333}"
	".when .utc{color:#777}"
	".head{font-weight:600}"
	".what{margin:.2em 0;white-space:normal;overflow-wrap:anywhere}"
	".meta{font-size:.85em;color:#444}"
	".st{display:inline-block;padding:0 .4em;border-radius:3px;font-size:.85em}"
	".st-todo{background:#fde2e2}.st-doing{background:#fff3cd}.st-done{background:#d4edda}"
	".corrected{border-style:dashed;color:#555}"
	".kind{font-size:.8em;color:#666;text-transform:uppercase;letter-spacing:.05em}"
	"section.page{break-after:page;page-break-after:always}"
	"section.page:last-of-type{break-after:auto;page-break-after:auto}"
	"@page{size:A4;margin:14mm}"
	"@media print{body{margin:0;max-width:none;font-size:9.5pt}"
	"a{color:inherit;text-decoration:none}ol.tl li{border-color:#999}"
	".integrity.bad{border-width:3px}}";

int cour_render_html(const struct cour_doc *d, const struct cour_view *v, struct buf *b)
{
	char gen[32];
	const char *lang = i18n_lang() == LANG_FR ? "fr" : "en";
	tm_utc_iso(d->generated, gen, sizeof gen);
	int r = buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
			   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
			   "style-src 'unsafe-inline'\">\n"
			   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			   "<title>", lang);
	r |= h(b, tr(M_COUR_TITLE), 0);
	r |= buf_puts(b, " — ");
	r |= h(b, d->case_name, 0);
	r |= buf_printf(b, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", css);
	r |= h(b, tr(M_COUR_TITLE), 0);
	r |= buf_puts(b, " — ");
	r |= h(b, d->case_name, 0);
	r |= buf_puts(b, "</h1>\n<p class=\"gen\">");
	struct buf t = { 0 };
	r |= trf(&t, M_COUR_GENERATED, gen, REFLEXE_VERSION);
	r |= h(b, t.p, 0);
	buf_reset(&t);
	int bad = d->log->bad_line || d->log->torn.line;
	r |= buf_printf(b, "</p>\n<p class=\"integrity%s\">", bad ? " bad" : "");
	r |= cour_integrity_line(d->log, &t);
	r |= h(b, t.p, 0);
	r |= buf_puts(b, "</p>\n");
	if (!v->n) {
		r |= buf_puts(b, "<p>");
		r |= h(b, tr(M_COUR_EMPTY), 0);
		r |= buf_puts(b, "</p>\n");
	}
	for (size_t i = 0; i < v->n && !r; i++) {
		const struct cour_row *row = &v->r[i];
		const struct cour_entry *e = row->e;
		char loc[48], utc[32];
		if (i % PAGE_ROWS == 0)
			r |= buf_puts(b, i ? "</ol>\n</section>\n<section class=\"page\">\n<ol class=\"tl\">\n"
				      : "<section class=\"page\">\n<ol class=\"tl\">\n");
		cour_local_str(e->event, e->offset_min, loc, sizeof loc);
		tm_utc_iso(e->event, utc, sizeof utc);
		r |= buf_printf(b, "<li id=\"e%lld\" class=\"%s\">\n<div class=\"when\">"
				"<time datetime=\"%s\">%s</time><br><span class=\"utc\">%.8s UTC</span></div>\n"
				"<div class=\"head\">#%lld · ", e->seq,
				row->corrected_by ? "corrected" : "", utc, loc, utc + 11, e->seq);
		r |= h(b, e->who, 0);
		if (row->eff) {
			const char *sn = cour_status_name(row->eff);
			r |= buf_printf(b, " <span class=\"st st-%s\">", sn);
			r |= h(b, cour_status_label(row->eff), 0);
			r |= buf_puts(b, "</span>");
		}
		if (e->kind != COUR_NOTE) {
			r |= buf_puts(b, " <span class=\"kind\">");
			r |= h(b, cour_kind_name(e->kind), 0);
			r |= buf_puts(b, "</span>");
		}
		r |= buf_puts(b, "</div>\n<div class=\"what\">");
		r |= h(b, e->what, 1);
		r |= buf_puts(b, "</div>\n");
		buf_reset(&t);
		if (e->ntargets) {
			r |= buf_printf(&t, "%s ", tr(M_COUR_L_TARGETS));
			r |= targets_joined(e, &t);
		}
		if (e->source) {
			r |= buf_printf(&t, "%s%s %s", t.len ? " · " : "", tr(M_COUR_L_SOURCE), e->source);
		}
		if (t.len) {
			r |= buf_puts(b, "<div class=\"meta\">");
			r |= h(b, t.p, 0);
			r |= buf_puts(b, "</div>\n");
		}
		long long links[3] = { e->corrects, e->status_of, row->corrected_by };
		enum msg_id ids[3] = { M_COUR_L_CORRECTS, M_COUR_L_STATUS_OF, M_COUR_L_CORRECTED_BY };
		for (int k = 0; k < 3; k++) {
			if (!links[k])
				continue;
			buf_reset(&t);
			r |= trf(&t, ids[k], links[k]);
			r |= buf_printf(b, "<div class=\"meta\"><a href=\"#e%lld\">", links[k]);
			r |= h(b, t.p, 0);
			r |= buf_puts(b, "</a></div>\n");
		}
		r |= buf_puts(b, "</li>\n");
	}
	if (v->n)
		r |= buf_puts(b, "</ol>\n</section>\n");
	r |= buf_puts(b, "</body>\n</html>\n");
	buf_free(&t);
	return r ? -1 : 0;
}
