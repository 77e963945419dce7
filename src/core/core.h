/*
 * core/ — what every layer stands on: errors, messages in two languages,
 * bounded buffers, option parsing, JSON, CSV, time, files and the sandbox.
 * Prefixes: err_, tr/i18n_, buf_, opt_, json_, csv_, tm_, file_, mem_,
 * vec_, hash_, sbx_.
 */
#ifndef REFLEXE_CORE_H
#define REFLEXE_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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
 * that both texts are non-empty and carry the same printf conversions.
 *
 * The one include that runs upwards. core/ stands below everything, yet
 * msgs.def includes every folder's msg.def, so that the ids are one enum
 * and the texts one table. It is sanctioned and the only such edge: a .def
 * holds data rows and no code, and core/ calls nothing above it. What it
 * costs: the ground floor knows every room's message names, and editing a
 * message rebuilds the whole tree (every object depends on every .def,
 * Makefile). A new folder adds its msg.def to msgs.def; no other file of
 * core/ may include a higher folder. */
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

/* Printing a message (tr.c): the format is tr(id), in the current
 * language, and the arguments follow the id. The only way to format a
 * catalogue text: -Wformat-nonliteral is on everywhere but in tr.c.
 *   tr_fprintf(stderr, M_LOGIN_EXO_FAILED, err_msg());
 *   buf_trf(&b, M_R_MORE, n - max);
 * Return what the printf they stand for returns (buf_*: 0 or -1). */
struct buf;
int tr_fprintf(FILE *f, enum msg_id id, ...);
int tr_vfprintf(FILE *f, enum msg_id id, va_list ap);
int tr_snprintf(char *out, size_t n, enum msg_id id, ...);
int tr_vsnprintf(char *out, size_t n, enum msg_id id, va_list ap);
int buf_trf(struct buf *b, enum msg_id id, ...);
int buf_vtrf(struct buf *b, enum msg_id id, va_list ap);
/* The same in a language given, whatever the user's. */
int buf_trf_lang(struct buf *b, enum lang l, enum msg_id id, ...);
int buf_vtrf_lang(struct buf *b, enum lang l, enum msg_id id, va_list ap);
/* Both languages at once, malloc'ed: out[LANG_FR], out[LANG_EN] (for a
 * document that carries both, as findings do). On -1 (err set) both are
 * NULL. */
int tr_fmt2(char *out[2], enum msg_id id, ...);
int tr_vfmt2(char *out[2], enum msg_id id, va_list ap);

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
/* Warn and go on: prints the message to stderr ("reflexe: …") and clears
 * it, for a failure the run survives (a logbook line not written, a
 * probe that failed). Give it context first with err_context(). */
void err_warn(void);
/* Puts back a message saved from err_msg()/err_id() (after work that may
 * have set its own, such as writing a logbook line about the failure). */
void err_restore(enum msg_id id, const char *text);

/* --since, one grammar for every applet: "30d" (or "30j"), "12h", "45m"
 * back from the case's time, or a date (local time unless it says its
 * offset). Both fields 0: not given, the applet's default applies.
 * Parsed by tm_parse_since (time.c). */
struct tm_window {
	int64_t abs;           /* an instant (Unix seconds), or 0 */
	int64_t dur;           /* a duration back from "now", or 0 */
};

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
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void buf_reset(struct buf *b);           /* len = 0, keeps memory */
void buf_free(struct buf *b);
/* Zeroes the memory before freeing: for tokens and secrets. */
void buf_wipe(struct buf *b);
/* Appends s (NULL: nothing) escaped for an HTML page (html.c): & < > " '
 * as entities, a newline as <br> when br, control, bidirectional and
 * zero-width characters as \uXXXX in <span class="ctl"> (a name cannot
 * hide or reverse text). */
int buf_html(struct buf *b, const char *s, int br);
/* Bytes (3) of a bidirectional control or zero-width character at p
 * (U+200B..200F, U+202A..202E, U+2066..2069, U+FEFF), its code point in
 * *cp when cp is not NULL; else 0. */
int utf8_invisible(const unsigned char *p, unsigned *cp);
/* Appends Windows-1252 text (what a French Excel saves as plain "CSV")
 * as UTF-8. */
