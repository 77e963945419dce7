/*
 * Tables as CSV for French Excel, like the logbook's export
 * (courante/csv.c): UTF-8 BOM (else Excel reads Windows-1252), ';' (the
 * French list separator), CRLF, text quoted with '"' doubled (RFC 4180
 * §2); a cell Excel would run as a formula (= + - @ tab CR first: OWASP
 * "CSV Injection") gets a leading apostrophe. Whole numbers stay bare so
 * that a column of counts sorts as numbers.
 */
#include <string.h>

#include "render/render.h"

static int number(const char *s)
{
	if (!*s || strlen(s) > 15)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static int cell(struct buf *b, const char *s, int first)
{
	if (!first && buf_puts(b, ";") < 0)
		return -1;
	if (number(s))
		return buf_puts(b, s);
	if (buf_puts(b, "\"") < 0)
		return -1;
	if ((*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r') &&
	    buf_puts(b, "'") < 0)
		return -1;
	for (; *s; s++)
		if ((*s == '"' ? buf_puts(b, "\"\"") : buf_append(b, s, 1)) < 0)
			return -1;
	return buf_puts(b, "\"");
}

int render_csv(const struct rule_table *t, struct buf *b)
{
	if (buf_puts(b, "\xEF\xBB\xBF") < 0)
		return -1;
	for (size_t c = 0; c < t->ncol; c++)
		if (cell(b, tr(t->head[c]), c == 0) < 0)
			return -1;
	if (buf_puts(b, "\r\n") < 0)
		return -1;
	for (size_t r = 0; r < t->nrow; r++) {
		for (size_t c = 0; c < t->ncol; c++)
			if (cell(b, t->cell[r * t->ncol + c], c == 0) < 0)
				return -1;
		if (buf_puts(b, "\r\n") < 0)
			return -1;
	}
	return 0;
}
