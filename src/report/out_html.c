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
 * bidirectional and zero-width characters shown as \uXXXX.
 */
#include <string.h>

#include "report/report.h"

static const char css[] =
	"body{font:13px/1.4 system-ui,-apple-system,\"Segoe UI\",Roboto,\"DejaVu Sans\",sans-serif;"
	"color:#111;margin:2em auto;max-width:62em;padding:0 1em}"
	"h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;border-bottom:2px solid #246;margin:1.2em 0 .5em}"
	".sub{color:#333;margin:.2em 0 1em}"
	".stamp{display:inline-block;border:2px solid #b00;color:#b00;font-weight:bold;padding:.1em .6em;"
	"letter-spacing:.1em;margin:.5em 0}"
	".alert{border:2px solid #111;padding:.4em .7em;margin:.6em 0;font-weight:600;overflow-wrap:anywhere}"
	".banner{border:3px solid #b00;color:#b00;padding:.5em .8em;font-weight:bold;margin:.6em 0}"
	"blockquote{border-left:4px solid #888;margin:.6em 0;padding:.2em .8em;color:#333}"
	"table{border-collapse:collapse;width:100%;margin:.5em 0;table-layout:auto}"
	"th,td{border:1px solid #999;padding:.25em .4em;vertical-align:top;text-align:left;overflow-wrap:anywhere}"
	"thead th{background:#eef}"
	"table.kv th{width:30%;background:#f6f6f6;font-weight:600}"
	"pre{background:#f4f4f4;border:1px solid #ccc;padding:.4em .6em;white-space:pre-wrap;"
	"overflow-wrap:anywhere;font:11px/1.35 \"DejaVu Sans Mono\",Consolas,monospace}"
	".ctl{border:1px dotted #b00;color:#b00;font-family:monospace}"
	".foot{color:#555;font-size:.85em;border-top:1px solid #ccc;margin-top:1.2em;padding-top:.2em}"
	"ul{margin:.3em 0 .6em 1.2em;padding:0}li{margin:.1em 0}"
	"@page{size:A4 portrait;margin:15mm;"
	"@bottom-right{content:counter(page) \" / \" counter(pages);font:8pt sans-serif;color:#555}}"
	"@media print{body{margin:0;padding:0;max-width:none;font-size:9pt;line-height:1.3}"
	"section{break-before:page;page-break-before:always}"
	"section:first-of-type{break-before:auto;page-break-before:auto}"
	"tr,pre,.alert,.banner,blockquote,li{break-inside:avoid;page-break-inside:avoid}"
	"thead{display:table-header-group}h2{break-after:avoid;page-break-after:avoid}"
	"thead th,table.kv th,pre{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
	"pre{font-size:8pt}}";

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
	rc |= buf_printf(b, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
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
