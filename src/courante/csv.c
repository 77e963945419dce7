/*
 * CSV, both ways.
 *
 * Export is what French Excel opens by double-click: UTF-8 with a BOM
 * (without it Excel reads the file as Windows-1252), ';' as separator
 * (the list separator of the French locale), CRLF rows, every text cell
 * quoted with '"' doubled (RFC 4180 §2). Cells that Excel would run as a
 * formula (starting with = + - @, tab or CR: OWASP "CSV Injection") get
 * a leading apostrophe, which Excel hides and import removes.
 *
 * Import takes what spreadsheets and people produce: ',' ';' or tab
 * (detected on the header row), quoted cells with line breaks, CRLF or
 * LF, a UTF-8 BOM or none, and Windows-1252 text (French Excel's plain
 * "CSV (séparateur : point-virgule)" is not UTF-8) converted to UTF-8.
 * Columns are found by their header, in French or English. Every row is
 * checked before anything is added: one bad row and nothing is imported,
 * with each bad row named by its line number in the file.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "courante/courante.h"

#define CSV_MAX_ROWS 100000
#define CSV_MAX_COLS 64
#define CSV_MAX_ERRS 50

/* ---- export ------------------------------------------------------------ */

static int cell(struct buf *b, const char *s, int first)
{
	int r = first ? 0 : buf_puts(b, ";");
	r |= buf_puts(b, "\"");
	if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r'))
		r |= buf_puts(b, "'");
	for (const char *p = s ? s : ""; *p && !r; p++)
		r |= *p == '"' ? buf_puts(b, "\"\"") : buf_append(b, p, 1);
	return r | buf_puts(b, "\"");
}

static int num_cell(struct buf *b, long long v)
{
	return v > 0 ? buf_printf(b, ";%lld", v) : buf_puts(b, ";");
}

int cour_render_csv(const struct cour_doc *d, const struct cour_view *v, struct buf *b)
{
	int r = buf_puts(b, "\xEF\xBB\xBF");
	r |= buf_puts(b, tr(M_COUR_CSV_HEADER));
	r |= buf_puts(b, "\r\n");
	(void)d;
	for (size_t i = 0; i < v->n && !r; i++) {
		const struct cour_entry *e = v->r[i].e;
		char loc[48], utc[32], rec[32], off[16];
		struct buf t = { 0 };
		cour_local_str(e->event, e->offset_min, loc, sizeof loc);
		loc[10] = 0;            /* "2026-11-22", then "09:40:00" */
		loc[19] = 0;
		/* "UTC+01:00", not "+01:00": Excel reads a leading '+' or '-' as
		 * a formula (=01:00, a time; -05:30, an error), and the guard
		 * apostrophe would show in every row of this column. */
		memcpy(off, "UTC", 3);
		cour_offset_str(e->offset_min, off + 3);
		tm_utc_iso(e->event, utc, sizeof utc);
		tm_utc_iso(e->recorded, rec, sizeof rec);
		for (size_t k = 0; k < e->ntargets && !r; k++) {
			r |= k ? buf_puts(&t, ", ") : 0;
			r |= buf_puts(&t, e->targets[k]);
		}
		r |= buf_printf(b, "%lld", e->seq);
		r |= cell(b, loc, 0);
		r |= cell(b, loc + 11, 0);
		r |= cell(b, off, 0);
		r |= cell(b, utc, 0);
		r |= cell(b, e->who, 0);
		r |= cell(b, e->what, 0);
		r |= cell(b, t.p ? t.p : "", 0);
		r |= cell(b, cour_status_label(e->status), 0);
		r |= cell(b, cour_status_label(v->r[i].eff), 0);
		r |= cell(b, e->source, 0);
		r |= cell(b, cour_kind_name(e->kind), 0);
		r |= num_cell(b, e->corrects);
		r |= num_cell(b, e->status_of);
		r |= cell(b, rec, 0);
		r |= cell(b, e->hash, 0);
		r |= buf_puts(b, "\r\n");
		buf_free(&t);
	}
	return r ? -1 : 0;
}

