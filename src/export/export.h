/*
 * export/ — the files a customer sends when no live access is possible:
 * the unified audit log (Purview CSV in its current and older headers,
 * Search-UnifiedAuditLog output, AuditData JSON lines), the Entra sign-in
 * and audit logs (portal CSV and JSON, Graph-shaped JSON, Log Analytics
 * CSV and JSON, Azure Monitor diagnostic JSON) and Defender advanced
 * hunting's CloudAppEvents. This layer recognises a file's kind and
 * layout and turns each record into one normalised event.
 *
 * Pure, like model/: the bytes come through a read callback and the
 * events leave through another; no file, case folder or network here
 * (collect/import.c does the I/O, model/events.c reads the events back).
 * It stands on core/ only. Prefix: exp_.
 *
 *   arena.c   per-record string memory
 *   when.c    dates: ISO 8601, US ("9/20/2023 4:05:03 AM"), Log Analytics
 *             ("4/26/2021, 7:17:10.000 AM"), French ("20/09/2023 16:05:03"),
 *             PowerShell ("/Date(1690094788000)/"); their time zone
 *   jsplit.c  a JSON file one record at a time: an array, Graph's
 *             {"value":[…]}, or JSON lines — in bounded memory
 *   rec.c     one record seen through aliases, whether a JSON object or a
 *             CSV row, nested JSON given as objects or as JSON text
 *   ual.c     unified audit log records (AuditData, OfficeActivity)
 *   entra.c   sign-ins and directory audits
 *   detect.c  which layout a CSV header or a JSON record is
 *   run.c     a whole file: detection, rows or records, events; the
 *             first malformed row stops it (all or nothing: the caller
 *             keeps nothing of a file that failed)
 *   event.c   the normalised event as one JSON line (events.jsonl), and
 *             back
 *
 * Hostile input: every limit is explicit (EXP_MAX_RECORD bytes per row or
 * record, EXP_MAX_TOKENS per JSON record, EXP_MAX_FIELDS per CSV row) and
 * an error names the file's line; nothing is cut silently.
 */
#ifndef REFLEXE_EXPORT_H
#define REFLEXE_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

#define EXP_MAX_RECORD   (8u << 20)   /* one CSV row or JSON record */
#define EXP_MAX_TOKENS   (1 << 20)    /* JSON tokens in one record */
#define EXP_MAX_DEPTH    64
#define EXP_MAX_FIELDS   4096         /* CSV columns */
#define EXP_MAX_TARGETS  4
#define EXP_NO_TIME      INT64_MIN

/* ---- arena.c: strings of one record, freed all at once --------------- */
struct exp_arena {
	struct exp_chunk *head;
	size_t used;             /* bytes handed out since the last reset */
};
char *exp_alloc(struct exp_arena *a, size_t n);       /* NULL + err on OOM */
char *exp_strndup(struct exp_arena *a, const char *s, size_t n);
void exp_arena_reset(struct exp_arena *a);             /* keeps one chunk */
void exp_arena_free(struct exp_arena *a);

/* ---- the normalised event (event.c) ------------------------------------ */
enum exp_cat {
	EXP_CAT_UAL = 0,         /* a unified audit log record of another kind */
	EXP_CAT_EXO,             /* an Exchange admin cmdlet (Set-Mailbox…) */
	EXP_CAT_AUDIT,           /* an Entra directory audit ("Add member to role") */
	EXP_CAT_SIGNIN,          /* a sign-in, successful or not */
	EXP_CAT__N
};
const char *exp_cat_name(enum exp_cat c);             /* "ual", "exo"… */
int exp_cat_parse(const char *s);                      /* -1 unknown */

struct exp_kv { const char *name, *value, *old; };
struct exp_target { const char *type, *id, *upn, *name; };