int buf_from_cp1252(struct buf *out, const char *s, size_t n);

/* ---- growable arrays (vec.c) ---------------------------------------------
 * An array is a pointer, a count and a room, held by the caller; the room
 * doubles when full. vec_grow makes room for element n (the caller fills
 * it and counts it); vec_push appends a zeroed element and returns it.
 * Both: -1 / NULL with err set on out-of-memory, the array left as it
 * was. Bounds belong to the caller (a parser's limit is its own).
 *   if (VEC_GROW(l->v, l->n, l->cap) < 0) return -1;  l->v[l->n++] = x;
 *   struct row *r = VEC_PUSH(t->rows, t->n, t->cap); */
int vec_grow(void *pv, size_t n, size_t *cap, size_t elsz);
void *vec_push(void *pv, size_t *n, size_t *cap, size_t elsz);
#define VEC_GROW(v, n, cap) vec_grow(&(v), (n), &(cap), sizeof *(v))
#define VEC_PUSH(v, n, cap) vec_push(&(v), &(n), &(cap), sizeof *(v))

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

/* The common options of DESIGN.md, parsed once per run by the applet
 * layer (applets/common.c). Defined here, below every layer, because the
 * collectors and the check runner are handed them too: the one state
 * STYLE.md allows to travel down, read-only. */
struct common {
	const char *case_dir;   /* --case DIR */
	const char *tenant;     /* --tenant ID|domain */
	const char *since;      /* --since 30d, as typed */
	struct tm_window window;/* --since, parsed */
	const char *baseline;   /* --baseline FILE */
	const char *format;     /* --format text|json|csv|md|html */
	const char *lang;       /* --lang fr|en */
	const char *who;        /* --who NAME */
	const char *proxy;      /* --proxy URL */
	int parallel;           /* --parallel N: connections per service, 0 = default */
	int offline;            /* --offline */
	int quiet;              /* -q */
	int verbose;            /* -v (repeatable) */
	int help;               /* -h, --help */
	char **pos;             /* positional arguments (common_free frees) */
	int npos;
};

/* ---- small helpers (util.c) ---------------------------------------------- */
/* Duplicates with an error set on out-of-memory. */
char *xstrdup(const char *s);
/* Wipes n bytes in a way the compiler cannot drop. */
void mem_wipe(void *p, size_t n);
/* Constant-time compare; 0 when equal. */
int mem_ct_cmp(const void *a, const void *b, size_t n);
/* 1 when s is a GUID as Microsoft writes them (8-4-4-4-12 hex digits,
 * either case), else 0 (NULL too). */
int guid_ok(const char *s);

/* ---- JSON reading (json.c, over jsmn) ---------------------------------
 * Parses into a token array sized by the caller's limits; never reads past
 * len; refuses more tokens or deeper nesting than allowed ("too large" or
 * "too deep" errors, never silent truncation). Tokens are ints: 0 is the
 * root, -1 means absent. Paths are dotted keys, with array indexes as
 * numbers: "value.0.principal.userPrincipalName". Keys are compared after
 * unescaping. */
enum json_type { JSON_ABSENT = 0, JSON_OBJ, JSON_ARR, JSON_STR, JSON_NUM,
		 JSON_TRUE, JSON_FALSE, JSON_NULL };
struct json {
	const char *s;
	size_t len;
	void *tok;          /* jsmntok_t[ntok] */
	int ntok;
};
struct json_limits { int max_tokens; int max_depth; };
#define JSON_LIMITS_DEFAULT ((struct json_limits){ 1 << 22, 64 })
int json_parse(struct json *j, const char *s, size_t len, struct json_limits lim);
void json_free(struct json *j);
int json_get(const struct json *j, int tok, const char *path);  /* -1 absent */
enum json_type json_type(const struct json *j, int tok);
/* Children of an object (values) or array (elements), in order:
 * for (int c = json_first(j, t); c >= 0; c = json_next(j, c)) ... */
