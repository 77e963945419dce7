#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

static const char *const catalogue[MSG__COUNT][2] = {
#define MSG(id, fr, en) [id] = { fr, en },
#include "core/msgs.def"
#undef MSG
};

static const char *const names[MSG__COUNT] = {
#define MSG(id, fr, en) [id] = #id,
#include "core/msgs.def"
#undef MSG
};

/* Set once in main() before any thread starts, then only read. */
static enum lang cur = LANG_EN;

static int is_french(const char *v)
{
	return v && (v[0] == 'f' || v[0] == 'F') && (v[1] == 'r' || v[1] == 'R');
}

int i18n_init(const char *opt)
{
	if (opt) {
		if (!strcmp(opt, "fr")) { cur = LANG_FR; return 0; }
		if (!strcmp(opt, "en")) { cur = LANG_EN; return 0; }
		return err_set(E_LANG, opt);
	}
	/* POSIX precedence: LC_ALL, then LC_MESSAGES, then LANG. */
	const char *vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v) {
			cur = is_french(v) ? LANG_FR : LANG_EN;
			return 0;
		}
	}
	cur = LANG_EN;
	return 0;
}

enum lang i18n_lang(void) { return cur; }

const char *tr_lang(enum msg_id id, enum lang l)
{
	if ((unsigned)id >= MSG__COUNT || (unsigned)l > LANG_EN)
		return "?";
	return catalogue[id][l];
}

const char *tr(enum msg_id id) { return tr_lang(id, cur); }

const char *i18n_msgname(enum msg_id id)
{
	return (unsigned)id < MSG__COUNT ? names[id] : "?";
}

/* Printing a catalogue message: its format is not a literal, but it is
 * one the catalogue holds, with the conversions test_i18n.c checks in
 * both languages — the one place the warning is waived. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
int tr_fprintf(FILE *f, enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	int r = vfprintf(f, tr(id), ap);
	va_end(ap);
	return r;
}

int buf_trf(struct buf *b, enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	int r = buf_vprintf(b, tr(id), ap);
	va_end(ap);
	return r;
}
#pragma GCC diagnostic pop