struct exp_event {
	int64_t t;               /* UTC; EXP_NO_TIME when the record has none */
	enum exp_cat cat;
	const char *op;          /* Operation, activityDisplayName, "Sign-in activity" */
	const char *id;          /* the record's own id (UAL Id, sign-in or audit id) */
	const char *workload;    /* UAL Workload, the audit's loggedByService */
	const char *result;      /* as written: "Success", "True", "failure"… */
	const char *actor_upn, *actor_id, *actor_ip, *actor_app, *actor_name;
	const char *ua;          /* user agent, client info */
	struct exp_target tgt[EXP_MAX_TARGETS];
	int ntgt;
	struct exp_kv *param;    /* cmdlet parameters, modified properties (new, old) */
	size_t nparam;
	struct exp_kv *detail;   /* additional details, extended properties */
	size_t ndetail;
	/* sign-ins */
	long err;                /* error code: 0 success, -1 unknown */
	const char *country, *city, *app, *app_id, *client_app, *resource, *risk;
	int interactive;         /* -1 unknown */
	/* where it came from in the file */
	uint64_t line, record;
};
void exp_event_init(struct exp_event *e);
/* One line of events.jsonl (ends with '\n'). Keys are short and fixed
 * (see event.c); absent fields are left out. */
int exp_event_write(const struct exp_event *e, struct buf *out);
/* Parses one line back. Strings go to a (the caller resets it). */
int exp_event_read(const char *line, size_t n, struct exp_arena *a, struct exp_event *e);
/* Cheap look at a line without parsing it all: its category, and its
 * operation copied into op (""). 1 when found, 0 when the line must be
 * parsed fully (escapes, other key order), -1 when not an event line. */
int exp_event_peek(const char *line, size_t n, enum exp_cat *cat, char *op, size_t opsz);

/* ---- dates (when.c) -------------------------------------------------------- */
/* How a file's times became UTC; a file may use several (bit mask). */
enum {
	EXP_TZ_OFFSET = 1,       /* each value carries Z or an offset */
	EXP_TZ_HEADER = 2,       /* the column says UTC ("TimeGenerated [UTC]") */
	EXP_TZ_SCHEMA = 4,       /* the format defines the field as UTC */
	EXP_TZ_GIVEN = 8,        /* no zone stated: read in --tz's */
};
/* Day/month order of slash dates, learnt per file: 0 unknown yet. */
struct exp_when {
	const struct tm_zone *tz;  /* --tz, NULL when not given */
	char order;                /* 'd' (20/09/2023) or 'm' (9/20/2023) */
	char assumed;              /* order assumed on an ambiguous date */
	uint64_t assumed_line;
	unsigned basis;            /* EXP_TZ_* used so far */
};
/* Parses s. naive_basis: what a value without zone means here —
 * EXP_TZ_HEADER or EXP_TZ_SCHEMA (UTC), or 0 (local: needs --tz).
 * -1 (err set, naming line and column) when s is no date this reader
 * knows, when the day/month order turns out to contradict an earlier
 * ambiguous date, or when a zone is needed and none was given. */
int exp_when_parse(struct exp_when *w, const char *s, unsigned naive_basis, const char *column,
		   uint64_t line, int64_t *t);

/* ---- JSON files, one record at a time (jsplit.c) ----------------------------- */
typedef int (*exp_read_fn)(void *ctx, char *buf, size_t n);
struct exp_jsplit {
	exp_read_fn read;
	void *ctx;
	char *in;
	size_t in_len, in_pos;
	int eof;
	int mode;                /* 0 start, 1 lines, 2 array, 3 {"value":[…]}, 4 done */
	struct buf el;           /* the record's bytes */
	uint64_t line;           /* physical line of the next byte */
	uint64_t el_line;        /* line the record starts on */
	uint64_t count;          /* records so far */
};
void exp_jsplit_init(struct exp_jsplit *s, exp_read_fn fn, void *ctx);
/* 1 with a record in s->el, 0 at the end, -1 (err set, naming the line)
 * on text that is no JSON array, wrapper or line of objects. The record
 * itself is validated by json_parse afterwards. */
