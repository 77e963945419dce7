/*
 * Formatting a catalogue message. The catalogue (core/msgs.def) is the
 * one format string of the tree that is not a literal: the compiler
 * cannot check a call's arguments against it, so the Makefile turns
 * -Wformat-nonliteral on and this file alone waives it. Every other
 * file prints a message by id through these functions, and
 * tests/unit/test_i18n.c checks that the French and English texts of a
 * message take the same conversions in the same order.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/core.h"

#pragma GCC diagnostic ignored "-Wformat-nonliteral"

int tr_vfprintf(FILE *f, enum msg_id id, va_list ap)
{
	return vfprintf(f, tr(id), ap);
}

int tr_fprintf(FILE *f, enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	int r = tr_vfprintf(f, id, ap);
	va_end(ap);
	return r;
}

int tr_vsnprintf(char *out, size_t n, enum msg_id id, va_list ap)
{
	return vsnprintf(out, n, tr(id), ap);
}

int tr_snprintf(char *out, size_t n, enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	int r = tr_vsnprintf(out, n, id, ap);
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
	int r = buf_vtrf(b, id, ap);
	va_end(ap);
	return r;
}

int buf_vtrf_lang(struct buf *b, enum lang l, enum msg_id id, va_list ap)
{
	return buf_vprintf(b, tr_lang(id, l), ap);
}

int buf_trf_lang(struct buf *b, enum lang l, enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	int r = buf_vtrf_lang(b, l, id, ap);
	va_end(ap);
	return r;
}

int tr_vfmt2(char *out[2], enum msg_id id, va_list ap)
{
	out[LANG_FR] = out[LANG_EN] = NULL;
	for (int l = LANG_FR; l <= LANG_EN; l++) {
		struct buf b = { 0 };
		va_list cp;
		va_copy(cp, ap);
		int r = buf_vtrf_lang(&b, (enum lang)l, id, cp);
		va_end(cp);
		if (r < 0 || (!b.p && buf_puts(&b, "") < 0)) {
			buf_free(&b);
			free(out[LANG_FR]);
			out[LANG_FR] = NULL;
			return -1;
		}
		out[l] = b.p;
	}
	return 0;
}

int tr_fmt2(char *out[2], enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	int r = tr_vfmt2(out, id, ap);
	va_end(ap);
	return r;
}