/* ---- import: bytes to UTF-8 --------------------------------------------------- */


/* ---- import: the CSV grammar ---------------------------------------------------- */

struct row {
	char **cell;
	size_t n;
	size_t line;             /* where the row starts */
};

struct reader {
	const char *s;
	size_t len, pos, line;
	char sep;
	int lim;            /* the limit a refused row went past */
};

static void add_err(struct buf *errs, size_t *nerr, size_t line, enum msg_id why, ...)
{
	char w[256];
	va_list ap;
	if (++*nerr > CSV_MAX_ERRS)
		return;
	va_start(ap, why);
	tr_vsnprintf(w, sizeof w, why, ap);
	va_end(ap);
	buf_trf(errs, M_COUR_CSV_LINE, line, w);
	buf_puts(errs, "\n");
}

static void free_row(struct row *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->cell[i]);
	free(r->cell);
	r->cell = NULL;
	r->n = 0;
}

/* Reads one row. Returns 1 with a row, 0 at the end, -1 on a malformed
 * row (why set; the reader skips to the next line so that every bad row
 * can be reported in one go). */
static int read_row(struct reader *rd, struct row *row, enum msg_id *why)
{
	struct buf c = { .max = COUR_MAX_WHAT };
	size_t cap = 0;
	int bad = 0;

	memset(row, 0, sizeof *row);
	if (rd->pos >= rd->len)
		return 0;
	row->line = rd->line;
	for (;;) {
		buf_reset(&c);
		buf_append(&c, "", 0);
		int quoted = 0;
		size_t qline = rd->line;
		if (rd->pos < rd->len && rd->s[rd->pos] == '"') {
			quoted = 1;
			rd->pos++;
			for (;;) {
				if (rd->pos >= rd->len) {
					*why = M_COUR_CSV_QUOTE;
					row->line = qline;
					buf_free(&c);
					free_row(row);
					return -1;
				}
				char ch = rd->s[rd->pos++];
				if (ch == '"') {
					if (rd->pos < rd->len && rd->s[rd->pos] == '"') {
						rd->pos++;
					} else {
						break;
					}
				} else if (ch == '\r' && rd->pos < rd->len && rd->s[rd->pos] == '\n') {
					continue;    /* CRLF in a cell: keep the LF */
				}
				if (ch == '\n')
					rd->line++;
				if (buf_append(&c, &ch, 1) < 0 && !bad) {
					bad = 1;
					*why = M_COUR_CSV_CELL_LONG;
					rd->lim = COUR_MAX_WHAT;
				}
			}
		}
		/* unquoted part (or what follows a closing quote) */
		while (rd->pos < rd->len) {
			char ch = rd->s[rd->pos];
			if (ch == rd->sep || ch == '\n' || ch == '\r')
				break;
			if (quoted && ch != ' ' && ch != '\t' && !bad) {
				bad = 1;
				*why = M_COUR_CSV_AFTER_QUOTE;
			}
			if (!quoted && buf_append(&c, &ch, 1) < 0 && !bad) {
				bad = 1;
				*why = M_COUR_CSV_CELL_LONG;
				rd->lim = COUR_MAX_WHAT;
			}
			rd->pos++;
		}
		if (row->n >= CSV_MAX_COLS) {
			if (!bad) {
				bad = 1;
				*why = M_COUR_CSV_COLS;
				rd->lim = CSV_MAX_COLS;
			}
		} else {
			if (VEC_GROW(row->cell, row->n, cap) < 0) {
				buf_free(&c);
				free_row(row);
				return -2;                      /* out of memory */
			}
			row->cell[row->n] = c.p ? strdup(c.p) : strdup("");
			if (!row->cell[row->n]) {
				buf_free(&c);
				free_row(row);
				return err_set(E_NOMEM) - 1;   /* -2: out of memory */
			}
			row->n++;
		}
		if (rd->pos < rd->len && rd->s[rd->pos] == rd->sep) {
			rd->pos++;
			continue;
		}
		/* end of row */
		if (rd->pos < rd->len && rd->s[rd->pos] == '\r')
			rd->pos++;
		if (rd->pos < rd->len && rd->s[rd->pos] == '\n')
			rd->pos++;
		rd->line++;
		break;
	}
	buf_free(&c);
	if (bad) {
		free_row(row);
		return -1;
	}
	return 1;
}