int json_first(const struct json *j, int tok);
int json_next(const struct json *j, int tok);
int json_count(const struct json *j, int tok);      /* children */
/* Key token of an object value (its parent), to read with json_str(…,-1…)
 * semantics: json_key(j, c, out, sz). */
int json_key(const struct json *j, int val_tok, char *out, size_t outsz);
/* Typed reads of tok+path. Return 0 when found and of the right type,
 * 1 when absent or null (out set to ""/0), -1 when of another type or too
 * long for out (err_set). Strings are unescaped (\uXXXX and surrogate
 * pairs to UTF-8; \u0000 refused). */
int json_str(const struct json *j, int tok, const char *path, char *out, size_t outsz);
char *json_strdup(const struct json *j, int tok, const char *path); /* NULL if absent/null/error */
int json_int(const struct json *j, int tok, const char *path, long long *out);
int json_bool(const struct json *j, int tok, const char *path, int *out);
/* Raw text of a token (strings without quotes, still escaped). */
const char *json_raw(const struct json *j, int tok, size_t *len);

/* ---- JSON writing (json.c) ----------------------------------------------
 * Appends a quoted, escaped JSON string: UTF-8 kept as is, control
 * characters escaped, invalid UTF-8 bytes replaced by U+FFFD. */
int json_put_str(struct buf *b, const char *s);
int json_put_strn(struct buf *b, const char *s, size_t n);
/* 1 when s[0..n) is well-formed UTF-8 (RFC 3629), else 0. */
int json_utf8_valid(const char *s, size_t n);

/* ---- hashing (hash.c, mbedTLS) ---------------------------------------------
 * n bytes as 2n lower-case hex digits and a NUL (out: 2n + 1 bytes). */
void hash_hex(const unsigned char *d, size_t n, char *out);
/* SHA-256 of data in lower-case hex, as sha256sum prints it. */
int hash_sha256_hex(const void *data, size_t n, char out[65]);

/* ---- raw DEFLATE (inflate.c) ---------------------------------------------
 * RFC 1951 without a zlib or gzip header: in[0..n) into out, at most cap
 * bytes; *outlen gets the size. -1 (no message: the catalogue itself is
 * what it inflates) on a malformed stream or one that does not fit. */
int inflate_raw(const void *in, size_t n, void *out, size_t cap, size_t *outlen);

/* ---- INI reading (ini.c) -------------------------------------------------
 * A small reader for the files a person types: "[section]" lines, "key =
 * value" lines (a line without '=' is a key without a value: lists such
 * as a baseline's), comments on lines of their own starting with ';' or
 * '#' (and, with inline_comments, after a blank at the end of a line).
 * UTF-8 (a leading BOM, as Windows Notepad writes, is skipped), LF or
 * CRLF, no control characters. Bounded: file size, line length, number
 * of entries, each a "too large" error, never a silent cut. Errors name
 * the file and the line. Entries keep the file's order; what a key or a
 * value means, and whether one may repeat, is the caller's business. */
struct ini_item {
	const char *section;    /* "" before the first [section] */
	const char *key;        /* trimmed, never empty */
	const char *value;      /* trimmed; NULL when the line has no '=' */
	int line;               /* 1-based */
	int sline;              /* its [section] line, 0 before any */
};
struct ini {
	struct ini_item *it;
	size_t n;
	char *mem;              /* the text the pointers point into */
};
struct ini_limits {
	size_t max_bytes;       /* the whole file */
	size_t max_line;
	size_t max_items;
	int inline_comments;
};
#define INI_LIMITS_DEFAULT ((struct ini_limits){ 1024 * 1024, 4096, 100000, 0 })
/* name is used in messages (a path, "answers.ini"). out is zeroed first. */
int ini_parse(struct ini *out, const char *text, size_t len, const char *name,
	      struct ini_limits lim);
int ini_load(struct ini *out, const char *path, struct ini_limits lim);
void ini_free(struct ini *ini);
/* The last entry of section/key (case-insensitive), or NULL. */
const struct ini_item *ini_get(const struct ini *ini, const char *section, const char *key);
/* ---- CSV reading (csv.c) ------------------------------------------------
 * RFC 4180, streamed: the text comes from read(ctx, buf, n) — bytes read,
 * 0 at the end, -1 on error with err set — and one row at a time is kept,
 * at most max_row bytes and max_fields fields (errors name the line).
 * sep 0: guessed from the first row (',' ';' or TAB). A UTF-8 BOM at the
 * start is skipped. Fields are NUL-terminated and valid until the next
 * csv_next; a field may hold NUL bytes of its own (len says). */
