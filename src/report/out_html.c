/*
 * The report as one self-contained HTML page that prints: no script,
 * nothing fetched (a Content-Security-Policy of default-src 'none' keeps
 * even a text that slipped through escaping from loading anything),
 * inline CSS, A4 portrait with 15 mm margins, each section on a new sheet
 * (CSS Fragmentation Level 3 break-before, with the older page-break-*
 * for older engines), table rows kept whole, table headers repeated on
 * every sheet, sheets numbered « n / total » (CSS Paged Media margin
 * boxes) so that a missing sheet shows. The gravity is written in words
 * inside a frame, never told by colour alone.
 *
 * Every text goes through buf_html (core/html.c): escaped, and control,
 * bidirectional and zero-width characters shown as \uXXXX. The style
 * sheet is M_REP_CSS (msg.def).
 */
#include <string.h>

#include "report/report.h"

static int block(struct buf *b, const struct rep_block *k)
{
	int r = 0;
	switch (k->kind) {
	case RB_P:
		r |= buf_puts(b, "<p>") | buf_html(b, k->cell[0], 1) | buf_puts(b, "</p>\n");
		break;
	case RB_ALERT:
		r |= buf_puts(b, "<p class=\"alert\">") | buf_html(b, k->cell[0], 1) | buf_puts(b, "</p>\n");
		break;
	case RB_QUOTE:
		r |= buf_puts(b, "<blockquote>") | buf_html(b, k->cell[0], 1) | buf_puts(b, "</blockquote>\n");
		break;
	case RB_CODE:
		r |= buf_puts(b, "<pre>") | buf_html(b, k->cell[0], 0) | buf_puts(b, "</pre>\n");
		break;
	case RB_LIST:
		r |= buf_puts(b, "<ul>\n");
		for (size_t i = 0; i < k->n; i++)
			r |= buf_puts(b, "<li>") | buf_html(b, k->cell[i], 1) | buf_puts(b, "</li>\n");
		r |= buf_puts(b, "</ul>\n");
		break;
	case RB_KV:
		r |= buf_puts(b, "<table class=\"kv\"><tbody>\n");
		for (size_t i = 0; i + 1 < k->n; i += 2)
			r |= buf_puts(b, "<tr><th>") | buf_html(b, k->cell[i], 1) | buf_puts(b, "</th><td>") |
			     buf_html(b, k->cell[i + 1], 1) | buf_puts(b, "</td></tr>\n");
		r |= buf_puts(b, "</tbody></table>\n");
		break;
	case RB_TABLE:
		r |= buf_puts(b, "<table><thead><tr>");
		for (size_t c = 0; c < k->ncol && c < k->n; c++)
			r |= buf_puts(b, "<th>") | buf_html(b, k->cell[c], 1) | buf_puts(b, "</th>");
		r |= buf_puts(b, "</tr></thead>\n<tbody>\n");
		for (size_t i = k->ncol; i + k->ncol <= k->n; i += k->ncol) {
			r |= buf_puts(b, "<tr>");
			for (size_t c = 0; c < k->ncol; c++)
				r |= buf_puts(b, "<td>") | buf_html(b, k->cell[i + c], 1) | buf_puts(b, "</td>");
			r |= buf_puts(b, "</tr>\n");
		}
		r |= buf_puts(b, "</tbody></table>\n");
		break;
	}
	return r;
}

int rep_html(const struct rep *r, const struct rep_out *o, struct buf *b)
{
	int rc = buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
			    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
			    "style-src 'unsafe-inline'\">\n"
			    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
			    i18n_lang() == LANG_FR ? "fr" : "en");
	rc |= buf_html(b, o->title, 0) | buf_puts(b, " — ") | buf_html(b, r->case_name, 0);
	rc |= buf_printf(b, "</title>\n<style>%s</style>\n</head>\n<body>\n", tr(M_REP_CSS));
	for (size_t i = 0; i < o->ns && !rc; i++) {
		const struct rep_sec *s = &o->s[i];
		rc |= buf_printf(b, "<section id=\"%s\">\n", s->id);
		if (i == 0) {
			rc |= buf_puts(b, "<h1>") | buf_html(b, o->title, 0) | buf_puts(b, "</h1>\n<p class=\"sub\">") |
			      buf_html(b, o->subtitle, 0) | buf_puts(b, "</p>\n");
			if (o->stamp)
				rc |= buf_puts(b, "<p class=\"stamp\">") | buf_html(b, o->stamp, 0) | buf_puts(b, "</p>\n");
			if (o->banner)
				rc |= buf_puts(b, "<p class=\"banner\">") | buf_html(b, o->banner, 0) | buf_puts(b, "</p>\n");
		} else {
			rc |= buf_puts(b, "<h2>") | buf_html(b, s->title, 0) | buf_puts(b, "</h2>\n");
		}
		for (size_t k = i == 0 && o->banner ? 1 : 0; k < s->nb; k++)
			rc |= block(b, &s->b[k]);
		rc |= buf_puts(b, "<p class=\"foot\">") | buf_html(b, o->footer, 0) | buf_puts(b, "</p>\n</section>\n");
	}
	rc |= buf_puts(b, "</body>\n</html>\n");
	return rc ? -1 : 0;
}