static char detect_sep(const char *s, size_t len)
{
	size_t n[3] = { 0 };
	const char seps[3] = { ';', ',', '\t' };
	int q = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			q = !q;
		else if (!q && (s[i] == '\n' || s[i] == '\r'))
			break;
		else if (!q)
			for (int k = 0; k < 3; k++)
				n[k] += s[i] == seps[k];
	}
	int best = 0;
	for (int k = 1; k < 3; k++)
		if (n[k] > n[best])
			best = k;
	return n[best] ? seps[best] : ';';
}

/* ---- import: columns -------------------------------------------------------------- */

enum col { C_DATE, C_TIME, C_OFFSET, C_WHO, C_WHAT, C_TARGETS, C_STATUS, C_SOURCE, C__N };

/* Header names, folded (lowercase ASCII, accents dropped, spaces kept). */
static const char *const names[C__N][10] = {
	[C_DATE] = { "date", "jour", "day", "date et heure", "horodatage", "timestamp", NULL },
	[C_TIME] = { "heure", "time", "hour", NULL },
	[C_OFFSET] = { "decalage", "offset", "fuseau", "utc offset", NULL },
	[C_WHO] = { "qui", "who", "auteur", "author", "intervenant", "responder", NULL },
	[C_WHAT] = { "quoi", "what", "description", "action", "evenement", "event", "texte", "text", NULL },
	[C_TARGETS] = { "cibles", "cible", "targets", "target", "comptes", "machines", "perimetre", NULL },
	[C_STATUS] = { "statut", "status", "etat", "state", NULL },
	[C_SOURCE] = { "source", "origine", "origin", NULL },
};

static void fold_header(const char *s, char *out, size_t sz)
{
	size_t k = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p == ' ' || *p == '\t')
		p++;
	for (; *p && k + 1 < sz; p++) {
		if (p[0] == 0xC3 && p[1]) {     /* Latin-1 supplement letters */
			unsigned c = p[1];
			char base = c >= 0x80 && c <= 0x85 ? 'a' : c == 0x87 ? 'c'
				: c >= 0x88 && c <= 0x8B ? 'e' : c >= 0x8C && c <= 0x8F ? 'i'
				: c >= 0x92 && c <= 0x96 ? 'o' : c >= 0x99 && c <= 0x9C ? 'u'
				: c >= 0xA0 && c <= 0xA5 ? 'a' : c == 0xA7 ? 'c'
				: c >= 0xA8 && c <= 0xAB ? 'e' : c >= 0xAC && c <= 0xAF ? 'i'
				: c >= 0xB2 && c <= 0xB6 ? 'o' : c >= 0xB9 && c <= 0xBC ? 'u' : '?';
			out[k++] = base;
			p++;
			continue;
		}
		out[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	}
	while (k && (out[k - 1] == ' ' || out[k - 1] == '\t'))
		k--;
	out[k] = 0;
}

static void trim(char *s)
{
	size_t n = strlen(s), i = 0;
	while (n && strchr(" \t\r\n", s[n - 1]))
		n--;
	s[n] = 0;
	while (s[i] && strchr(" \t\r\n", s[i]))
		i++;
	memmove(s, s + i, n - i + 1);
}

/* Undo the export's formula guard: "'=x" -> "=x". */
static void unguard(char *s)
{
	if (s[0] == '\'' && strchr("=+-@\t\r", s[1]) && s[1])
		memmove(s, s + 1, strlen(s));
}