typedef int (*csv_read_fn)(void *ctx, char *buf, size_t n);
struct csv_limits { size_t max_row; size_t max_fields; };
struct csv {
	csv_read_fn read;
	void *ctx;
	char sep;
	struct csv_limits lim;
	char *in;               /* input chunk */
	size_t in_len, in_pos;
	int eof, started;
	char *row;              /* the fields, each NUL-terminated */
	size_t row_len, row_cap;
	size_t *off;            /* off[i] = start of field i; off[nf] = end */
	size_t nf, fcap;
	uint64_t line;          /* physical line the next row starts on */
	uint64_t row_line;      /* physical line the last row started on */
};
void csv_init(struct csv *c, csv_read_fn fn, void *ctx, char sep, struct csv_limits lim);
/* 1 with a row, 0 at the end, -1 (err set, naming the line) on a
 * malformed or oversized row or a read error. */
int csv_next(struct csv *c);
size_t csv_nfields(const struct csv *c);
/* Field i of the last row (NULL past the last one; *len 0). */
const char *csv_field(const struct csv *c, size_t i, size_t *len);
void csv_free(struct csv *c);

/* ---- time (time.c) ------------------------------------------------------- */
int64_t tm_now(void);          /* wall clock, Unix seconds */
int64_t tm_now_ms(void);       /* wall clock, Unix milliseconds */
int64_t tm_mono_ms(void);      /* monotonic milliseconds */
/* "2026-11-22T09:40:00Z" (out: 21+ bytes) */
void tm_utc_iso(int64_t unix_s, char *out, size_t outsz);
/* "2026-11-22 09:40 UTC", for people (out: 21+ bytes) */
void tm_utc_short(int64_t unix_s, char *out, size_t outsz);
/* Parses ISO 8601 / RFC 3339 "2026-11-22T09:40:00Z", "...+01:00",
 * fractional seconds allowed, and "2026-11-22 09:40 +01:00". Unix seconds
 * out, offset in minutes (0 for Z; *has_offset 0 when none was given). */
int tm_parse_iso(const char *s, int64_t *unix_s, int *offset_min, int *has_offset);
/* The host's UTC offset in minutes at t (TZ), within UTC-12..UTC+14. */
int tm_local_offset(int64_t t);
/* tm_parse_iso, where a date without offset is the host's local time
 * (what a responder types); *offset_min (may be NULL) gets the offset used. */
int tm_parse_local(const char *s, int64_t *t, int *offset_min);
/* --since (struct tm_window above). */
int tm_parse_since(const char *s, struct tm_window *w);   /* E_SINCE */
/* The window's start for a case whose time is now; dflt seconds back when
 * --since was not given. */
int64_t tm_window_start(const struct tm_window *w, int64_t now, int64_t dflt);
/* RFC 9110 HTTP-date ("Sun, 06 Nov 1994 08:49:37 GMT") */
int tm_parse_http(const char *s, int64_t *unix_s);
/* Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
int64_t tm_days_from_civil(int64_t y, int m, int d);
/* Time zones (tz.c), compiled in (the host's tz database is not
 * trusted): "UTC", an ISO offset ("+01:00", "UTC-5"), an IANA name of the
 * built-in list ("Europe/Paris") or a POSIX TZ rule
 * ("CET-1CEST,M3.5.0,M10.5.0/3"). Offsets are in seconds east of UTC. */
struct tm_rule { int month, week, wday; long time; };
struct tm_zone {
	char name[64];
	long std_east, dst_east;
	int has_dst;
	struct tm_rule start, end;
};
int tm_zone_parse(const char *name, struct tm_zone *z);
/* 1 when summer time is in force at UTC instant t. */
int tm_zone_is_dst(const struct tm_zone *z, int64_t t);
/* UTC instant of a local wall time given as seconds "as if UTC" (what
 * tm_parse_iso returns for a time without offset). In the autumn repeat,
 * the summer-time reading (the earlier instant). */
