/*
 * A bounded INI reader (format in core.h). One copy of the text is cut
 * in place: every key and value points into it, so an entry costs one
 * struct and the whole file is freed at once.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"

static char *trim(char *s, char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*end = 0;
	return s;
}

/* Any byte below 0x20 but the tab, DEL, or bad UTF-8: a typed file has
 * no business holding them, and a value reaches logs and reports. */
static int text_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f)
			return 0;
	return json_utf8_valid(s, n);
}

/* With inline comments: ';' or '#' after a blank ends the value, so that
 * "FR   ; France" is "FR" while "https://sts.example/adfs#x" stays whole. */
static void cut_comment(char *s)
{
	for (char *p = s; *p; p++)
		if ((*p == ';' || *p == '#') && p > s && (p[-1] == ' ' || p[-1] == '\t')) {
			*p = 0;
			return;
		}
}

int ini_parse(struct ini *out, const char *text, size_t len, const char *name,
	      struct ini_limits lim)
{
	memset(out, 0, sizeof *out);
	if (len > lim.max_bytes)
		return err_set(E_FILE_TOO_LARGE, name, lim.max_bytes);
	if (!(out->mem = malloc(len + 1)))
		return err_set(E_NOMEM);
	memcpy(out->mem, text, len);
	out->mem[len] = 0;
	char *p = out->mem, *end = out->mem + len;
	if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	const char *section = "";
	int sline = 0;
	size_t cap = 0;
	for (int line = 1; p < end; line++) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *eol = nl ? nl : end;
		size_t n = (size_t)(eol - p);
		if (n && eol[-1] == '\r')
			n--;
		if (n > lim.max_line) {
			ini_free(out);
			return err_set(E_INI_LINE_LONG, name, line, lim.max_line);
		}
		if (!text_ok(p, n)) {
			ini_free(out);
			return err_set(E_INI_TEXT, name, line);
		}
		char *s = trim(p, p + n);
		p = nl ? nl + 1 : end;
		if (!*s || *s == ';' || *s == '#')
			continue;
		if (lim.inline_comments) {
			cut_comment(s);
			s = trim(s, s + strlen(s));
		}
		if (*s == '[') {
			size_t k = strlen(s);
			char *nm = k >= 3 && s[k - 1] == ']' ? trim(s + 1, s + k - 1) : NULL;
			if (!nm || !*nm || strpbrk(nm, "[]")) {
				ini_free(out);
				return err_set(E_INI_SECTION, name, line);
			}
			section = nm;
			sline = line;
			continue;
		}
		char *eq = strchr(s, '=');
		char *key = trim(s, eq ? eq : s + strlen(s));
		char *val = eq ? trim(eq + 1, eq + 1 + strlen(eq + 1)) : NULL;
		if (!*key) {
			ini_free(out);
			return err_set(E_INI_KEY, name, line);
		}
		if (out->n == lim.max_items) {
			ini_free(out);
			return err_set(E_INI_TOO_MANY, name, line, lim.max_items);
		}
		if (out->n == cap) {
			size_t nc = cap ? cap * 2 : 32;
			if (nc > lim.max_items)
				nc = lim.max_items;
			struct ini_item *it = realloc(out->it, nc * sizeof *it);
			if (!it) {
				ini_free(out);
				return err_set(E_NOMEM);
			}
			out->it = it;
			cap = nc;
		}
		out->it[out->n++] = (struct ini_item){ section, key, val, line, sline };
	}
	return 0;
}

int ini_load(struct ini *out, const char *path, struct ini_limits lim)
{
	struct buf b = { 0 };
	memset(out, 0, sizeof *out);
	if (file_read(path, &b, lim.max_bytes) < 0) {
		buf_free(&b);
		return -1;
	}
	int r = ini_parse(out, b.p ? b.p : "", b.len, path, lim);
	buf_free(&b);
	return r;
}

void ini_free(struct ini *ini)
{
	free(ini->it);
	free(ini->mem);
	memset(ini, 0, sizeof *ini);
}

const struct ini_item *ini_get(const struct ini *ini, const char *section, const char *key)
{
	for (size_t i = ini->n; i-- > 0;)
		if (!strcasecmp(ini->it[i].section, section) && !strcasecmp(ini->it[i].key, key))
			return &ini->it[i];
	return NULL;
}