/* 1 or 2 digits at p: their value, *n the count; -1 if none. */
static int one_or_two(const char *p, int *n)
{
	if (p[0] < '0' || p[0] > '9')
		return -1;
	if (p[1] >= '0' && p[1] <= '9') {
		*n = 2;
		return (p[0] - '0') * 10 + (p[1] - '0');
	}
	*n = 1;
	return p[0] - '0';
}

/* The date as spreadsheets and people write it: 2026-11-22, 22/11/2026,
 * 2/11/2026 (a hand-typed or non-French export drops the zero). Into
 * d as YYYY-MM-DD; *after points past it. Ranges are checked later by
 * tm_parse_iso (30 February is refused there). */
static int norm_date(const char *p, char d[16], const char **after)
{
	int k1, k2, day, mon;
	if (strlen(p) >= 10 && p[4] == '-' && p[7] == '-') {
		memcpy(d, p, 10);
		d[10] = 0;
		*after = p + 10;
		return 0;
	}
	if ((day = one_or_two(p, &k1)) < 0 || p[k1] != '/' ||
	    (mon = one_or_two(p + k1 + 1, &k2)) < 0 || p[k1 + 1 + k2] != '/')
		return -1;
	const char *y = p + k1 + 1 + k2 + 1;
	for (int i = 0; i < 4; i++)
		if (y[i] < '0' || y[i] > '9')
			return -1;
	if (y[4] >= '0' && y[4] <= '9')
		return -1;
	snprintf(d, 16, "%.4s-%02d-%02d", y, mon % 100, day % 100);   /* 2 digits each */
	*after = y + 4;
	return 0;
}

/* The time: 09:40, 09:40:00, 9:40 (Excel drops the zero), and as paper
 * logbooks write it in French, 9h40 or 9h. Into out as HH:MM[rest]. */
static int norm_time(const char *s, char *out, size_t sz)
{
	int k, hh = one_or_two(s, &k);
	if (hh < 0 || strlen(s) > 26)   /* longer than any time: never cut it */
		return -1;
	const char *r = s + k;
	if (*r == 'h' || *r == 'H') {
		r++;
		if (r[0] >= '0' && r[0] <= '9' && r[1] >= '0' && r[1] <= '9')
			snprintf(out, sz, "%02d:%.2s%.24s", hh % 100, r, r + 2);
		else
			snprintf(out, sz, "%02d:00%.24s", hh % 100, r);
		return 0;
	}
	if (*r != ':')
		return -1;
	snprintf(out, sz, "%02d%.24s", hh % 100, r);
	return 0;
}

/* date (+ optional time, offset) cells to "YYYY-MM-DD HH:MM[:SS][ off]". */
static int event_time(const char *date, const char *time, const char *off, int64_t *t, int *om)
{
	char iso[64], d[16], rest[40] = "";
	const char *p;
	if (norm_date(date, d, &p) < 0)
		return -1;
	while (*p == ' ' || *p == 'T')
		p++;
	if (*p) {                       /* time inside the date cell */
		if (*time)
			return -1;
		time = p;
	}
	if (!*time || norm_time(time, rest, sizeof rest) < 0)
		return -1;
	/* the export writes "UTC+01:00"; people write "+01:00" or "UTC" */
	if ((off[0] == 'U' || off[0] == 'u') && (off[1] == 'T' || off[1] == 't') &&
	    (off[2] == 'C' || off[2] == 'c')) {
		off += 3;
		while (*off == ' ')
			off++;
		if (!*off)
			off = "+00:00";
	}
	int n = snprintf(iso, sizeof iso, "%s %s%s%s", d, rest, *off ? " " : "", off);
	if (n < 0 || (size_t)n >= sizeof iso)
		return -1;
	err_clear();
	return tm_parse_local(iso, t, om);
}

/* "a, b" or one per line; "a; b" too when the cell has no comma (the
 * export joins with ", ", so a target holding ';' comes back whole). */
