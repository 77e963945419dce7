/*
 * courante/ — the incident logbook (main courante): one JSON line per
 * event in <case>/courante.jsonl, hash-chained, append-only, safe with
 * several writers and a pulled stick. Prefix: cour_.
 *
 *   entry.c   the line format and its hash (definition at the top)
 *   store.c   append (lock, O_APPEND, fsync), load, torn tail, repair
 *   view.c    what a reader sees: effective status, corrections, order,
 *             filters
 *   text.c    the text listing and the verify report
 *   csv.c     CSV export (French Excel) and import (spreadsheets)
 *   export.c  Markdown and self-contained HTML timeline
 *   who.c     who is writing (the case folder: case/find.c)
 */
#ifndef REFLEXE_COURANTE_H
#define REFLEXE_COURANTE_H

#include <stdint.h>
#include <stdio.h>

#include "core/core.h"

#define COUR_FILE "courante.jsonl"
#define COUR_WHO_FILE "courante.who"

/* Bounds: a line is what one person types or pastes; a logbook is what a
 * team writes in an incident, with a wide margin. */
#define COUR_MAX_LINE      (64 * 1024)
#define COUR_MAX_WHAT      (32 * 1024)
#define COUR_MAX_FIELD     512          /* who, source, one target */
#define COUR_MAX_TARGETS   64
#define COUR_MAX_FILE      ((size_t)512 * 1024 * 1024)

enum cour_kind {
	COUR_NOTE = 0,   /* "note": courante add */
	COUR_OPEN,       /* "open": courante init --title */
	COUR_CORRECT,    /* "correct": points at the line it corrects */
	COUR_STATUS,     /* "status": moves an action on */
	COUR_TOOL,       /* "tool": written by another applet */
	COUR_IMPORT,     /* "import": a row of an imported CSV */
	COUR_REPAIR,     /* "repair": a torn tail was quarantined */
	COUR_KIND__N
};

enum cour_status { COUR_ST_NONE = 0, COUR_ST_TODO, COUR_ST_DOING, COUR_ST_DONE };

struct cour_entry {
	long long seq;          /* 1, 2, 3… = line number */
	enum cour_kind kind;
	int64_t recorded;       /* when it was written, UTC */
	int64_t event;          /* when it happened, UTC */
	int offset_min;         /* the event's local offset, as given */
	char *who;
	char *what;
	char **targets;
	size_t ntargets;
	enum cour_status status;
	char *source;           /* NULL when none */
	long long corrects;     /* 0 when none */
	long long status_of;    /* 0 when none */
	char prev[65];
	char hash[65];
};

/* ---- entry.c ------------------------------------------------------------ */
const char *cour_kind_name(enum cour_kind k);
const char *cour_status_name(enum cour_status s);        /* "todo"… or NULL */
/* "todo", "doing", "done" and the French "à faire", "en cours", "fait"
 * (accents, case and '-'/'_' for spaces optional); -1 if none matches. */
int cour_status_parse(const char *s, enum cour_status *out);
const char *cour_status_label(enum cour_status s);       /* user's language */
/* Appends e as one line (with '\n') to out, computing e->hash from
 * e->prev and the content. */
int cour_entry_format(struct cour_entry *e, struct buf *out);
/* Parses one line (without '\n'). Checks the fields and that the stored
 * hash is well-formed; *hash_ok says whether it matches the content.
 * Returns 0, or -1 with err set (unreadable line). */
int cour_entry_parse(struct cour_entry *e, const char *line, size_t len, int *hash_ok);
void cour_entry_free(struct cour_entry *e);
/* SHA-256 of n bytes as 64 lowercase hex digits. */
int cour_sha256_hex(const void *p, size_t n, char out[65]);
/* Checks text for a logbook field: valid UTF-8, bounded. */
int cour_check_text(const char *what_name, const char *s, size_t max);
/* Offsets as "+01:00". */
void cour_offset_str(int offset_min, char out[8]);

/* ---- store.c -------------------------------------------------------------- */
struct cour_tail {           /* damage found at the end of the file */
	long long line;          /* its line number, 0 when the file is clean */
	size_t offset;           /* where the damaged bytes start */
	size_t len;
};

struct cour_log {
	struct cour_entry *e;    /* complete, readable lines, in file order */
	size_t n;
	struct cour_tail torn;
	/* first line that breaks the chain (0: none), and why (a message) */
	long long bad_line;
	size_t bad_entry;         /* e[bad_entry - 1] is that line; 0: unreadable or none */
	long long anchor_line;    /* cour_check_anchor: the line with that hash, 0 none */
	char bad_why[256];
	char head[65];            /* hash of the last readable line */
	char path[4096];
};

/* <case>/courante.jsonl into path; -1 if too long. */
int cour_path(const char *case_dir, char *path, size_t sz);
/* Reads and checks the whole logbook under a shared lock. A missing file
 * is an empty log (*exists = 0). Unreadable lines in the middle, seq gaps,
 * prev/hash mismatches set bad_line (the first one) and stop the check
 * there but not the load; an unreadable last line is a torn tail. */
int cour_load(const char *case_dir, struct cour_log *log, int *exists);
/* The same check without keeping the entries (verify): log->n counts the
 * readable lines, log->e stays NULL. */
