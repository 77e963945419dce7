/*
 * A JSON export one record at a time, in bounded memory. Three shapes
 * hold the records, all seen in the wild:
 *   [ {…}, {…} ]                 the Entra portal's "Download JSON", and
 *                                ConvertTo-Json of a list
 *   {"@odata.context":…, "value":[ {…}, … ], "@odata.nextLink":…}
 *                                a saved Graph answer (several may follow
 *                                one another: pages saved end to end)
 *   {…}\n{…}\n                   JSON lines (Management Activity API
 *                                content, Log Analytics, Azure Monitor)
 * This only finds where each record (an object) starts and ends — strings
 * and escapes are followed so that a brace inside a string does not
 * count — and copies its bytes; json_parse then validates the record
 * itself against RFC 8259 (core/json.c). A 1 GB array is read with the
 * memory of its largest record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/export.h"

#define CHUNK (256u * 1024)

enum { TOP = 0, LINES = 1, ARRAY = 2, WRAP = 3, DONE = 4 };

void exp_jsplit_init(struct exp_jsplit *s, exp_read_fn fn, void *ctx)
{
	memset(s, 0, sizeof *s);
	s->read = fn;
	s->ctx = ctx;
	s->line = 1;
	s->el.max = EXP_MAX_RECORD;
}

void exp_jsplit_free(struct exp_jsplit *s)
{
	free(s->in);
	s->in = NULL;
	buf_free(&s->el);
}

/* Next byte, or -1 at the end (-2 on a read error). */
static int next(struct exp_jsplit *s)
{
	if (s->in_pos >= s->in_len) {
		if (s->eof)
			return -1;
		if (!s->in && !(s->in = malloc(CHUNK))) {
			err_set(E_NOMEM);
			return -2;
		}
		int n = s->read(s->ctx, s->in, CHUNK);
		if (n < 0)
			return -2;
		if (n == 0) {
			s->eof = 1;
			return -1;
		}
		s->in_len = (size_t)n;
		s->in_pos = 0;
	}
	unsigned char c = (unsigned char)s->in[s->in_pos++];
	if (c == '\n')
		s->line++;
	return c;
}

static int is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Copies one object, its '{' already read, into s->el. At depth 1 of a
 * top-level object (wrap_ok), a key "value" whose value is an array
 * turns the object into a wrapper: 2 is returned with the array's '['
 * consumed and s->el emptied. 1 for a whole object, -1 on error. */
static int object(struct exp_jsplit *s, int wrap_ok)
{
	int depth = 1, in_str = 0, esc = 0, c;
	/* wrapper detection: key position at depth 1, the key's text */
	int keypos = 1, kn = 0, after_colon = 0, is_value = 0;
	char key[8];
	buf_reset(&s->el);
	if (buf_append(&s->el, "{", 1) < 0)
		goto big;
	for (;;) {
		if ((c = next(s)) < 0) {
			if (c == -2)
				return -1;
			return err_set(E_EXP_JSON_EOF, (unsigned long long)s->el_line);
		}
		char ch = (char)c;
		if (in_str) {
			if (esc)
				esc = 0;
			else if (ch == '\\')
				esc = 1, kn = 9;     /* an escaped key is not "value" */
			else if (ch == '"') {
				in_str = 0;
				if (depth == 1 && keypos) {
					is_value = kn == 5 && !memcmp(key, "value", 5);
					keypos = 0;
				}
			} else if (depth == 1 && keypos && kn < 8) {
				key[kn++] = ch;
			} else if (depth == 1 && keypos) {
				kn = 9;
			}
		} else if (ch == '"') {
			in_str = 1;
			kn = 0;
			after_colon = 0;
		} else if (ch == '{' || ch == '[') {
			if (wrap_ok && depth == 1 && after_colon && is_value && ch == '[') {
				buf_reset(&s->el);
				return 2;
			}
			depth++;
			after_colon = 0;
		} else if (ch == '}' || ch == ']') {
			depth--;
			if (depth == 0) {
				if (buf_append(&s->el, &ch, 1) < 0)
					goto big;
				return 1;
			}
		} else if (depth == 1 && ch == ':') {
			after_colon = 1;
		} else if (depth == 1 && ch == ',') {
			keypos = 1;
			is_value = 0;
			after_colon = 0;
		} else if (!is_ws(c)) {
			after_colon = 0;
		}
		if (buf_append(&s->el, &ch, 1) < 0)
			goto big;
	}
big:
	return err_set(E_EXP_RECORD_BIG, (unsigned long long)s->el_line, (size_t)EXP_MAX_RECORD);
}

/* The rest of a wrapper after its "value" array: skipped up to its
 * closing brace (other keys such as @odata.nextLink). */
static int wrapper_rest(struct exp_jsplit *s)
{
	int depth = 1, in_str = 0, esc = 0, c;
	while ((c = next(s)) >= 0) {
		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if ((c == '}' || c == ']') && --depth == 0) {
			return 0;
		}
	}
	return c == -2 ? -1 : err_set(E_EXP_JSON_EOF, (unsigned long long)s->line);
}

static int unexpected(struct exp_jsplit *s, int c)
{
	char what[8];
	if (c >= 0x20 && c < 0x7f)
		what[0] = (char)c, what[1] = 0;
	else
		snprintf(what, sizeof what, "0x%02x", c & 0xff);
	return err_set(E_EXP_JSON_SHAPE, (unsigned long long)s->line, what);
}

int exp_jsplit_next(struct exp_jsplit *s)
{
	for (;;) {
		int c = next(s);
		if (c == -2)
			return -1;
		if (c == -1) {
			if (s->mode == ARRAY || s->mode == WRAP)
				return err_set(E_EXP_JSON_EOF, (unsigned long long)s->line);
			s->mode = DONE;
			return 0;
		}
		if (is_ws(c))
			continue;
		switch (s->mode) {
		case DONE:
			return unexpected(s, c);
		case TOP:
		case LINES:
			if (c == '[' && s->mode == TOP && !s->count) {
				s->mode = ARRAY;
				continue;
			}
			if (c != '{')
				return unexpected(s, c);
			s->el_line = s->line;
			{
				int r = object(s, 1);
				if (r < 0)
					return -1;
				if (r == 2) {
					s->mode = WRAP;
					continue;
				}
			}
			s->mode = LINES;
			s->count++;
			return 1;
		case ARRAY:
		case WRAP:
			if (c == ',')
				continue;
			if (c == ']') {
				if (s->mode == WRAP && wrapper_rest(s) < 0)
					return -1;
				/* after an array, only another page of a
				 * saved Graph answer may follow */
				s->mode = s->mode == WRAP ? TOP : DONE;
				continue;
			}
			if (c != '{')
				return unexpected(s, c);
			s->el_line = s->line;
			if (object(s, 0) < 0)
				return -1;
			s->count++;
			return 1;
		}
	}
}