static int split_targets(const char *s, struct cour_entry *e)
{
	const char *p = s, *seps = strchr(s, ',') ? ",\n" : ",;\n";
	while (*p) {
		size_t n = strcspn(p, seps);
		char tmp[COUR_MAX_FIELD + 1];
		if (n <= COUR_MAX_FIELD) {
			memcpy(tmp, p, n);
			tmp[n] = 0;
			trim(tmp);
			if (*tmp) {
				if (e->ntargets >= COUR_MAX_TARGETS)
					return -1;
				if (!e->targets && !(e->targets = calloc(COUR_MAX_TARGETS, sizeof *e->targets)))
					return -1;
				if (!(e->targets[e->ntargets] = strdup(tmp)))
					return -1;
				e->ntargets++;
			}
		} else {
			return -1;
		}
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

int cour_csv_import(const char *data, size_t len, const char *default_who,
		    struct cour_import *im, struct buf *errs)
{
	struct buf conv = { 0 };
	struct reader rd = { 0 };
	struct row hdr = { 0 }, row;
	int col[C__N];
	size_t nerr = 0, cap = 0;
	enum msg_id why;
	int r = -1;

	memset(im, 0, sizeof *im);
	int bom = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3);
	if (bom) {
		data += 3;
		len -= 3;
	} else if (!json_utf8_valid(data, len)) {
		if (buf_from_cp1252(&conv, data, len) < 0)
			return -1;
		data = conv.p;
		len = conv.len;
	}
	/* A NUL would cut a cell short, and a file that says UTF-8 (BOM) but
	 * is not would come out with U+FFFD in place of letters: either way
	 * text silently lost, so the file is refused, naming the line (a
	 * UTF-8 sequence never holds a '\n' byte, so line by line is exact). */
	for (size_t at = 0, line = 1; at < len; line++) {
		const char *nl = memchr(data + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (data + at)) : len - at;
		int nul = memchr(data + at, 0, n) != NULL;
		if (nul || (bom && !json_utf8_valid(data + at, n))) {
			add_err(errs, &nerr, line, nul ? M_COUR_CSV_NUL : M_COUR_CSV_UTF8);
			err_set(E_COUR_CSV);
			goto out;
		}
		at += n + 1;
	}
	rd = (struct reader){ .s = data, .len = len, .line = 1, .sep = detect_sep(data, len) };
	/* header: first non-blank row */
	int got;
	do {
		free_row(&hdr);
		got = read_row(&rd, &hdr, &why);
	} while (got == 1 && hdr.n == 1 && !hdr.cell[0][0]);
	if (got == 0) {
		err_set(E_COUR_CSV_EMPTY);
		goto out;
	}
	if (got == -2)
		goto out;
	if (got < 0) {
		add_err(errs, &nerr, hdr.line ? hdr.line : 1, why, rd.lim);
		err_set(E_COUR_CSV);
		goto out;
	}
	for (int k = 0; k < C__N; k++)
		col[k] = -1;
	for (size_t i = 0; i < hdr.n; i++) {
		char f[64];
		unguard(hdr.cell[i]);
		fold_header(hdr.cell[i], f, sizeof f);
		for (int k = 0; k < C__N; k++)
			for (int a = 0; names[k][a]; a++)
				if (col[k] < 0 && !strcmp(f, names[k][a]))
					col[k] = (int)i;
	}
	if (col[C_WHAT] < 0) {
		err_set(E_COUR_CSV_NO_WHAT);
		goto out;
	}
	int64_t now = tm_now();
	for (;;) {
		got = read_row(&rd, &row, &why);
		if (got == 0)
			break;
		if (got == -2)
			goto out;
		if (got < 0) {
			add_err(errs, &nerr, row.line, why, rd.lim);
			continue;
		}
		int blank = 1;
		for (size_t i = 0; i < row.n && blank; i++) {
			trim(row.cell[i]);
			blank = !row.cell[i][0];
		}
		if (blank) {
			free_row(&row);
			continue;
		}
		if (++im->rows > CSV_MAX_ROWS) {
			free_row(&row);
			err_set(E_COUR_CSV_LIMIT, "100000");
			goto out;
		}
		/* Cells past the header's are an error unless empty: Excel
		 * writes a trailing ';' for a column that was only formatted. */
		size_t used = row.n;
		while (used > hdr.n && !row.cell[used - 1][0])
			used--;
		if (used > hdr.n) {
			add_err(errs, &nerr, row.line, M_COUR_CSV_CELLS, row.n, hdr.n);
			free_row(&row);
			continue;
		}
		const char *c[C__N];
		for (int k = 0; k < C__N; k++) {
			c[k] = col[k] >= 0 && (size_t)col[k] < row.n ? row.cell[col[k]] : "";
			if (col[k] >= 0 && (size_t)col[k] < row.n) {
				trim(row.cell[col[k]]);
				unguard(row.cell[col[k]]);
			}
		}
		struct cour_entry e = { .kind = COUR_IMPORT, .recorded = now };
		int bad = 0;
		if (col[C_DATE] >= 0) {
			if (event_time(c[C_DATE], c[C_TIME], c[C_OFFSET], &e.event, &e.offset_min) < 0) {
				char shown[64];
				snprintf(shown, sizeof shown, "%.30s%s%.20s", c[C_DATE], *c[C_TIME] ? " " : "", c[C_TIME]);
				add_err(errs, &nerr, row.line, M_COUR_CSV_DATE, shown);
				bad = 1;
			}
		} else {
			e.event = now;
			e.offset_min = tm_local_offset(now);
		}
		if (!*c[C_WHAT]) {
			add_err(errs, &nerr, row.line, M_COUR_CSV_NO_WHAT);
			bad = 1;
		}
		const char *who = *c[C_WHO] ? c[C_WHO] : default_who;
		if (!who || !*who) {
			add_err(errs, &nerr, row.line, M_COUR_CSV_NO_WHO);
			bad = 1;
		}
		if (*c[C_STATUS] && cour_status_parse(c[C_STATUS], &e.status) < 0) {
			add_err(errs, &nerr, row.line, M_COUR_CSV_STATUS, c[C_STATUS]);
			bad = 1;
		}
		if (!bad && (strlen(who) > COUR_MAX_FIELD || strlen(c[C_SOURCE]) > COUR_MAX_FIELD ||
			     strchr(who, '\n') || split_targets(c[C_TARGETS], &e) < 0)) {
			add_err(errs, &nerr, row.line, M_COUR_CSV_TOO_LONG, COUR_MAX_FIELD, COUR_MAX_TARGETS);
			bad = 1;
		}
		if (!bad) {
			e.who = strdup(who);
			e.what = strdup(c[C_WHAT]);
			e.source = *c[C_SOURCE] ? strdup(c[C_SOURCE]) : NULL;
			if (!e.who || !e.what || (*c[C_SOURCE] && !e.source)) {
				cour_entry_free(&e);
				free_row(&row);
				err_set(E_NOMEM);
				goto out;
			}
			if (VEC_GROW(im->e, im->n, cap) < 0) {
				cour_entry_free(&e);
				free_row(&row);
				goto out;
			}
			im->e[im->n++] = e;
		} else {
			cour_entry_free(&e);
		}
		free_row(&row);
	}
	if (nerr) {
		if (nerr > CSV_MAX_ERRS)
			buf_printf(errs, "… (%zu)\n", nerr);
		err_set(E_COUR_CSV);
		goto out;
	}
	r = 0;
out:
	free_row(&hdr);
	buf_free(&conv);
	if (r < 0)
		cour_import_free(im);
	return r;
}

void cour_import_free(struct cour_import *im)
{
	for (size_t i = 0; i < im->n; i++)
		cour_entry_free(&im->e[i]);
	free(im->e);
	im->e = NULL;
	im->n = 0;
}
