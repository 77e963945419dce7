/*
 * core/ — what every layer stands on: errors, messages in two languages,
 * bounded buffers, option parsing, JSON, time and files.
 * Prefixes: err_, tr/i18n_, buf_, opt_, json_, tm_, file_.
 */
#ifndef REFLEXE_CORE_H
#define REFLEXE_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Exit statuses (DESIGN.md, command-line contract). */
enum {
	EXIT_CLEAN = 0,     /* nothing suspicious found */
	EXIT_FINDINGS = 1,  /* findings at or above "suspect" */
	EXIT_USAGE = 2,     /* usage error */
	EXIT_FAIL = 3,      /* could not complete */
};

/* ---- messages (i18n.c) ------------------------------------------------
 * Every user-facing string is a message id with a French and an English
 * text side by side in a .def file of its module (src/<module>/msg.def),
 * gathered by src/core/msgs.def. Keeping both languages on one row makes a
 * missing translation impossible to write; tests/unit/test_i18n.c checks
 * that both texts are non-empty and carry the same printf conversions. */
enum msg_id {
#define MSG(id, fr, en) id,
#include "core/msgs.def"
#undef MSG
	MSG__COUNT
};

enum lang { LANG_FR = 0, LANG_EN = 1 };

/* Sets the language from opt ("fr"/"en"), else LC_ALL, LC_MESSAGES, LANG
 * ("fr*" means French), else English. Returns -1 on an unknown opt. */
int i18n_init(const char *opt);
enum lang i18n_lang(void);
const char *tr(enum msg_id id);
const char *tr_lang(enum msg_id id, enum lang l);
const char *i18n_msgname(enum msg_id id); /* "E_TLS_EXPIRED", for tests */

/* ---- errors (err.c) ----------------------------------------------------
 * A failing function sets the message once and returns -1; callers return
 * -1 up; only main() prints it. The message is thread-local, like errno,
 * so worker threads each keep their own. */
int err_set(enum msg_id id, ...);         /* formats tr(id); returns -1 */
int err_context(enum msg_id id, ...);     /* prefixes "<tr(id)>: " to the
                                             current message; returns -1 */
const char *err_msg(void);                /* "" when none */
enum msg_id err_id(void);                 /* id of the innermost err_set */
void err_clear(void);

/* ---- bounded growable buffer (buf.c) ------------------------------------ */
struct buf {
	char *p;        /* always NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
	size_t max;     /* 0 = no limit beyond memory; else append fails past it */
};
int buf_append(struct buf *b, const void *data, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
void buf_reset(struct buf *b);           /* len = 0, keeps memory */
void buf_free(struct buf *b);
/* Zeroes the memory before freeing: for tokens and secrets. */
void buf_wipe(struct buf *b);

/* ---- option parser (opt.c) ---------------------------------------------
 * GNU-style: --long value, --long=value, -s value, -svalue, bundled flags
 * -qv, "--" ends options; non-options are collected in order. */
enum { OPT_NOARG = 0, OPT_ARG = 1 };
struct opt_spec {
	const char *lng;   /* without "--"; NULL ends the table */
	char shrt;         /* 0 if none */
	int has_arg;
	int id;            /* returned by opt_next, > 0 */
};
struct opt_state {
	int argc;
	char **argv;
	int i;             /* next argv index */
	const char *bundle;/* rest of a bundled short group */
	int done;          /* "--" seen */
	const char *arg;   /* argument of the last option */
	const char *name;  /* name of the last option, for messages */
	char **pos;        /* positional arguments (caller-provided, argc slots) */
	int npos;
};
void opt_init(struct opt_state *st, int argc, char **argv, char **pos);
/* Returns an id > 0, 0 at the end, -1 on error (err_set: unknown option,
 * missing argument, argument to a flag). Looks options up in the tables
 * given, first match wins, so an applet passes its own then the common. */
int opt_next(struct opt_state *st, const struct opt_spec *const *tables);

/* ---- small helpers (util.c) ---------------------------------------------- */
/* Duplicates with an error set on out-of-memory. */
char *xstrdup(const char *s);
/* Wipes n bytes in a way the compiler cannot drop. */
void mem_wipe(void *p, size_t n);
/* Constant-time compare; 0 when equal. */
int mem_ct_cmp(const void *a, const void *b, size_t n);

#endif
