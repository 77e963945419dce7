/*
 * Streaming CSV reader (RFC 4180), for files of any size: the text comes
 * through a read callback a chunk at a time, and only one row is held in
 * memory, bounded by the caller's limits ("too long" is an error, never a
 * silent cut).
 *
 * What it accepts, beyond RFC 4180 §2: LF or CRLF line ends (§2.1 says
 * CRLF; Unix tools write LF), a UTF-8 byte-order mark before the first
 * row (Excel and the Log Analytics portal write one), ';' or a tab as the
 * separator (French Excel writes ';'), and a double quote inside an
 * unquoted field taken as a character (§2.5 forbids it; some exporters
 * write it, and refusing the file would lose the evidence for nothing).
 * Inside quotes everything is kept byte for byte, CR and LF included
 * (§2.6): a JSON column pretty-printed over several lines stays as it was.
 * What it refuses, naming the line: a quoted field never closed, and text
 * between a closing quote and the next separator (`"a"b,`), where §2.7's
 * grammar leaves no reading that is not a guess.
 *
 * Line numbers are physical lines (1-based), counted through quoted line
 * breaks, so that an error or an event points at the line a text editor
 * shows. courante/csv.c reads the logbook's own small CSV in memory with
 * its own rules (CP1252, several errors at once); this reader is for
 * evidence that may not fit in memory.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

#define CSV_CHUNK (256u * 1024)

void csv_init(struct csv *c, csv_read_fn fn, void *ctx, char sep, struct csv_limits lim)
{
	memset(c, 0, sizeof *c);
	c->read = fn;
	c->ctx = ctx;
	c->sep = sep;
	c->lim = lim;
	c->line = 1;
}

void csv_free(struct csv *c)
{
	free(c->in);
	free(c->row);
	free(c->off);
	c->in = c->row = NULL;
	c->off = NULL;
	c->nf = c->fcap = c->row_len = c->row_cap = 0;
}

/* Makes sure c->in holds unread bytes: 1 when it does, 0 at the end, -1
 * on a read error (err set by the callback). */
static int fill(struct csv *c)
{
	if (c->in_pos < c->in_len)
		return 1;
	if (c->eof)
		return 0;
	if (!c->in) {
		if (!(c->in = malloc(CSV_CHUNK)))
			return err_set(E_NOMEM);
	}
	for (;;) {
		int n = c->read(c->ctx, c->in, CSV_CHUNK);
		if (n < 0)
			return -1;
		c->in_pos = 0;
		c->in_len = (size_t)n;
		if (n == 0) {
			c->eof = 1;
			return 0;
		}
		/* A UTF-8 byte-order mark at the very start, even split
		 * over reads, is skipped (RFC 3629 §6). started counts the
		 * BOM bytes matched; 3 once the start is behind. */
		while (c->started < 3 && c->in_pos < c->in_len) {
			if ((unsigned char)c->in[c->in_pos] != (unsigned char)"\xEF\xBB\xBF"[c->started]) {
				if (c->started)      /* EF BB without BF: not UTF-8 */
					return err_set(E_CSV_BOM);
				c->started = 3;
				break;
			}
			c->in_pos++;
			c->started++;
		}
		if (c->in_pos < c->in_len)
			return 1;
	}
}

static int put(struct csv *c, char ch)
{
	if (c->row_len + 1 >= c->row_cap) {
		if (c->row_len + 1 > c->lim.max_row)
			return err_set(E_CSV_ROW_LONG, (unsigned long long)c->row_line, c->lim.max_row);
		size_t cap = c->row_cap ? c->row_cap * 2 : 4096;
		if (cap > c->lim.max_row + 1)
			cap = c->lim.max_row + 1;
		char *p = realloc(c->row, cap);
		if (!p)
			return err_set(E_NOMEM);
		c->row = p;
		c->row_cap = cap;
	}
	c->row[c->row_len++] = ch;
	return 0;
}

/* Appends n bytes at once (the runs between separators and quotes). */
static int put_n(struct csv *c, const char *p, size_t n)
{
	if (c->row_len + n + 1 >= c->row_cap) {
		if (c->row_len + n + 1 > c->lim.max_row)
			return err_set(E_CSV_ROW_LONG, (unsigned long long)c->row_line, c->lim.max_row);
		size_t cap = c->row_cap ? c->row_cap : 4096;
		while (cap < c->row_len + n + 2)
			cap *= 2;
		if (cap > c->lim.max_row + 1)
			cap = c->lim.max_row + 1;
		char *q = realloc(c->row, cap);
		if (!q)
			return err_set(E_NOMEM);
		c->row = q;
		c->row_cap = cap;
	}
	memcpy(c->row + c->row_len, p, n);
	c->row_len += n;
	return 0;
}

/* Ends the field being read (NUL-terminated in c->row) and opens the
 * next one's offset. */