int exp_jsplit_next(struct exp_jsplit *s);
void exp_jsplit_free(struct exp_jsplit *s);

/* ---- a whole file (run.c) ------------------------------------------------------- */
enum exp_layout {
	EXP_L_UNKNOWN = 0,
	EXP_L_UAL_CSV,           /* Purview: RecordId,CreationDate,RecordType,Operation,UserId,AuditData,… */
	EXP_L_UAL_CSV_OLD,       /* CreationDate,UserIds,Operations,AuditData (also Export-Csv of
	                            Search-UnifiedAuditLog) */
	EXP_L_UAL_JSON,          /* AuditData objects (Management Activity API), lines or array */
	EXP_L_UAL_PS_JSON,       /* Search-UnifiedAuditLog | ConvertTo-Json: AuditData as text */
	EXP_L_LA_CSV,            /* Log Analytics CSV: OfficeActivity, SigninLogs, AuditLogs */
	EXP_L_LA_JSON,           /* the same tables as JSON, nested objects as JSON text */
	EXP_L_GRAPH_SIGNIN,      /* Graph / portal JSON sign-ins */
	EXP_L_GRAPH_AUDIT,       /* Graph / portal JSON directory audits */
	EXP_L_AZMON,             /* Azure Monitor diagnostic records (time, category, properties) */
	EXP_L_PORTAL_SIGNIN_CSV, /* Entra portal sign-in download: "Date (UTC)","Request ID",… */
	EXP_L_PORTAL_AUDIT_CSV,  /* Entra portal audit download: "Date (UTC)","CorrelationId",… */
	EXP_L_DEFENDER,          /* Defender advanced hunting (CloudAppEvents: RawEventData) */
	EXP_L__N
};
const char *exp_layout_name(enum exp_layout l);       /* "ual-csv"… */
enum exp_kind { EXP_K_UAL = 1, EXP_K_SIGNINS = 2, EXP_K_AUDITS = 4 };
/* What a layout holds (bit mask of enum exp_kind). */
unsigned exp_layout_kinds(enum exp_layout l);

struct exp_opts {
	const struct tm_zone *tz;  /* --tz, or NULL */
};
struct exp_stats {
	enum exp_layout layout;    /* of the first record */
	uint32_t layouts;          /* every layout seen (bit = layout) */
	unsigned kinds;            /* enum exp_kind found in the events */
	unsigned tz_basis;         /* EXP_TZ_* used */
	char tz_name[64];          /* --tz's, when EXP_TZ_GIVEN */
	char head[512];            /* header line or first record's keys, for
	                              messages and the import record */
	char sep;                  /* CSV separator, 0 for JSON */
	char encoding[16];         /* "" (UTF-8) or "windows-1252" (transcoded) */
	uint64_t rows;             /* CSV rows or JSON records read */
	uint64_t events;           /* events emitted */
	uint64_t no_time;          /* events without a time */
	int64_t first, last;       /* time span, EXP_NO_TIME when none */
};
typedef int (*exp_emit_fn)(void *ctx, const struct exp_event *e);
/* Reads a whole file through rd, emits each event through emit (which
 * may fail: -1 stops the run). -1 with err set on the first problem:
 * unknown layout (the message quotes the header or the keys seen), a
 * malformed row or record (its line), a date without zone and no --tz. */
int exp_run(exp_read_fn rd, void *rctx, exp_emit_fn emit, void *ectx,
	    const struct exp_opts *o, struct exp_stats *st);

/* ==== between the files of export/ (declared here for the unit tests;
 * other folders use the API above) ==================================== */
struct exp_cols {              /* a CSV header */
	char **name;           /* cleaned names */
	char *utc;             /* 1: the name carried " [UTC]" / " (UTC)" */
	size_t n;
	int *slot;             /* hash of names -> column */
	size_t nslot;
};
int exp_cols_init(struct exp_cols *c, const struct csv *header);
int exp_cols_find(const struct exp_cols *c, const char *name, size_t n);
void exp_cols_free(struct exp_cols *c);

