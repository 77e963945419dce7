/*
 * Text into an HTML page (the report, the logbook's export): & < > " '
 * escaped; control characters, the Unicode bidirectional controls and
 * zero-width characters shown as \uXXXX in a span of class "ctl". A name
 * that hides text or reverses the rest of a line (« Trojan Source »,
 * CVE-2021-42574; the fiche 1.d warns of blanks in application names) is
 * seen for what it is.
 */
#include "core/core.h"

int utf8_invisible(const unsigned char *p, unsigned *cp)
{
	unsigned c = 0;
	if (p[0] == 0xE2 && p[1] == 0x80 && ((p[2] >= 0x8B && p[2] <= 0x8F) || (p[2] >= 0xAA && p[2] <= 0xAE)))
		c = 0x2000 | (p[2] - 0x80);
	else if (p[0] == 0xE2 && p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)
		c = 0x2040 | (p[2] - 0x80);
	else if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		c = 0xFEFF;
	if (cp)
		*cp = c;
	return c ? 3 : 0;
}

int buf_html(struct buf *b, const char *s, int br)
{
	int r = 0;
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && !r; p++) {
		unsigned cp;
		int n;
		switch (*p) {
		case '&': r |= buf_puts(b, "&amp;"); break;
		case '<': r |= buf_puts(b, "&lt;"); break;
		case '>': r |= buf_puts(b, "&gt;"); break;
		case '"': r |= buf_puts(b, "&quot;"); break;
		case '\'': r |= buf_puts(b, "&#39;"); break;
		case '\n': r |= buf_puts(b, br ? "<br>\n" : "\n"); break;
		case '\r': break;
		case '\t': r |= buf_puts(b, " "); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				r |= buf_printf(b, "<span class=\"ctl\">\\u%04X</span>", *p);
			else if ((n = utf8_invisible(p, &cp))) {
				r |= buf_printf(b, "<span class=\"ctl\">\\u%04X</span>", cp);
				p += n - 1;
			} else
				r |= buf_append(b, p, 1);
		}
	}
	return r ? -1 : 0;
}