static int field_end(struct csv *c)
{
	if (put(c, 0) < 0)
		return -1;
	if (c->nf + 1 > c->lim.max_fields)
		return err_set(E_CSV_FIELDS, (unsigned long long)c->row_line, c->lim.max_fields);
	if (c->nf + 1 >= c->fcap) {
		size_t cap = c->fcap ? c->fcap * 2 : 64;
		size_t *p = realloc(c->off, cap * sizeof *p);
		if (!p)
			return err_set(E_NOMEM);
		c->off = p;
		c->fcap = cap;
	}
	c->off[++c->nf] = c->row_len;
	return 0;
}

/* Reads on until the buffer holds the first row's first physical line
 * (or is full, or the text ends), however small the reads are. */
static int prefetch_line(struct csv *c)
{
	for (;;) {
		int q = 0;
		for (size_t i = c->in_pos; i < c->in_len; i++) {
			if (c->in[i] == '"')
				q = !q;
			else if (!q && (c->in[i] == '\n' || c->in[i] == '\r'))
				return 0;
		}
		if (c->eof || c->in_len == CSV_CHUNK)
			return 0;
		int n = c->read(c->ctx, c->in + c->in_len, CSV_CHUNK - c->in_len);
		if (n < 0)
			return -1;
		if (n == 0)
			c->eof = 1;
		c->in_len += (size_t)n;
	}
}

/* The separator of the first row: the most frequent of ',' ';' TAB
 * outside quotes on its first physical line, ',' when none (a header
 * longer than a chunk, 256 KiB, keeps ','). */
static char guess_sep(const struct csv *c)
{
	size_t n[3] = { 0 };
	static const char seps[3] = { ',', ';', '\t' };
	int q = 0;
	for (size_t i = c->in_pos; i < c->in_len; i++) {
		char ch = c->in[i];
		if (ch == '"')
			q = !q;
		else if (!q && (ch == '\n' || ch == '\r'))
			break;
		else if (!q)
			for (int k = 0; k < 3; k++)
				n[k] += ch == seps[k];
	}
	int best = 0;
	for (int k = 1; k < 3; k++)
		if (n[k] > n[best])
			best = k;
	return seps[best];
}

int csv_next(struct csv *c)
{
	enum { START, UNQ, QUO, QUO_END } st = START;
	int r = fill(c);
	if (r <= 0)
		return r;
	if (!c->sep) {
		if (prefetch_line(c) < 0)
			return -1;
		c->sep = guess_sep(c);
	}
	c->row_len = 0;
	c->nf = 0;
	c->row_line = c->line;
	if (!c->off && !(c->off = malloc(64 * sizeof *c->off)))
		return err_set(E_NOMEM);
	if (!c->fcap)
		c->fcap = 64;
	c->off[0] = 0;
	for (;;) {
		if ((r = fill(c)) < 0)
			return -1;
		if (r == 0) {                   /* end of text: ends the row */
			if (st == QUO)
				return err_set(E_CSV_QUOTE, (unsigned long long)c->row_line);
			return field_end(c) < 0 ? -1 : 1;
		}
		/* runs of plain bytes in one go: inside quotes up to the next
		 * quote (counting the line breaks), outside up to a separator,
		 * a line end or a quote */
		if (st == QUO || st == UNQ) {
			const char *p = c->in + c->in_pos, *end = c->in + c->in_len, *q = p;
			if (st == QUO) {
				while (q < end && *q != '"')
					c->line += *q++ == '\n';
			} else {
				while (q < end && *q != c->sep && *q != '\n' && *q != '\r' && *q != '"')
					q++;
			}
			if (q > p) {
				if (put_n(c, p, (size_t)(q - p)) < 0)
					return -1;
				c->in_pos += (size_t)(q - p);
				continue;
			}
		}
		char ch = c->in[c->in_pos++];
		switch (st) {
		case START:
			if (ch == '"') {
				st = QUO;
				break;
			}
			st = UNQ;
			/* fall through */
		case UNQ:
		case QUO_END:
			if (ch == c->sep) {
				if (field_end(c) < 0)
					return -1;
				st = START;
			} else if (ch == '\n' || ch == '\r') {
				if (ch == '\r') {
					/* CRLF: the LF may be in the next chunk */
					if ((r = fill(c)) < 0)
						return -1;
					if (r && c->in[c->in_pos] == '\n')
						c->in_pos++;
				}
				c->line++;
				return field_end(c) < 0 ? -1 : 1;
			} else if (st == QUO_END) {
				return err_set(E_CSV_AFTER_QUOTE, (unsigned long long)c->line);
			} else if (put(c, ch) < 0) {
				return -1;
			}
			break;
		case QUO:
			if (ch == '"') {
				if ((r = fill(c)) < 0)
					return -1;
				if (r && c->in[c->in_pos] == '"') {
					c->in_pos++;
					if (put(c, '"') < 0)
						return -1;
				} else {
					st = QUO_END;
				}
				break;
			}
			if (ch == '\n')
				c->line++;
			if (put(c, ch) < 0)
				return -1;
			break;
		}
	}
}

size_t csv_nfields(const struct csv *c)
{
	return c->nf;
}

const char *csv_field(const struct csv *c, size_t i, size_t *len)
{
	if (i >= c->nf) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (len)
		*len = c->off[i + 1] - c->off[i] - 1;
	return c->row + c->off[i];
}