int64_t tm_zone_to_utc(const struct tm_zone *z, int64_t wall);
/* Build date (Unix seconds: the last commit's, or SOURCE_DATE_EPOCH), from
 * the one file the Makefile generates, build/<tree>/gen/build_epoch.c, so
 * that --version and the clock check (net/tls.c) use the same value. */
extern const long long reflexe_build_epoch;

/* ---- files (file.c) ---------------------------------------------------------
 * Atomic: write to a temp file in the same folder, fsync, rename, fsync the
 * folder, so a pulled stick never leaves a half-written file under the
 * final name. */
int file_write_atomic(const char *path, const void *data, size_t n);
/* Replaces out's contents with the whole file; "too large" past max. */
int file_read(const char *path, struct buf *out, size_t max);
/* mkdir -p, mode 0700; each folder it makes is fsynced in its parent, so
 * that a pulled stick keeps the folder, not only the files in it. */
int file_mkdirs(const char *path);
int file_fsync_dir(const char *dir);
int file_exists(const char *path);
/* write(2) until done, retrying EINTR; -1 with errno on failure. */
int file_write_all(int fd, const void *data, size_t n);
/* The errno text in the user's language (musl's strerror is English). */
const char *file_strerror(int errnum);
/* Replaces the contents of a file in place (created 0600 when absent;
 * open, truncate, write, fsync): for a file outside the case that a
 * narrowed process may write (-o), whose folder it may not touch. Not
 * atomic: a failure half-way leaves a partial file, and says so. */
int file_write_over(const char *path, const void *data, size_t n);

/* ---- sandbox (sandbox.c) ----------------------------------------------------
 * "Narrow, then act" (STYLE.md): after the options are parsed and the case
 * folder is known, before any thread starts and before a byte from the
 * network or a customer's file is read, the process keeps only:
 *   - write_dirs: read, write, make and rename files and folders beneath
 *     (the case folder). One not there yet: its nearest existing parent
 *     instead, until sbx_narrow is called again once it exists (each call
 *     can only take rights away);
 *   - write_files: those files only, written in place with
 *     file_write_over (created empty when absent): -o, --make-baseline;
 *   - read: those files or folders (the baseline, REFLEXE_CA_FILE,
 *     AZURE_CLIENT_CERTIFICATE_PATH, a file to import);
 *   - always: the zone files (local time); with net, the resolver files;
 *   - net: no TCP connection at all, those ports only, or any; never a
 *     listening socket;
 *   - nothing executed, no signal to or abstract socket of a process
 *     outside, no new privileges (PR_SET_NO_NEW_PRIVS, always set).
 * Unset slots are NULL / 0. Returns 0 when narrowed; 1 when this kernel
 * cannot (no Landlock, turned off, or REFLEXE_SANDBOX=off), err_msg()
 * saying why: the caller prints that one line and goes on; -1 with
 * err_set when a rule cannot be set (a path to write that cannot be
 * opened): the caller stops. */
#define SBX_MAX 8
enum sbx_net { SBX_NET_NONE = 0, SBX_NET_PORTS, SBX_NET_ANY };
struct sbx {
	const char *write_dirs[SBX_MAX];
	const char *write_files[SBX_MAX];
	const char *read[SBX_MAX];
	enum sbx_net net;
	uint16_t ports[SBX_MAX];
};
int sbx_narrow(const struct sbx *s);
/* The Landlock ABI of this kernel (1, 2…), or 0 with err_msg() saying
 * why there is none: for --version. */
int sbx_abi(void);
/* Defined by test tools only (tests/tools/sbxrun.c): called at the end
 * of sbx_narrow, inside the narrowed process. Absent from reflexe. */
void sbx_test_hook(const struct sbx *s, int narrowed);
/* Also test builds only (tests/unit/test_sandbox.c): the Landlock ABI to
 * act as when lower than this kernel's; absent from reflexe. */
int sbx_test_abi(void);

#endif