int cour_check(const char *case_dir, struct cour_log *log, int *exists);
/* The same, also looking for the line whose hash starts with anchor (a
 * head hash noted on paper or sent by mail earlier): the chain alone
 * cannot show that lines were cut off the end, a hash noted elsewhere
 * can. */
int cour_check_anchor(const char *case_dir, const char *anchor, struct cour_log *log,
		      int *exists);
void cour_log_free(struct cour_log *log);
const struct cour_entry *cour_find(const struct cour_log *log, long long seq);

/* Appends n entries in one locked write (all or nothing): seq and prev
 * are set here, under the lock, from the current last line. Refuses to
 * chain onto a torn tail. On any write failure the file is cut back to
 * its size before the call. first_seq gets the seq of entries[0]. */
enum {
	COUR_APPEND_CREATE = 1,  /* create the case folder and the logbook */
	COUR_APPEND_NEW = 2,     /* only into an empty logbook (init) */
};
int cour_append(const char *case_dir, struct cour_entry *entries, size_t n,
		unsigned flags, long long *first_seq);
/* Moves a torn tail to <case>/courante.quarantine-<time>.txt and appends a
 * "repair" entry by who saying so. *repaired = 0 when there was nothing
 * to do; qpath gets the quarantine file's name. */
int cour_repair(const char *case_dir, const char *who, int *repaired,
		char *qpath, size_t qsz, long long *seq);

/* For other applets: one "tool" line, source "reflexe <applet> <version>".
 * who NULL: REFLEXE_WHO, then the name remembered in the case, then
 * "reflexe". Creates the logbook if needed. 0, or -1 with err set. */
int cour_log_tool(const char *case_dir, const char *who, const char *applet,
		  const char *text, const char *const *targets, size_t ntargets);

/* ---- who.c ------------------------------------------------------------------- */
/* --who, else REFLEXE_WHO, else case.ini "who=", else courante.who, else
 * asked once on the terminal (and remembered in courante.who) when
 * interactive; else a usage error. */
int cour_who(const char *case_dir, const char *opt, int interactive, char *out, size_t sz);
/* The same without asking, for applets: NULL when unknown. */
int cour_who_known(const char *case_dir, char *out, size_t sz);

/* ---- view.c ------------------------------------------------------------------- */
struct cour_filter {
	const char *who;         /* case-insensitive substring */
	const char *target;      /* case-insensitive substring of a target */
	int status;              /* 0 any, else enum cour_status (effective) */
	int64_t since;           /* event >= since; 0 = any */
	int actions_only;        /* open actions: effective todo/doing */
};

struct cour_row {
	const struct cour_entry *e;
	enum cour_status eff;    /* latest status (status lines applied) */
	long long corrected_by;  /* latest correction of this line, 0 none */
	long long status_seq;    /* line that set eff, 0 = its own */
};

struct cour_view {
	struct cour_row *r;
	size_t n;
};
/* Rows of log matching f, in event order (ties by seq). */
int cour_view(const struct cour_log *log, const struct cour_filter *f, struct cour_view *v);
void cour_view_free(struct cour_view *v);

/* ---- text.c, csv.c, export.c ------------------------------------------------------ */
enum cour_fmt { COUR_FMT_TEXT, COUR_FMT_CSV, COUR_FMT_MD, COUR_FMT_HTML };
struct cour_doc {                /* what every rendering shows on top */
	const char *case_name;
	const struct cour_log *log;
	int64_t generated;
	int no_integrity;            /* a preview (import --dry-run) */
};
int cour_render(enum cour_fmt f, const struct cour_doc *d, const struct cour_view *v,
		struct buf *out);
int cour_render_text(const struct cour_doc *d, const struct cour_view *v, struct buf *out);
int cour_render_csv(const struct cour_doc *d, const struct cour_view *v, struct buf *out);
int cour_render_md(const struct cour_doc *d, const struct cour_view *v, struct buf *out);
int cour_render_html(const struct cour_doc *d, const struct cour_view *v, struct buf *out);
/* "Chain intact: …" / "WARNING: chain broken at line …" (and the torn
 * tail, if any, too), user's language. */
int cour_integrity_line(const struct cour_log *log, struct buf *b);
/* Whether e is the line where the chain breaks (each rendering marks it). */
int cour_is_bad_line(const struct cour_log *log, const struct cour_entry *e);
/* "2026-11-22 09:40:00 +01:00" for an entry's event, in its own offset. */
void cour_local_str(int64_t t, int offset_min, char *out, size_t sz);
/* "2026-11-22 08:40:00 UTC". */
void cour_utc_str(int64_t t, char *out, size_t sz);
/* "opened", "tool", "imported", "repair" in the user's language; NULL
 * for notes, corrections and status lines (their links say what they
 * are). */
const char *cour_kind_label(enum cour_kind k);
/* Written down more than a minute away from when it happened (--at, an
 * import): every rendering then shows the recording time too. */
int cour_written_late(const struct cour_entry *e);

/* CSV import: parses data into entries (kind import, who defaulting to
 * default_who). Any bad row: -1, with every bad row's line number and
 * reason in errors (one per line, user's language), nothing returned. */
struct cour_import {
	struct cour_entry *e;
	size_t n;
	size_t rows;             /* data rows read (blank ones skipped) */
};
int cour_csv_import(const char *data, size_t len, const char *default_who,
		    struct cour_import *im, struct buf *errors);
void cour_import_free(struct cour_import *im);

#endif