struct exp_rec {               /* a JSON object, or a CSV row */
	struct exp_arena *a;
	const struct json *j;
	int tok;
	const struct csv *row;
	const struct exp_cols *cols;
	uint64_t line;
};
struct exp_sub {               /* a nested JSON value */
	const struct json *j;
	int tok;
	struct json own;
	int owned;
};
/* The first of "a|b|c" present and not empty; NULL when none. */
const char *exp_rec_str(const struct exp_rec *r, const char *keys);
/* The same for a date; *utc_label 1 when its CSV column says UTC. */
const char *exp_rec_time_str(const struct exp_rec *r, const char *keys, int *utc_label);
/* A nested object or array, given as such or as JSON text: 1 found,
 * 0 absent or empty, -1 (err set, naming line and key) not JSON. */
int exp_rec_sub(const struct exp_rec *r, const char *keys, struct exp_sub *s);
void exp_sub_free(struct exp_sub *s);
const char *exp_json_text(struct exp_arena *a, const struct json *j, int t);
const char *exp_sub_str(struct exp_arena *a, const struct json *j, int tok, const char *path);
/* A JSON string inside a string ("\"Mail.Read\"") decoded, twice at most. */
const char *exp_unquote(struct exp_arena *a, const char *s);
/* The value of detail name of e (no case), or NULL. */
const char *exp_detail(const struct exp_event *e, const char *name);
/* An address without brackets or port. */
const char *exp_ip(struct exp_arena *a, const char *s);
int exp_kv_push(struct exp_arena *a, struct exp_kv **v, size_t *n, size_t *cap,
		const char *name, const char *value, const char *old);
int exp_kv_from(struct exp_arena *a, const struct json *j, int arr, const char *kname,
		const char *kvalue, const char *kold, struct exp_kv **v, size_t *n, size_t *cap);

/* detect.c */
enum exp_table { EXP_T_NONE = 0, EXP_T_OFFICE, EXP_T_SIGNIN, EXP_T_AUDIT };
enum exp_layout exp_detect_csv(const struct exp_cols *c);
enum exp_layout exp_detect_json(const struct json *j, int tok);
/* A Log Analytics table or Azure Monitor category name; from columns. */
enum exp_table exp_table_of(const char *type);
enum exp_table exp_table_of_cols(const struct exp_cols *c);
enum exp_table exp_table_of_json(const struct json *j, int tok);
void exp_keys_text(const struct json *j, int tok, char *out, size_t n);

/* The mappers: one record to one event (ual.c, entra.c). w: the file's
 * date state. 0, or -1 with err set (naming r->line). */
struct exp_map {
	struct exp_arena *a;
	struct exp_when *w;
	size_t pcap, dcap;     /* capacities of e->param, e->detail */
};
int exp_map_ual(struct exp_map *m, const struct exp_rec *r, unsigned naive_basis,
		struct exp_event *e);
/* Log Analytics OfficeActivity: the AuditData fields flattened into columns. */
int exp_map_office(struct exp_map *m, const struct exp_rec *r, struct exp_event *e);
int exp_map_signin(struct exp_map *m, const struct exp_rec *r, const char *time_keys,
		   unsigned naive_basis, struct exp_event *e);
int exp_map_audit(struct exp_map *m, const struct exp_rec *r, const char *time_keys,
		  unsigned naive_basis, struct exp_event *e);
int exp_map_portal_audit(struct exp_map *m, const struct exp_rec *r, struct exp_event *e);
/* Sets e->t from the first of keys; the date state notes the zone. */
int exp_map_time(struct exp_map *m, const struct exp_rec *r, const char *keys,
		 unsigned naive_basis, struct exp_event *e);

#endif
