/*
 * The message catalogue. Its texts (core/msgs.def) are stored deflated
 * by the build (gen_catalogue.c writes them, gen_catalogue.py deflates
 * them): 100-odd KB of French and English are, after mbedTLS, the
 * largest part of the binary, and keep a third of their size so. They
 * are inflated once, on first use, into one block that lives as long as
 * the process; tr() returns pointers into it, as it returned literals.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

extern const size_t i18n_raw_len, i18n_z_len, i18n_z_count;
extern const unsigned char i18n_z[];

static const char *catalogue[MSG__COUNT][2];
static pthread_once_t loaded = PTHREAD_ONCE_INIT;

/* Without its texts the program can still say "?": never a crash. */
static void load(void)
{
	char *raw = malloc(i18n_raw_len ? i18n_raw_len : 1);
	size_t n = 0;
	if (!raw || i18n_z_count != 2 * (size_t)MSG__COUNT ||
	    inflate_raw(i18n_z, i18n_z_len, raw, i18n_raw_len, &n) < 0 || n != i18n_raw_len ||
	    (n && raw[n - 1])) {
		free(raw);
		return;
	}
	const char *p = raw;
	for (int i = 0; i < MSG__COUNT; i++)
		for (int l = 0; l < 2; l++) {
			catalogue[i][l] = p;
			p += strlen(p) + 1;
		}
}


/* Set once in main() before any thread starts, then only read. */
static enum lang cur = LANG_EN;

static int is_french(const char *v)
{
	return v && (v[0] == 'f' || v[0] == 'F') && (v[1] == 'r' || v[1] == 'R');
}

int i18n_init(const char *opt)
{
	pthread_once(&loaded, load);
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
	pthread_once(&loaded, load);
	return catalogue[id][l] ? catalogue[id][l] : "?";
}

const char *tr(enum msg_id id) { return tr_lang(id, cur); }


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

int buf_vtrf(struct buf *b, enum msg_id id, va_list ap)
{
	return buf_vprintf(b, tr(id), ap);
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
